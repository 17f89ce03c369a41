package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, state, health and config against a real broker (embedded HiveMQ): retained, current, and on time. */
class LinkRetainedTopicsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final AtomicInteger IDS = new AtomicInteger();
    static EmbeddedBroker broker;

    @TempDir
    Path dir;

    AgentRig rig;
    StationClient station;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.shared();
    }

    @AfterEach
    void close() {
        if (station != null) {
            station.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    private AgentRig startAgent(double timeScale) {
        String agentId = "retained-" + IDS.incrementAndGet();
        rig = new AgentRig(dir, agentId, broker.link(agentId), timeScale, true);
        await().atMost(WAIT).until(() -> rig.link.isConnected() && rig.link.ackedSeq() >= 3);
        return rig;
    }

    @Test
    void aLateSubscriberGetsStatusStateHealthAndConfigAtOnce() {
        startAgent(1);
        String agent = rig.agentId;
        await().atMost(WAIT).until(() -> rig.link.ackedSeq() == rig.store.lastSeq());

        station = broker.station("late-" + IDS.incrementAndGet());

        await().atMost(WAIT).until(() -> List.of(TopicKind.STATUS, TopicKind.STATE, TopicKind.HEALTH,
                TopicKind.CONFIG).stream().allMatch(kind -> station.latest(Topic.of(agent, kind)).isPresent()));
        for (TopicKind kind : List.of(TopicKind.STATUS, TopicKind.STATE, TopicKind.HEALTH, TopicKind.CONFIG)) {
            assertThat(station.latest(Topic.of(agent, kind)).orElseThrow().retained()).as("%s retained", kind)
                    .isTrue();
        }
        Status status = station.latest(Topic.status(agent), Status.class).orElseThrow();
        assertThat(status.online()).isTrue();
        assertThat(status.simulated()).isTrue();
        assertThat(status.version()).isEqualTo("test-1.0");
        AgentState state = station.latest(Topic.state(agent), AgentState.class).orElseThrow();
        assertThat(state.valveOpen()).isFalse();
        assertThat(state.lastSeq()).isPositive();
        Health health = station.latest(Topic.health(agent), Health.class).orElseThrow();
        assertThat(health.version()).isEqualTo("test-1.0");
        assertThat(health.storeBytes()).isPositive();
        assertThat(health.heapMaxBytes()).isPositive();
        assertThat(health.storeError()).isNull();
        ConfigSnapshot config = station.latest(Topic.config(agent), ConfigSnapshot.class).orElseThrow();
        assertThat(config.rules()).isEqualTo(rig.onAgentThread(() -> rig.agent.policyState().rules()));
    }

    @Test
    void theStateIsRepublishedWhenItChanges() {
        startAgent(1);
        String agent = rig.agentId;
        station = broker.station("state-" + IDS.incrementAndGet());

        station.publish(Topic.of(agent, TopicKind.CMD_SPRAY), "{\"id\":\"state-spray\",\"durationS\":1}");

        await().atMost(WAIT).until(() -> states(agent).stream().anyMatch(AgentState::valveOpen));
        await().atMost(WAIT).until(() -> {
            AgentState latest = station.latest(Topic.state(agent), AgentState.class).orElseThrow();
            return !latest.valveOpen() && latest.lastSprayAt() != null;
        });
    }

    private List<AgentState> states(String agent) {
        Codec codec = new Codec();
        return station.on(Topic.state(agent)).stream()
                .map(m -> codec.decode(Topic.state(agent), m.payload()).as(AgentState.class).value())
                .collect(Collectors.toList());
    }

    @Test
    void healthComesEverySixtySecondsOfAgentTime() {
        // at time scale 60 a minute of agent time is a second
        startAgent(60);
        station = broker.station("health-" + IDS.incrementAndGet());

        await().atMost(WAIT).until(() -> station.on(Topic.health(rig.agentId)).size() >= 3);

        Health health = station.latest(Topic.health(rig.agentId), Health.class).orElseThrow();
        assertThat(health.uptimeS()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void aCleanShutdownLeavesTheRetainedOfflineStatus() {
        startAgent(1);
        String agent = rig.agentId;

        rig.close();
        rig = null;
        station = broker.station("after-" + IDS.incrementAndGet());

        await().atMost(WAIT).until(() -> station.latest(Topic.status(agent)).isPresent());
        StationClient.Message message = station.latest(Topic.status(agent)).orElseThrow();
        assertThat(message.retained()).isTrue();
        Status status = station.latest(Topic.status(agent), Status.class).orElseThrow();
        assertThat(status.online()).isFalse();
        assertThat(status.simulated()).isTrue();
    }

    @Test
    void theAcknowledgedPositionReachesTheLastEventAndIsSaved() {
        startAgent(1);
        String agent = rig.agentId;
        station = broker.station("caught-" + IDS.incrementAndGet());

        station.publish(Topic.of(agent, TopicKind.CMD_SPRAY), "{\"id\":\"caught-1\",\"durationS\":1}");
        await().atMost(WAIT).until(() -> !station.results(agent, "caught-1").isEmpty());

        await().atMost(WAIT).until(() -> rig.link.ackedSeq() == rig.store.lastSeq());
        long acked = rig.link.ackedSeq();
        await().atMost(WAIT).until(() -> rig.store.metaLong(Forwarder.ACKED_KEY, -1) >= acked);
    }
}
