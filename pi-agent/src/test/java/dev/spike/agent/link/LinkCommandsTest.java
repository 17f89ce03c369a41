package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.spike.agent.testing.LogCapture;
import dev.spike.model.AgentState;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.TankLevel;
import dev.spike.model.WaterChange;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.rules.WaterBudget;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands through a real broker (embedded HiveMQ) to a whole simulated agent: every command is answered with a
 * command_result a person understands, an id executes once, and no bad input ever moves the valve.
 */
class LinkCommandsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final AtomicInteger IDS = new AtomicInteger();
    static EmbeddedBroker broker;

    @TempDir
    Path dir;

    final Codec codec = new Codec();
    AgentRig rig;
    StationClient station;
    String agent;

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

    /** A simulated (or not) agent, connected, and a station listening to it. */
    private void start(boolean simulated) {
        agent = "cmd-" + IDS.incrementAndGet();
        station = broker.station("station-" + agent);
        startAgent(simulated);
    }

    private void startAgent(boolean simulated) {
        startAgent(simulated, null);
    }

    private void startAgent(boolean simulated, WaterBudget.Settings tank) {
        rig = new AgentRig(dir, agent, broker.link(agent), 1, simulated, tank);
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        // subscribed once the online status is out: it is published after the subscribe was sent
        await().atMost(WAIT).until(() -> station.latest(Topic.status(agent), Status.class)
                .map(Status::online).orElse(false));
    }

    private void send(TopicKind kind, String json) {
        station.publish(Topic.of(agent, kind), json);
    }

    private CommandResult awaitResult(String id) {
        await().atMost(WAIT).until(() -> !station.results(agent, id).isEmpty());
        return station.results(agent, id).get(0);
    }

    private List<ValveOpened> sprays() {
        return rig.storedEvents().stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());
    }

    /**
     * Commands are handled in the order they arrive: once this one is answered, everything sent before it was
     * handled too.
     */
    private void barrier() {
        String id = "barrier-" + IDS.incrementAndGet();
        send(TopicKind.CMD_HISTORY, "{\"id\":\"" + id + "\",\"fromSeq\":1,\"limit\":1}");
        awaitResult(id);
    }

    @Test
    void aSprayCommandOpensTheValveAndIsAnswered() {
        start(true);

        send(TopicKind.CMD_SPRAY, "{\"id\":\"spray-1\",\"durationS\":2}");

        CommandResult result = awaitResult("spray-1");
        assertThat(result.accepted()).isTrue();
        assertThat(result.command()).isEqualTo(CommandKind.SPRAY);
        await().atMost(WAIT).until(() -> station.events(agent).stream().anyMatch(e -> e instanceof ValveOpened
                && "spray-1".equals(((ValveOpened) e).commandId())));
        ValveOpened opened = sprays().get(0);
        assertThat(opened.reason()).isEqualTo(SprayReason.MANUAL);
        assertThat(opened.durationS()).isEqualTo(2);
        assertThat(rig.valveTransitions()).first().satisfies(t -> assertThat(t.open()).isTrue());
    }

    @Test
    void theSameIdTwiceSpraysOnceAndTheSecondAnswerRepeatsTheFirst() {
        start(true);

        send(TopicKind.CMD_SPRAY, "{\"id\":\"twice\",\"durationS\":1}");
        CommandResult first = awaitResult("twice");
        send(TopicKind.CMD_SPRAY, "{\"id\":\"twice\",\"durationS\":1}");

        await().atMost(WAIT).until(() -> station.results(agent, "twice").size() == 2);
        assertThat(station.results(agent, "twice")).containsExactly(first, first);
        barrier();
        assertThat(sprays()).hasSize(1);
        assertThat(rig.valveTransitions().stream().filter(t -> t.open()).count()).isEqualTo(1);
    }

    @Test
    void aRetryArrivingBeforeTheAnswerStillSpraysOnce() {
        start(true);

        send(TopicKind.CMD_SPRAY, "{\"id\":\"quick\",\"durationS\":1}");
        send(TopicKind.CMD_SPRAY, "{\"id\":\"quick\",\"durationS\":1}");
        send(TopicKind.CMD_SPRAY, "{\"id\":\"quick\",\"durationS\":1}");

        awaitResult("quick");
        barrier();
        assertThat(sprays()).hasSize(1);
        assertThat(station.results(agent, "quick")).allSatisfy(r -> assertThat(r.accepted()).isTrue());
    }

    @Test
    void aRepeatAfterARestartIsAnsweredAsBeforeAndDoesNotSprayAgain() {
        start(true);
        send(TopicKind.CMD_SPRAY, "{\"id\":\"before-restart\",\"durationS\":1}");
        CommandResult first = awaitResult("before-restart");
        rig.close();

        startAgent(true);
        int resultsBefore = station.results(agent, "before-restart").size();
        send(TopicKind.CMD_SPRAY, "{\"id\":\"before-restart\",\"durationS\":1}");

        await().atMost(WAIT).until(() -> station.results(agent, "before-restart").size() > resultsBefore);
        List<CommandResult> results = station.results(agent, "before-restart");
        assertThat(results.get(results.size() - 1)).isEqualTo(first);
        barrier();
        assertThat(rig.valveTransitions()).isEmpty();
    }

    @Test
    void badCommandsAreAnsweredWithTheReasonAndNeverMoveTheValve() {
        start(true);
        String padding = "x".repeat(70_000);

        try (LogCapture log = new LogCapture(CommandHandler.class)) {
            send(TopicKind.CMD_SPRAY, "{\"id\":\"type\",\"durationS\":\"six\"}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"fraction\",\"durationS\":6.5}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"too-long\",\"durationS\":90}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"over-rules\",\"durationS\":45}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"missing\"}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"oversize\",\"durationS\":6,\"pad\":\"" + padding + "\"}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"nan\",\"durationS\":NaN}");
            send(TopicKind.CMD_SPRAY, "{\"id\":\"broken\",\"durationS\":");
            send(TopicKind.CMD_SPRAY, "[1,2]");
            station.publish(Topic.of(agent, TopicKind.CMD_SPRAY), new byte[0]);
            station.publishRaw("spike/" + agent + "/cmd/reboot", "{\"id\":\"reboot-1\"}", false);
            barrier();

            assertThat(reason("type")).isEqualTo("durationS must be a whole number, was a string");
            assertThat(reason("fraction")).isEqualTo("durationS must be a whole number, was 6.5");
            assertThat(reason("too-long")).isEqualTo("durationS must be 1..60, was 90");
            assertThat(reason("over-rules")).isEqualTo("durationS must be 1..30, was 45");
            assertThat(reason("missing")).isEqualTo("durationS is required");
            assertThat(reason("oversize")).startsWith("payload is 700").endsWith("bytes, the limit is 65536");
            // NaN is not JSON: without valid JSON there is no readable id, so nobody to answer
            assertThat(station.results(agent, "nan")).isEmpty();
            assertThat(station.results(agent, "broken")).isEmpty();
            assertThat(station.results(agent, "reboot-1")).isEmpty();
            assertThat(log.messages(Level.WARN)).anySatisfy(line -> assertThat(line).contains("without a readable id"))
                    .anySatisfy(line -> assertThat(line).contains("cmd/reboot", "not a command"));
        }
        assertThat(sprays()).isEmpty();
        assertThat(rig.valveTransitions()).isEmpty();
        assertThat(rig.link.isConnected()).as("the link survives all of it").isTrue();
    }

    private String reason(String id) {
        CommandResult result = awaitResult(id);
        assertThat(result.accepted()).as("%s accepted", id).isFalse();
        return result.reason();
    }

    @Test
    void unknownFieldsAreIgnoredAsTheProtocolSays() {
        start(true);

        send(TopicKind.CMD_SPRAY, "{\"id\":\"later-version\",\"durationS\":1,\"priority\":\"high\"}");

        assertThat(awaitResult("later-version").accepted()).isTrue();
    }

    @Test
    void aSprayWhileTheValveIsOpenIsRejected() {
        start(true);

        send(TopicKind.CMD_SPRAY, "{\"id\":\"long\",\"durationS\":10}");
        awaitResult("long");
        send(TopicKind.CMD_SPRAY, "{\"id\":\"meanwhile\",\"durationS\":1}");

        assertThat(reason("meanwhile")).isEqualTo("valve already open");
        assertThat(sprays()).hasSize(1);
    }

    @Test
    void aRetainedSprayNeverRuns() {
        agent = "cmd-" + IDS.incrementAndGet();
        station = broker.station("station-" + agent);
        station.publishRaw(Topic.of(agent, TopicKind.CMD_SPRAY).toString(),
                "{\"id\":\"retained-spray\",\"durationS\":1}", true);
        try {
            startAgent(true);
            barrier();

            assertThat(station.results(agent, "retained-spray")).isEmpty();
            assertThat(rig.valveTransitions()).isEmpty();
        } finally {
            station.publishRaw(Topic.of(agent, TopicKind.CMD_SPRAY).toString(), "", true);
        }
    }

    @Test
    void simSetSwitchesTheSimulatedSensorAndTank() {
        start(true);

        send(TopicKind.SIM_SET, "{\"id\":\"sim-1\",\"sensor\":\"crc\",\"tank\":\"empty\"}");

        CommandResult result = awaitResult("sim-1");
        assertThat(result.accepted()).isTrue();
        assertThat(result.command()).isEqualTo(CommandKind.SIM_SET);
        assertThat(rig.onAgentThread(() -> rig.simulation.sensor().fault())).isEqualTo(SensorFault.CRC);
        assertThat(rig.onAgentThread(() -> rig.simulation.terrarium().tank())).isEqualTo(TankLevel.EMPTY);
    }

    @Test
    void aRealAgentRejectsSimSetAndTouchesNothing() {
        start(false);

        send(TopicKind.SIM_SET, "{\"id\":\"sim-2\",\"sensor\":\"absent\",\"tank\":\"empty\"}");

        assertThat(reason("sim-2")).contains("only for a simulated agent", "--simulate");
        assertThat(rig.onAgentThread(() -> rig.simulation.sensor().fault())).isEqualTo(SensorFault.OK);
        assertThat(rig.onAgentThread(() -> rig.simulation.terrarium().tank())).isEqualTo(TankLevel.FULL);
        assertThat(station.latest(Topic.status(agent), Status.class).orElseThrow().simulated()).isFalse();
    }

    @Test
    void historyNeedsAResponseTopicOfThisAgent() {
        start(true);

        send(TopicKind.CMD_HISTORY, "{\"id\":\"no-reply\",\"fromSeq\":1,\"limit\":10}");

        assertThat(reason("no-reply")).contains("needs an MQTT 5 response topic");
        assertThat(station.pages(agent)).isEmpty();
    }

    @Test
    void newRulesAreAppliedWholeRepublishedAndSurviveARestart() {
        start(true);
        Rules before = rig.onAgentThread(() -> rig.agent.policyState().rules());
        Rules wanted = before.withLowHumidityPct(70).withSprayDurationS(5);
        wanted = new Rules(wanted.lowHumidityPct(), wanted.sprayDurationS(), wanted.minIntervalMin(),
                wanted.sensorDownSprayEveryH(), wanted.sensorDownAfterFailures(), wanted.eveningTime(),
                wanted.eveningSkipIfSprayedWithinMin(), wanted.timeZone(), 20, wanted.readIntervalS(),
                wanted.alarmLowPct(), wanted.alarmHighPct());

        send(TopicKind.CMD_CONFIG, json(new ConfigCommand("rules-1", wanted)));

        assertThat(awaitResult("rules-1").accepted()).isTrue();
        Rules applied = wanted;
        await().atMost(WAIT).until(() -> station.latest(Topic.config(agent), ConfigSnapshot.class)
                .map(c -> c.rules().equals(applied)).orElse(false));
        assertThat(rig.storedEvents()).filteredOn(ConfigApplied.class::isInstance).last()
                .satisfies(e -> assertThat(((ConfigApplied) e).rules()).isEqualTo(applied));
        send(TopicKind.CMD_SPRAY, "{\"id\":\"past-new-max\",\"durationS\":25}");
        assertThat(reason("past-new-max")).isEqualTo("durationS must be 1..20, was 25");

        rig.close();
        station.close();
        rig = new AgentRig(dir, agent, broker.link(agent), 1, true);
        // config goes out at connect, before the events: once they are acknowledged, the broker retains it
        await().atMost(WAIT).until(() -> rig.link.isConnected() && rig.link.ackedSeq() == rig.store.lastSeq());
        station = broker.station("station-" + agent + "-after");

        assertThat(rig.onAgentThread(() -> rig.agent.policyState().rules())).isEqualTo(applied);
        await().atMost(WAIT).until(() -> station.latest(Topic.config(agent)).isPresent());
        assertThat(station.latest(Topic.config(agent)).orElseThrow().retained()).isTrue();
        assertThat(station.latest(Topic.config(agent), ConfigSnapshot.class).orElseThrow().rules())
                .isEqualTo(applied);
    }

    @Test
    void brokenRulesAreRejectedWholeAndChangeNothing() {
        start(true);
        Rules before = rig.onAgentThread(() -> rig.agent.policyState().rules());
        String rules = new String(codec.encode(new ConfigCommand("x", before)), StandardCharsets.UTF_8)
                .replace("\"sprayDurationS\":6", "\"sprayDurationS\":45").replace("\"id\":\"x\"", "\"id\":\"rules-2\"");

        send(TopicKind.CMD_CONFIG, rules);

        assertThat(reason("rules-2")).isEqualTo("rules.sprayDurationS must be 1..30, was 45");
        assertThat(rig.onAgentThread(() -> rig.agent.policyState().rules())).isEqualTo(before);
        assertThat(rig.storedEvents()).filteredOn(ConfigApplied.class::isInstance).hasSize(1);
    }

    @Test
    void someRulesAreMergedOverThoseInForceValidatedLikeCmdConfigAndAnsweredAsRules() {
        start(true);
        Rules before = rig.onAgentThread(() -> rig.agent.policyState().rules());

        send(TopicKind.CMD_RULES, "{\"id\":\"patch-1\",\"rules\":{\"lowHumidityPct\":70.5}}");
        send(TopicKind.CMD_RULES, "{\"id\":\"patch-2\",\"rules\":{\"sprayDurationS\":8}}");

        CommandResult second = awaitResult("patch-2");
        assertThat(second.accepted()).isTrue();
        assertThat(second.command()).isEqualTo(CommandKind.RULES);
        Rules applied = before.withLowHumidityPct(70.5).withSprayDurationS(8);
        await().atMost(WAIT).until(() -> station.latest(Topic.config(agent), ConfigSnapshot.class)
                .map(c -> c.rules().equals(applied)).orElse(false));
        assertThat(rig.onAgentThread(() -> rig.agent.policyState().rules())).isEqualTo(applied);
    }

    @Test
    void aRulesPatchThatBreaksTheRulesInForceIsRejectedWithCmdConfigsMessage() {
        start(true);
        Rules before = rig.onAgentThread(() -> rig.agent.policyState().rules());

        send(TopicKind.CMD_RULES, "{\"id\":\"patch-3\",\"rules\":{\"sprayDurationS\":45}}");
        send(TopicKind.CMD_RULES, "{\"id\":\"patch-4\",\"rules\":{\"lowHumidty\":70}}");

        assertThat(reason("patch-3")).isEqualTo("rules.sprayDurationS must be 1..30, was 45");
        assertThat(reason("patch-4")).startsWith("rules.lowHumidty is not a rule; rules are lowHumidityPct, ");
        assertThat(rig.onAgentThread(() -> rig.agent.policyState().rules())).isEqualTo(before);
    }

    @Test
    void aPressOlderThan30sNeverSpraysButAFreshOneDoes() {
        start(true);
        long now = System.currentTimeMillis();

        send(TopicKind.CMD_SPRAY, "{\"id\":\"ha-" + (now - 31_000) + "\",\"durationS\":1}");
        send(TopicKind.CMD_SPRAY, "{\"id\":\"ha-" + now + "\",\"durationS\":1}");

        assertThat(reason("ha-" + (now - 31_000))).startsWith("expired: pressed at ")
                .contains("more than 30 s; a late press never sprays");
        assertThat(awaitResult("ha-" + now).accepted()).isTrue();
        assertThat(sprays()).extracting(ValveOpened::commandId).containsExactly("ha-" + now);
    }

    @Test
    void aRefillResetsTheEstimateAndTheSimulatedTankAndIsRepublishedInState() {
        agent = "cmd-" + IDS.incrementAndGet();
        station = broker.station("station-" + agent);
        startAgent(true, new WaterBudget.Settings(5, 10, 20));
        rig.onAgentThread(() -> {
            rig.simulation.setTank(TankLevel.EMPTY);
            return null;
        });

        send(TopicKind.CMD_REFILL, "{\"id\":\"refill-1\",\"levelL\":2.5}");

        CommandResult result = awaitResult("refill-1");
        assertThat(result.accepted()).isTrue();
        assertThat(result.command()).isEqualTo(CommandKind.REFILL);
        await().atMost(WAIT).until(() -> station.events(agent).stream().anyMatch(e -> e instanceof WaterLevel
                && ((WaterLevel) e).cause() == WaterChange.REFILLED));
        assertThat(rig.onAgentThread(() -> rig.simulation.terrarium().tankL())).isEqualTo(2.5);
        await().atMost(WAIT).until(() -> station.latest(Topic.state(agent), AgentState.class)
                .map(s -> Double.valueOf(2.5).equals(s.tankLevelL())).orElse(false));
        assertThat(station.latest(Topic.state(agent), AgentState.class).orElseThrow().tankCapacityL()).isEqualTo(5);
    }

    @Test
    void aRefillBeyondTheCapacityAStalePressAndATanklessAgentAreRefused() {
        agent = "cmd-" + IDS.incrementAndGet();
        station = broker.station("station-" + agent);
        startAgent(true, new WaterBudget.Settings(5, 10, 20));
        long now = System.currentTimeMillis();

        send(TopicKind.CMD_REFILL, "{\"id\":\"refill-2\",\"levelL\":7}");
        send(TopicKind.CMD_REFILL, "{\"id\":\"ha-" + (now - 31_000) + "\"}");

        assertThat(reason("refill-2")).isEqualTo("levelL must be at most the tank's capacity (5 L, tank.capacityL),"
                + " was 7");
        assertThat(reason("ha-" + (now - 31_000))).startsWith("expired: pressed at ")
                .contains("a late press never resets the tank");
        assertThat(rig.onAgentThread(() -> rig.agent.water().levelL())).isEqualTo(5);

        rig.close();
        rig = null;
        start(true);
        send(TopicKind.CMD_REFILL, "{\"id\":\"refill-3\"}");
        assertThat(reason("refill-3")).startsWith("no water tank configured: set tank.capacityL");
        assertThat(station.latest(Topic.state(agent), AgentState.class).orElseThrow().tankLevelL()).isNull();
    }

    private String json(Object message) {
        return new String(codec.encode(message), StandardCharsets.UTF_8);
    }
}
