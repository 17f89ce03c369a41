package dev.spike.station.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against a real MQTT 5 broker: HiveMQ CE embedded in the test JVM. */
class HiveMqGatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    static Path brokerDir;

    private static EmbeddedBroker broker;

    private final Codec codec = new Codec();
    private final List<Object[]> received = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : cleanup) {
            closeable.close();
        }
    }

    /** A station gateway with a fresh station id, recording what it receives and its states. */
    private HiveMqGateway gateway() {
        HiveMqGateway gateway = new HiveMqGateway("station-" + IDS.incrementAndGet());
        gateway.addMessageListener((topic, message) -> received.add(new Object[] {topic, message}));
        gateway.addStateListener(states::add);
        cleanup.add(gateway);
        return gateway;
    }

    /** A plain MQTT 5 client playing an agent. */
    private Mqtt5AsyncClient agentClient(int port) {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("agent-" + IDS.incrementAndGet())
                .serverHost("127.0.0.1").serverPort(port).buildAsync();
        client.connect().join();
        cleanup.add(() -> client.disconnect().exceptionally(e -> null).join());
        return client;
    }

    private static String agentId() {
        return "agent-" + IDS.incrementAndGet();
    }

    private void publish(Mqtt5AsyncClient client, Topic topic, Object message, boolean retain) {
        client.publishWith().topic(topic.toString()).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(codec.encode(message)).send().join();
    }

    private <T> List<T> receivedOf(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Object[] pair : received) {
            if (type.isInstance(pair[1])) {
                found.add(type.cast(pair[1]));
            }
        }
        return found;
    }

    private List<Mqtt5Publish> subscribeCommands(Mqtt5AsyncClient client, String agentId) {
        List<Mqtt5Publish> commands = new CopyOnWriteArrayList<>();
        client.subscribeWith().topicFilter("spike/" + agentId + "/cmd/+").qos(MqttQos.AT_LEAST_ONCE)
                .callback(commands::add).send().join();
        return commands;
    }

    @Test
    void connectsWithItsStableClientIdAndReceivesTheRetainedStatus() throws Exception {
        String agent = agentId();
        Status status = new Status(true, T0, "0.1.0", true);
        publish(agentClient(broker.port()), Topic.status(agent), status, true);
        HiveMqGateway gateway = gateway();

        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);

        assertThat(gateway.state()).isEqualTo(ConnectionState.connected("tcp://127.0.0.1:" + broker.port()));
        assertThat(gateway.clientId()).isEqualTo("spike-station-" + gateway.stationId());
        await().atMost(WAIT).until(() -> receivedOf(Status.class).contains(status));
        assertThat(received).anySatisfy(pair -> assertThat(pair[0]).isEqualTo(Topic.status(agent)));
        assertThat(states).extracting(ConnectionState::kind)
                .containsSubsequence(ConnectionState.Kind.CONNECTING, ConnectionState.Kind.CONNECTED);
    }

    @Test
    void sendsASprayThatExpiresAfter30Seconds() throws Exception {
        String agent = agentId();
        List<Mqtt5Publish> commands = subscribeCommands(agentClient(broker.port()), agent);
        HiveMqGateway gateway = gateway();
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);

        gateway.sendSpray(agent, new SprayCommand("spray-1a2b", 6)).get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> !commands.isEmpty());
        Mqtt5Publish spray = commands.get(0);
        assertThat(spray.getTopic().toString()).isEqualTo(Topic.of(agent, TopicKind.CMD_SPRAY).toString());
        assertThat(spray.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(spray.getMessageExpiryInterval().orElse(-1)).isBetween(28L, 30L);
        assertThat(codec.decode(spray.getTopic().toString(), spray.getPayloadAsBytes()).value())
                .isEqualTo(new SprayCommand("spray-1a2b", 6));
    }

    @Test
    void asksForHistoryWithItsReplyTopicAndCorrelationDataAndReceivesThePages() throws Exception {
        String agent = agentId();
        Mqtt5AsyncClient agentClient = agentClient(broker.port());
        List<Mqtt5Publish> commands = subscribeCommands(agentClient, agent);
        HiveMqGateway gateway = gateway();
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);

        gateway.requestHistory(agent, new HistoryRequest("history-7", 1, 1000)).get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> !commands.isEmpty());
        Mqtt5Publish request = commands.get(0);
        String replyTopic = "spike/" + agent + "/reply/" + gateway.stationId();
        assertThat(request.getResponseTopic().map(Object::toString)).contains(replyTopic);
        assertThat(request.getCorrelationData().map(HiveMqGatewayTest::text)).contains("history-7");

        HistoryPage page = new HistoryPage("history-7", agent, List.of(new HumidityChanged(agent, 1, T0, 74.2),
                new ValveClosed(agent, 2, T0.plusSeconds(6), 6003)), true);
        agentClient.publishWith().topic(replyTopic).qos(MqttQos.AT_LEAST_ONCE)
                .correlationData(request.getCorrelationData().orElseThrow()).payload(codec.encode(page)).send()
                .join();
        await().atMost(WAIT).until(() -> receivedOf(HistoryPage.class).contains(page));
    }

    @Test
    void dropsWhatDoesNotDecodeAndDeliversWhatFollows() throws Exception {
        String agent = agentId();
        Mqtt5AsyncClient agentClient = agentClient(broker.port());
        HiveMqGateway gateway = gateway();
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);

        agentClient.publishWith().topic("spike/" + agent + "/event/humidity_changed").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"seq\":1,\"humidityPct\":\"wet\"}".getBytes(StandardCharsets.UTF_8)).send().join();
        HumidityChanged good = new HumidityChanged(agent, 2, T0, 74.2);
        publish(agentClient, Topic.event(agent, good.type()), good, false);

        await().atMost(WAIT).until(() -> receivedOf(HumidityChanged.class).contains(good));
        assertThat(receivedOf(HumidityChanged.class)).containsExactly(good);
    }

    @Test
    void getsWhatTheBrokerKeptForItsSessionWhileItWasAway() throws Exception {
        String agent = agentId();
        HiveMqGateway gateway = gateway();
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);
        gateway.disconnect().get(30, TimeUnit.SECONDS);
        assertThat(gateway.state().kind()).isEqualTo(ConnectionState.Kind.DISCONNECTED);

        HumidityChanged missed = new HumidityChanged(agent, 1, T0, 74.2);
        publish(agentClient(broker.port()), Topic.event(agent, missed.type()), missed, false);
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> receivedOf(HumidityChanged.class).contains(missed));
    }

    @Test
    void refusesCommandsWhileNotConnected() {
        HiveMqGateway gateway = gateway();

        CompletableFuture<Void> sent = gateway.sendSpray("terrarium-1", new SprayCommand("spray-1", 6));

        assertThat(sent).isCompletedExceptionally();
        assertThat(sent.handle((ok, error) -> error).join())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not sent to spike/terrarium-1/cmd/spray: the station is disconnected");
    }

    @Test
    void reportsARefusalWithTheBrokersReasonAndStopsTrying() {
        HiveMqGateway gateway = gateway();
        LogCapture log = new LogCapture();
        cleanup.add(log);

        CompletableFuture<Void> first = gateway.connect(broker.settings(EmbeddedBroker.INTRUDER, "gu3ss-pw"));

        await().atMost(WAIT).until(() -> gateway.state().kind() == ConnectionState.Kind.REFUSED);
        assertThat(first).failsWithin(WAIT);
        assertThat(gateway.state().reason()).startsWith("bad user name or password (unknown user)")
                .endsWith("check the user name and password");
        // no attempt after the refusal
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> states.stream().filter(s -> s.kind() != ConnectionState.Kind.CONNECTING).count() == 1);
        assertThat(states).extracting(ConnectionState::kind)
                .containsExactly(ConnectionState.Kind.CONNECTING, ConnectionState.Kind.REFUSED);
        assertThat(log.lines()).anyMatch(line -> line.contains("refused"))
                .noneMatch(line -> line.contains("gu3ss-pw"));
    }

    @Test
    void reportsEachReconnectAttemptWhileTheBrokerIsDownAndConnectsAgain(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker own = EmbeddedBroker.start(dir)) {
            HiveMqGateway gateway = gateway();
            gateway.connect(own.settings()).get(30, TimeUnit.SECONDS);

            own.stop();
            await().atMost(WAIT).until(() -> states.stream().anyMatch(s -> s.kind()
                    == ConnectionState.Kind.RECONNECTING && s.attempt() >= 2));
            assertThat(gateway.state().isConnected()).isFalse();
            assertThat(gateway.sendSpray("terrarium-1", new SprayCommand("spray-2", 6))).isCompletedExceptionally();

            own.startAgain();
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.state().isConnected());
            List<Integer> attempts = new ArrayList<>();
            for (ConnectionState state : states) {
                if (state.kind() == ConnectionState.Kind.RECONNECTING) {
                    attempts.add(state.attempt());
                }
            }
            assertThat(attempts).startsWith(1, 2).isSorted();
        }
    }

    @Test
    void theFirstConnectFailsButKeepsTryingWhenNoBrokerListens() throws Exception {
        HiveMqGateway gateway = gateway();
        BrokerSettings nowhere;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere = BrokerSettings.parse("tcp://127.0.0.1:" + socket.getLocalPort(), null, null, null);
        }

        CompletableFuture<Void> first = gateway.connect(nowhere);

        assertThat(first).failsWithin(WAIT).withThrowableThat().isInstanceOf(ExecutionException.class);
        await().atMost(WAIT).until(() -> gateway.state().kind() == ConnectionState.Kind.RECONNECTING);
        assertThat(gateway.state().reason()).containsIgnoringCase("connection refused");
        assertThat(states).filteredOn(state -> state.kind() == ConnectionState.Kind.RECONNECTING)
                .first().extracting(ConnectionState::attempt).isEqualTo(1);
    }

    @Test
    void connectsOverTlsTrustingTheCaFile(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker tls = EmbeddedBroker.startTls(dir)) {
            String agent = agentId();
            HiveMqGateway gateway = gateway();

            gateway.connect(tls.tlsSettings()).get(30, TimeUnit.SECONDS);

            assertThat(gateway.state()).isEqualTo(ConnectionState.connected("ssl://127.0.0.1:" + tls.port()));
            gateway.sendSpray(agent, new SprayCommand("spray-tls", 6)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesToConnectWithoutTrustingTheBrokersCertificate(@TempDir Path dir) throws Exception {
        try (EmbeddedBroker tls = EmbeddedBroker.startTls(dir)) {
            HiveMqGateway gateway = gateway();

            // the system's CAs do not know the self-signed certificate
            gateway.connect(BrokerSettings.parse("ssl://127.0.0.1:" + tls.port(), null, null, null));

            await().atMost(WAIT).until(() -> gateway.state().kind() == ConnectionState.Kind.REFUSED);
            assertThat(gateway.state().reason()).startsWith("TLS handshake failed")
                    .endsWith("check the CA file and that the broker's certificate names this host");
        }
    }

    @Test
    void refusesACaFileThatHoldsNoCertificate(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        HiveMqGateway gateway = gateway();

        CompletableFuture<Void> first = gateway.connect(BrokerSettings.parse("ssl://127.0.0.1:8883", null, null,
                notPem.toString()));

        assertThat(first).isCompletedExceptionally();
        assertThat(gateway.state().kind()).isEqualTo(ConnectionState.Kind.REFUSED);
        assertThat(gateway.state().reason()).startsWith("cannot use the CA file " + notPem)
                .endsWith("choose a PEM file with the broker's certificate authority");
    }

    @Test
    void aClosedGatewayLetsItsJvmExit(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path output = dir.resolve("probe.log");
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ConnectCloseAndReturn.class.getName(), "tcp://127.0.0.1:" + broker.port())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            // a thread that outlives close() keeps the JVM alive; the client's own kept it for the session expiry
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).as("the JVM exited; output: %s", output).isTrue();
            assertThat(probe.exitValue()).isZero();
            assertThat(Files.readString(output)).contains("gateway closed");
        } finally {
            probe.destroyForcibly();
        }
    }

    /** Connects a gateway with its persistent session, closes it and returns from main. */
    static final class ConnectCloseAndReturn {

        public static void main(String[] args) throws Exception {
            HiveMqGateway gateway = new HiveMqGateway("exit-probe");
            gateway.connect(BrokerSettings.parse(args[0], null, null, null)).get(30, TimeUnit.SECONDS);
            gateway.close();
            System.out.println("gateway closed");
        }
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
