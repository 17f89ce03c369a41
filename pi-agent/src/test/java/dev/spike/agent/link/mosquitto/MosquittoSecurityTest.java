package dev.spike.agent.link.mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented broker set-up (docs/mosquitto/acl and mosquitto.conf) against a real mosquitto with TLS and a
 * password file, probed by real MQTT 5 clients.
 *
 * <p>How a refusal looks, precisely: mosquitto 2.0 answers a denied MQTT 5 QoS 1 PUBLISH with a PUBACK whose
 * reason code is NOT_AUTHORIZED (0x87), which the blocking HiveMQ client throws as {@link Mqtt5PubAckException},
 * drops the message and logs "Denied PUBLISH". (An MQTT 3.1.1 client gets a plain PUBACK and cannot tell.) A
 * refused login is a CONNACK with NOT_AUTHORIZED, for no credentials and for wrong ones alike. Subscriptions are
 * not checked in mosquitto 2.0: SUBSCRIBE to anything succeeds, and read access is checked per message on
 * delivery.
 *
 * <p>"Sees nothing" is proved with a fence: after the broker has answered the denied publish, an allowed message
 * goes to the same reader; the broker handles one packet at a time, so anything the denied publish had let
 * through would arrive before the fence.
 */
class MosquittoSecurityTest {

    /** Where the documented files live; surefire runs in the module directory, hence the fallback. */
    static final String DOCS_PROPERTY = "spike.mosquitto.docs";

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String AGENT = "terrarium-1";
    private static final String OTHER_AGENT = "terrarium-2";
    /** The station user of docs/mosquitto/acl; its station id (for reply topics) is independent of it. */
    private static final String STATION_USER = "station.home";
    private static final String STATION_ID = "home";
    /** The station's read grant in docs/mosquitto/acl: every topic a Spike client can see. */
    private static final String EVERYTHING = "spike/#";
    private static final Map<String, String> PASSWORDS = Map.of(
            AGENT, "agent-one-secret",
            OTHER_AGENT, "agent-two-secret",
            STATION_USER, "station-secret");

    private static MosquittoBroker broker;

    private final AtomicInteger clientNumber = new AtomicInteger();
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        MosquittoBroker.Builder builder = MosquittoBroker.builder().aclFile(documentedFile("acl")).tls();
        PASSWORDS.forEach(builder::user);
        broker = builder.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void disconnectClients() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
    }

    // ---- who may connect, and how

    @Test
    void refusesAnonymousClients() {
        Mqtt5BlockingClient anonymous = broker.clientBuilder().identifier("anonymous").buildBlocking();

        assertThatThrownBy(anonymous::connect)
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void refusesAWrongPassword() {
        assertThatThrownBy(() -> connect(broker.clientBuilder(), AGENT, "not-the-password"))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void refusesAnUnknownUser() {
        assertThatThrownBy(() -> connect(broker.clientBuilder(), "terrarium-9", "agent-one-secret"))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void acceptsTlsWithHostnameVerificationAgainstTheTestCa() {
        Mqtt5BlockingClient client = connect(broker.clientBuilder(), AGENT, PASSWORDS.get(AGENT));

        assertThat(client.getState().isConnected()).isTrue();
        assertThat(client.getConfig().getSslConfig()).isPresent();
        assertThat(client.getConfig().getSslConfig().orElseThrow().getHostnameVerifier())
                .as("null means the JDK's HTTPS hostname check, the HiveMQ client's default")
                .isEmpty();
    }

    @Test
    void refusesTlsWhenTheClientDoesNotTrustTheTestCa() {
        Mqtt5ClientBuilder withJdkTrustStore = MqttClient.builder().useMqttVersion5()
                .serverHost(broker.host()).serverPort(broker.port()).sslWithDefaultConfig();

        assertThatThrownBy(() -> connect(withJdkTrustStore, AGENT, PASSWORDS.get(AGENT)))
                .isInstanceOf(ConnectionFailedException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertPathBuilderException.class)
                .hasRootCauseMessage("unable to find valid certification path to requested target");
    }

    @Test
    void refusesTlsWhenTheCertificateNamesAnotherHost(@TempDir Path certificates) {
        TestCertificates ca = TestCertificates.authority(certificates);
        TestCertificates.ServerCertificate elsewhere = ca.issueServer("elsewhere", "DNS:broker.example");
        try (MosquittoBroker wrongName = MosquittoBroker.builder().tls(ca, elsewhere)
                .user(AGENT, PASSWORDS.get(AGENT)).start()) {

            assertThatThrownBy(() -> connect(wrongName.clientBuilder(), AGENT, PASSWORDS.get(AGENT)))
                    .isInstanceOf(ConnectionFailedException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertificateException.class)
                    .hasRootCauseMessage("No subject alternative DNS name matching localhost found.");
        }
    }

    // ---- what a station may do

    @ParameterizedTest(name = "{0}")
    @MethodSource("agentOwnTopics")
    void stopsAStationWritingAnAgentsOwnTopics(Topic topic) {
        Queue<Mqtt5Publish> watched = watchEverything();
        Mqtt5BlockingClient station = connectAs(STATION_USER);

        assertDenied(station, topic);

        Mqtt5BlockingClient agent = connectAs(AGENT);
        Topic fence = Topic.event(AGENT, EventType.HUMIDITY_CHANGED);
        publish(agent, fence, "fence");
        assertOnlyFenceArrives(watched, fence);
        assertThat(broker.log()).containsPattern("Denied PUBLISH from " + Pattern.quote(clientId(station))
                + " \\(d0, q1, r0, m\\d+, '" + Pattern.quote(topic.toString()) + "'");
    }

    @Test
    void letsAStationWriteEveryCommandAndTheAgentReadsThem() {
        Queue<Mqtt5Publish> agentInbox = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient agent = connectAs(AGENT, agentInbox);
        for (String filter : Topic.agentFilters(AGENT)) {
            agent.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        Mqtt5BlockingClient station = connectAs(STATION_USER);
        List<Topic> commands = commandTopics(AGENT).toList();

        for (Topic command : commands) {
            assertThat(publish(station, command, "command").getError()).isEmpty();
        }

        await().atMost(WAIT).until(() -> agentInbox.size() == commands.size());
        assertThat(agentInbox).extracting(publish -> publish.getTopic().toString())
                .containsExactlyElementsOf(commands.stream().map(Topic::toString).toList());
    }

    @Test
    void letsAStationReadEverythingAnAgentWrites() {
        Queue<Mqtt5Publish> watched = watchEverything();
        Mqtt5BlockingClient agent = connectAs(AGENT);
        List<Topic> topics = agentOwnTopics().toList();

        for (Topic topic : topics) {
            assertThat(publish(agent, topic, "own").getError()).isEmpty();
        }

        await().atMost(WAIT).until(() -> watched.size() == topics.size());
        assertThat(watched).extracting(publish -> publish.getTopic().toString())
                .containsExactlyElementsOf(topics.stream().map(Topic::toString).toList());
    }

    // ---- what an agent may do

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandsForEitherAgent")
    void stopsAnAgentWritingCommands(Topic command) {
        Queue<Mqtt5Publish> watched = watchEverything();
        Queue<Mqtt5Publish> addresseeInbox = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient addressee = connectAs(command.agentId(), addresseeInbox);
        for (String filter : Topic.agentFilters(command.agentId())) {
            addressee.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        }
        // The sender is terrarium-1: for terrarium-1's own commands it is also the addressee, a second session.
        Mqtt5BlockingClient agent = connectAs(AGENT);

        assertDenied(agent, command);

        Mqtt5BlockingClient station = connectAs(STATION_USER);
        Topic fence = Topic.of(command.agentId(), TopicKind.CMD_SPRAY);
        publish(station, fence, "fence");
        assertOnlyFenceArrives(watched, fence);
        assertOnlyFenceArrives(addresseeInbox, fence);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherAgentOwnTopics")
    void stopsAnAgentWritingAnotherAgentsTopics(Topic topic) {
        Queue<Mqtt5Publish> watched = watchEverything();
        Mqtt5BlockingClient agent = connectAs(AGENT);

        assertDenied(agent, topic);

        Mqtt5BlockingClient other = connectAs(OTHER_AGENT);
        Topic fence = Topic.event(OTHER_AGENT, EventType.HUMIDITY_CHANGED);
        publish(other, fence, "fence");
        assertOnlyFenceArrives(watched, fence);
    }

    @Test
    void letsAnAgentReadOnlyItsOwnCommands() {
        Queue<Mqtt5Publish> inbox = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient agent = connectAs(AGENT, inbox);
        // Mosquitto 2.0 grants any subscription and checks read access per message on delivery.
        agent.subscribeWith().topicFilter(EVERYTHING).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient station = connectAs(STATION_USER);
        Mqtt5BlockingClient other = connectAs(OTHER_AGENT);

        publish(station, Topic.of(OTHER_AGENT, TopicKind.CMD_SPRAY), "not for terrarium-1");
        publish(other, Topic.state(OTHER_AGENT), "not for terrarium-1");
        publish(other, Topic.reply(OTHER_AGENT, STATION_ID), "not for terrarium-1");
        publish(station, Topic.of(AGENT, TopicKind.SIM_SET), "for terrarium-1");
        Topic fence = Topic.of(AGENT, TopicKind.CMD_SPRAY);
        publish(station, fence, "fence");

        await().atMost(WAIT).until(() -> inbox.stream().anyMatch(publish -> isFence(publish, fence)));
        assertThat(inbox).extracting(publish -> publish.getTopic().toString())
                .containsExactly(Topic.of(AGENT, TopicKind.SIM_SET).toString(), fence.toString());
    }

    @Test
    void deliversAnAgentsWillOnItsOwnStatus() {
        Queue<Mqtt5Publish> watched = watchEverything();
        Mqtt5BlockingClient agent = connectWithWill(AGENT, Topic.status(AGENT));

        agent.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        await().atMost(WAIT).until(() -> !watched.isEmpty());
        assertThat(watched).extracting(publish -> publish.getTopic().toString())
                .containsExactly(Topic.status(AGENT).toString());
    }

    /** Mosquitto checks the will against the ACL only when it sends it: the CONNECT succeeds, the will vanishes. */
    @Test
    void dropsAWillAimedAtAnotherAgentsStatus() {
        Queue<Mqtt5Publish> watched = watchEverything();
        Mqtt5BlockingClient agent = connectWithWill(AGENT, Topic.status(OTHER_AGENT));
        String id = clientId(agent);

        agent.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        // The will is dropped or queued while mosquitto handles the DISCONNECT, before it logs this line.
        await().atMost(WAIT).until(() -> broker.log().contains("Client " + id + " disconnected"));
        Mqtt5BlockingClient other = connectAs(OTHER_AGENT);
        Topic fence = Topic.status(OTHER_AGENT);
        publish(other, fence, "fence");
        assertOnlyFenceArrives(watched, fence);
    }

    // ---- the documented files

    /** The guide shows both files; the copies under docs/mosquitto/ are what gets installed and tested. */
    @Test
    void theGuideShowsTheDocumentedFilesUnchanged() throws IOException {
        Path guide = documentedFile("acl").getParent().resolveSibling("deploy-mosquitto.md");
        String text = Files.readString(guide, StandardCharsets.UTF_8);
        Matcher block = Pattern.compile("<!-- file: mosquitto/([\\w.]+) -->\n```\n(.*?)```\n", Pattern.DOTALL)
                .matcher(text);
        List<String> shown = new ArrayList<>();

        while (block.find()) {
            shown.add(block.group(1));
            assertThat(block.group(2)).as("the %s shown in %s", block.group(1), guide)
                    .isEqualTo(Files.readString(documentedFile(block.group(1)), StandardCharsets.UTF_8));
        }

        assertThat(shown).containsExactly("mosquitto.conf", "acl");
    }


    /**
     * Runs docs/mosquitto/mosquitto.conf with only its paths and ports moved into a temporary directory: it loads
     * in mosquitto, needs passwords on both listeners, serves TLS with the documented certificate names, applies
     * the documented ACL, and carries a 2 MiB history page.
     */
    @Test
    void runsTheDocumentedConfiguration(@TempDir Path root) throws IOException {
        Path etc = Files.createDirectories(root.resolve("etc"));
        Path certs = Files.createDirectories(etc.resolve("certs"));
        Path spike = Files.createDirectories(etc.resolve("spike"));
        TestCertificates ca = TestCertificates.authority(certs);
        TestCertificates.ServerCertificate server = ca.issueServer("spike-server", "DNS:localhost", "IP:127.0.0.1");
        MosquittoBroker.writePasswordFile(spike.resolve("passwd"), PASSWORDS);
        Files.copy(documentedFile("acl"), spike.resolve("acl"));
        int tlsPort = MosquittoBroker.freeLoopbackPort();
        int plainPort = MosquittoBroker.freeLoopbackPort();
        String config = Files.readString(documentedFile("mosquitto.conf"), StandardCharsets.UTF_8);
        config = replace(config, "/etc/mosquitto/", etc + "/");
        config = replace(config, "/var/lib/mosquitto/", Files.createDirectories(root.resolve("data")) + "/");
        config = replace(config, "/var/log/mosquitto/", Files.createDirectories(root.resolve("log")) + "/");
        config = replace(config, "/run/mosquitto/", Files.createDirectories(root.resolve("run")) + "/");
        config = replace(config, "\nlistener 8883\n", "\nlistener " + tlsPort + " 127.0.0.1\n");
        config = replace(config, "\nlistener 1883 127.0.0.1\n", "\nlistener " + plainPort + " 127.0.0.1\n");
        assertThat(server.certFile()).isEqualTo(certs.resolve("spike-server.crt"));

        try (MosquittoBroker documented = MosquittoBroker.builder().rawConfig(config).port(tlsPort)
                .tls(ca, server).start()) {
            Mqtt5ClientBuilder loopback = MqttClient.builder().useMqttVersion5()
                    .serverHost("127.0.0.1").serverPort(plainPort);
            assertThatThrownBy(() -> loopback.identifier("anonymous").buildBlocking().connect())
                    .isInstanceOf(Mqtt5ConnAckException.class);
            Queue<Mqtt5Publish> stationInbox = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient station = documented.clientBuilder().identifier("station").buildBlocking();
            station.toAsync().publishes(MqttGlobalPublishFilter.ALL, stationInbox::add);
            Mqtt5ConnAck stationConnAck = login(station, STATION_USER);
            clients.add(station);
            for (String filter : Topic.stationFilters(STATION_ID)) {
                station.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            Mqtt5BlockingClient agent = connect(loopback, AGENT, PASSWORDS.get(AGENT));

            assertThat(stationConnAck.getRestrictions().getMaximumPacketSize()).isEqualTo(2_162_688);
            assertDenied(agent, Topic.of(AGENT, TopicKind.CMD_SPRAY));
            byte[] page = new byte[2 * 1024 * 1024];
            agent.publishWith().topic(Topic.reply(AGENT, STATION_ID).toString()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(page).send();
            await().atMost(WAIT).until(() -> !stationInbox.isEmpty());
            assertThat(stationInbox).singleElement()
                    .satisfies(publish -> assertThat(publish.getPayloadAsBytes()).hasSize(page.length));
            agent.disconnect();
            station.disconnect();
        }
    }

    // ---- topics

    /** Every topic an agent writes, built for terrarium-1. */
    static Stream<Topic> agentOwnTopics() {
        return ownTopics(AGENT);
    }

    static Stream<Topic> otherAgentOwnTopics() {
        return ownTopics(OTHER_AGENT);
    }

    static Stream<Topic> commandsForEitherAgent() {
        return Stream.concat(commandTopics(AGENT), commandTopics(OTHER_AGENT));
    }

    private static Stream<Topic> ownTopics(String agentId) {
        return Stream.of(
                Topic.status(agentId),
                Topic.event(agentId, EventType.VALVE_OPENED),
                Topic.state(agentId),
                Topic.health(agentId),
                Topic.config(agentId),
                Topic.reply(agentId, STATION_ID));
    }

    private static Stream<Topic> commandTopics(String agentId) {
        return Stream.of(TopicKind.values()).filter(TopicKind::isCommand).map(kind -> Topic.of(agentId, kind));
    }

    // ---- helpers

    /** A second station session subscribed to everything a station may read. */
    private Queue<Mqtt5Publish> watchEverything() {
        Queue<Mqtt5Publish> watched = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient watcher = connectAs(STATION_USER, watched);
        watcher.subscribeWith().topicFilter(EVERYTHING).qos(MqttQos.AT_LEAST_ONCE).send();
        return watched;
    }

    private Mqtt5BlockingClient connectAs(String user) {
        return connectAs(user, new ConcurrentLinkedQueue<>());
    }

    private Mqtt5BlockingClient connectAs(String user, Queue<Mqtt5Publish> inbox) {
        Mqtt5BlockingClient client = broker.clientBuilder().identifier(nextClientId(user)).buildBlocking();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, inbox::add);
        login(client, user);
        clients.add(client);
        return client;
    }

    private Mqtt5BlockingClient connectWithWill(String user, Topic willTopic) {
        Mqtt5BlockingClient client = broker.clientBuilder().identifier(nextClientId(user)).buildBlocking();
        client.connectWith()
                .simpleAuth().username(user).password(password(user)).applySimpleAuth()
                .willPublish().topic(willTopic.toString()).qos(MqttQos.AT_LEAST_ONCE)
                .payload("offline".getBytes(StandardCharsets.UTF_8)).applyWillPublish()
                .send();
        clients.add(client);
        return client;
    }

    private Mqtt5BlockingClient connect(Mqtt5ClientBuilder builder, String user, String password) {
        Mqtt5BlockingClient client = builder.identifier(nextClientId(user)).buildBlocking();
        client.connectWith()
                .simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .send();
        clients.add(client);
        return client;
    }

    private static Mqtt5ConnAck login(Mqtt5BlockingClient client, String user) {
        return client.connectWith()
                .simpleAuth().username(user).password(password(user)).applySimpleAuth()
                .send();
    }

    private static byte[] password(String user) {
        return PASSWORDS.get(user).getBytes(StandardCharsets.UTF_8);
    }

    private String nextClientId(String user) {
        return user + "-" + clientNumber.incrementAndGet();
    }

    private static String clientId(Mqtt5BlockingClient client) {
        return client.getConfig().getClientIdentifier().orElseThrow().toString();
    }

    private static Mqtt5PublishResult publish(Mqtt5BlockingClient client, Topic topic, String payload) {
        return client.publishWith().topic(topic.toString()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static void assertDenied(Mqtt5BlockingClient client, Topic topic) {
        assertThatThrownBy(() -> publish(client, topic, "denied"))
                .as("%s publishing on %s", clientId(client), topic)
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    }

    private static void assertOnlyFenceArrives(Queue<Mqtt5Publish> inbox, Topic fence) {
        await().atMost(WAIT).until(() -> inbox.stream().anyMatch(publish -> isFence(publish, fence)));
        assertThat(inbox).extracting(publish -> publish.getTopic().toString())
                .containsExactly(fence.toString());
    }

    private static boolean isFence(Mqtt5Publish publish, Topic fence) {
        return publish.getTopic().toString().equals(fence.toString())
                && "fence".equals(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
    }

    private static String replace(String text, String target, String replacement) {
        assertThat(text).as("docs/mosquitto/mosquitto.conf no longer contains %s; update this test", target.strip())
                .contains(target);
        return text.replace(target, replacement);
    }

    static Path documentedFile(String name) {
        Path docs = Path.of(System.getProperty(DOCS_PROPERTY, "../docs/mosquitto"));
        Path file = docs.resolve(name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("documented mosquitto file not found: " + file + "; run the tests from "
                    + "the pi-agent directory or set -D" + DOCS_PROPERTY + "=<repo>/docs/mosquitto");
        }
        return file;
    }
}
