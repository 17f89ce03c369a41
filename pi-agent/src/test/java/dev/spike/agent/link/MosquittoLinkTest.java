package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.agent.link.mosquitto.TestCertificates;
import dev.spike.agent.testing.LogCapture;
import dev.spike.model.Status;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link against Debian's mosquitto, the broker a Pi installation runs (through the MosquittoBroker harness):
 * the will of a killed agent process, a broker outage during operation, passwords, the shipped ACL and TLS.
 */
class MosquittoLinkTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static LinkConfig link(String agentId, MqttSettings settings) {
        try {
            return LinkConfig.resolve(agentId, settings, Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path passwordFile(String password) throws IOException {
        Path file = Files.createTempFile(dir, "password", "");
        Files.writeString(file, password + "\n");
        return file;
    }

    @Test
    void aKilledAgentProcessLeavesTheRetainedOfflineStatusOfItsWill() throws Exception {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().start());
        StationClient station = closeLater(new StationClient(broker.clientBuilder(), "station-kill", false));
        Path output = dir.resolve("agent.out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process agent = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.spike.agent.AgentMain", "--simulate", "--time-scale", "10", "--agent-id", "killed-1",
                "--data-dir", dir.toString(), "--broker", broker.uri())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> station.latest(Topic.status("killed-1"), Status.class)
                    .map(Status::online).orElse(false) || !agent.isAlive());
            assertThat(agent.isAlive()).as("agent process output:\n%s", Files.readString(output)).isTrue();

            agent.destroyForcibly(); // SIGKILL: no shutdown hook, no offline status of its own
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(WAIT).until(() -> !station.latest(Topic.status("killed-1"), Status.class)
                    .orElseThrow().online());
        } finally {
            agent.destroyForcibly();
        }
        StationClient late = closeLater(new StationClient(broker.clientBuilder(), "station-late", false));
        await().atMost(WAIT).until(() -> late.latest(Topic.status("killed-1")).isPresent());
        assertThat(late.latest(Topic.status("killed-1")).orElseThrow().retained()).isTrue();
        Status will = late.latest(Topic.status("killed-1"), Status.class).orElseThrow();
        assertThat(will.online()).isFalse();
        assertThat(will.simulated()).isTrue();
    }

    @Test
    void everyEventArrivesInOrderAfterTheBrokerWasStoppedAndStartedAgain() {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().persistence(true).start());
        StationClient station = closeLater(new StationClient(broker.clientBuilder(), "station-outage", true));
        // time x60: a reading every 10 s of agent time is six a second, so events keep coming
        AgentRig rig = closeLater(new AgentRig(dir, "outage-1", LinkConfig.plain("outage-1", "127.0.0.1",
                broker.port()), 60, true));
        await().atMost(WAIT).until(() -> station.events("outage-1").size() >= 20);

        broker.stop();
        long lastBeforeRestart = rig.store.lastSeq();
        // control goes on: events pile up in the store while the broker is away
        await().atMost(WAIT).until(() -> rig.store.lastSeq() >= lastBeforeRestart + 30);
        broker.start();

        long target = rig.store.lastSeq();
        await().atMost(WAIT).until(() -> firstSeen(station.events("outage-1")).size() >= target);
        List<Long> order = firstSeen(station.events("outage-1"));
        for (int i = 0; i < target; i++) {
            assertThat(order.get(i)).as("the %d-th new seq received", i + 1).isEqualTo(i + 1);
        }
    }

    @Test
    void takesCommandsAgainAfterAKilledBrokerComesBackWithoutTheAgentsSession() {
        // SIGKILL long before mosquitto's autosave: the broker comes back without any session, so the client ends
        // its inbound flow with MqttSessionExpiredException
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().persistence(true).start());
        String agent = "lost-session-1";
        AgentRig rig = closeLater(new AgentRig(dir, agent, LinkConfig.plain(agent, "127.0.0.1", broker.port()), 1,
                true));
        StationClient before = closeLater(new StationClient(broker.clientBuilder(), "station-before", false));
        await().atMost(WAIT).until(() -> before.latest(Topic.status(agent), Status.class)
                .map(Status::online).orElse(false));

        broker.kill();
        broker.start();

        StationClient station = closeLater(new StationClient(broker.clientBuilder(), "station-after", false));
        // the agent republishes its retained status after it subscribed again, so commands reach it from here on
        await().atMost(WAIT).until(() -> station.latest(Topic.status(agent), Status.class)
                .map(Status::online).orElse(false));
        station.publish(Topic.of(agent, TopicKind.CMD_SPRAY), "{\"id\":\"after-kill\",\"durationS\":1}");
        await().atMost(WAIT).until(() -> !station.results(agent, "after-kill").isEmpty());
        assertThat(station.results(agent, "after-kill").get(0).accepted()).isTrue();
        station.askHistory(agent, "{\"id\":\"after-kill-history\",\"fromSeq\":1,\"limit\":100}",
                "c".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> station.pages(agent).stream().anyMatch(HistoryPage::last));
        assertThat(rig.store.lastSeq()).isPositive();
    }

    /** Seqs in the order they first arrived: a receiver that dedupes by seq sees exactly this. */
    private static List<Long> firstSeen(List<Event> events) {
        Set<Long> seen = new LinkedHashSet<>();
        for (Event event : events) {
            seen.add(event.seq());
        }
        return new ArrayList<>(seen);
    }

    @Test
    void aWrongPasswordIsRefusedWithALineThatSaysWhatToCheck() throws IOException {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().user("wrong-pw-1", "the-right-one").start());
        MqttSettings settings = MqttSettings.NONE.withBroker(broker.uri()).withUsername("wrong-pw-1")
                .withPasswordFile(passwordFile("not-it"));

        try (LogCapture log = new LogCapture(MqttLink.class)) {
            AgentRig rig = closeLater(new AgentRig(dir, "wrong-pw-1", link("wrong-pw-1", settings), 1, true));

            await().atMost(WAIT).until(() -> log.messages(Level.ERROR).stream().anyMatch(l -> l.contains("refused")));
            String line = log.messages(Level.ERROR).get(0);
            assertThat(line).contains("refused the agent: NOT_AUTHORIZED", "check the username", "--password-file",
                    "every event is kept").doesNotContain("not-it");
            assertThat(rig.link.isConnected()).isFalse();
            assertThat(rig.store.lastSeq()).isPositive();
        }
    }

    @Test
    void anAgentUnderTheShippedAclPublishesEverythingAndTakesCommands() throws IOException {
        String agent = "acl-agent-1";
        MosquittoBroker broker = closeLater(MosquittoBroker.builder()
                .aclFile(Path.of("../docs/mosquitto/acl"))
                .user(agent, "agent-secret")
                .user("station.home", "station-secret")
                .start());
        StationClient station = closeLater(new StationClient(broker.clientBuilder().simpleAuth(
                Mqtt5SimpleAuth.builder().username("station.home")
                        .password("station-secret".getBytes(StandardCharsets.UTF_8)).build()),
                "station-acl", false));
        MqttSettings settings = MqttSettings.NONE.withBroker(broker.uri()).withUsername(agent)
                .withPasswordFile(passwordFile("agent-secret"));

        AgentRig rig = closeLater(new AgentRig(dir, agent, link(agent, settings), 1, true));

        await().atMost(WAIT).until(() -> List.of(TopicKind.STATUS, TopicKind.STATE, TopicKind.HEALTH,
                TopicKind.CONFIG).stream().allMatch(kind -> station.latest(Topic.of(agent, kind)).isPresent()));
        station.publish(Topic.of(agent, TopicKind.CMD_SPRAY), "{\"id\":\"acl-spray\",\"durationS\":1}");
        await().atMost(WAIT).until(() -> !station.results(agent, "acl-spray").isEmpty());
        assertThat(station.results(agent, "acl-spray").get(0).accepted()).isTrue();
        station.askHistory(agent, "{\"id\":\"acl-history\",\"fromSeq\":1,\"limit\":100}",
                "c".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> station.pages(agent).stream().anyMatch(HistoryPage::last));
        await().atMost(WAIT).until(() -> rig.link.ackedSeq() == rig.store.lastSeq());
        assertThat(broker.log()).doesNotContain("Denied PUBLISH from spike-agent-" + agent);
    }

    @Test
    void connectsOverTlsTrustingACaMadeByTheTest() {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().tls().start());
        StationClient station = closeLater(new StationClient(broker.clientBuilder(), "station-tls", false));
        MqttSettings settings = MqttSettings.NONE.withBroker(broker.uri()).withCaFile(broker.caFile());

        AgentRig rig = closeLater(new AgentRig(dir, "tls-1", link("tls-1", settings), 1, true));

        await().atMost(WAIT).until(() -> station.latest(Topic.status("tls-1"), Status.class)
                .map(Status::online).orElse(false));
        await().atMost(WAIT).until(() -> rig.link.ackedSeq() == rig.store.lastSeq());
    }

    @Test
    void refusesABrokerWhoseCertificateNamesAnotherHost() {
        TestCertificates ca = TestCertificates.authority(dir);
        TestCertificates.ServerCertificate elsewhere = ca.issueServer("elsewhere", "DNS:broker.elsewhere.example");
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().tls(ca, elsewhere).start());
        MqttSettings settings = MqttSettings.NONE.withBroker(broker.uri()).withCaFile(ca.caFile());

        try (LogCapture log = new LogCapture(MqttLink.class)) {
            AgentRig rig = closeLater(new AgentRig(dir, "tls-2", link("tls-2", settings), 1, true));

            await().atMost(WAIT).until(() -> log.messages(Level.ERROR).stream().anyMatch(l -> l.contains("TLS")));
            assertThat(log.messages(Level.ERROR).get(0)).contains("TLS handshake with ssl://localhost:", "failed",
                    "names the host localhost");
            assertThat(rig.link.isConnected()).isFalse();
        }
    }

    @Test
    void refusesABrokerSignedByAnAuthorityItWasNotToldToTrust() {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().tls().start());
        // no --ca-file: the JVM's public authorities, which never signed the test CA
        MqttSettings settings = MqttSettings.NONE.withBroker(broker.uri());

        try (LogCapture log = new LogCapture(MqttLink.class)) {
            AgentRig rig = closeLater(new AgentRig(dir, "tls-3", link("tls-3", settings), 1, true));

            await().atMost(WAIT).until(() -> log.messages(Level.ERROR).stream().anyMatch(l -> l.contains("TLS")));
            assertThat(rig.link.isConnected()).isFalse();
        }
    }
}
