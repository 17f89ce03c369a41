package dev.spike.agent.link.mosquitto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The harness itself: ports, restarts, persistence, failure messages. The ACL tests build on it. */
class MosquittoBrokerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String AGENT = "terrarium-1";
    private static final String STATE = Topic.state(AGENT).toString();

    @Test
    void startsOnAFreeLoopbackPortAndCarriesMessages() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().start()) {
            assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient subscriber = connect(broker, "subscriber", received, true);
            subscriber.subscribeWith().topicFilter(STATE).qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient publisher = connect(broker, "publisher", new ConcurrentLinkedQueue<>(), true);

            publisher.publishWith().topic(STATE).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("hello")).send();

            await().atMost(WAIT).until(() -> received.size() == 1);
            assertThat(text(received.peek())).isEqualTo("hello");
            assertThat(broker.log()).containsPattern("mosquitto version \\S+ running");
            publisher.disconnect();
            subscriber.disconnect();
        }
    }

    @Test
    void keepsRetainedMessagesAcrossARestartOnTheSamePortWithPersistence() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).start()) {
            int port = broker.port();
            publishRetained(broker, "before restart");

            broker.restart();

            assertThat(broker.port()).isEqualTo(port);
            assertThat(retainedState(broker)).isEqualTo("before restart");
        }
    }

    @Test
    void forgetsRetainedMessagesAcrossARestartWithoutPersistence() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(false).start()) {
            publishRetained(broker, "before restart");

            broker.restart();

            Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient reader = connect(broker, "reader", received, true);
            reader.subscribeWith().topicFilter(STATE).qos(MqttQos.AT_LEAST_ONCE).send();
            // A fence: anything retained would have been delivered before the reader's own message comes back.
            reader.publishWith().topic(STATE).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("fence")).send();
            await().atMost(WAIT).until(() -> !received.isEmpty());
            assertThat(received).extracting(MosquittoBrokerTest::text).containsExactly("fence");
            reader.disconnect();
        }
    }

    @Test
    void keepsAPersistentSessionAndItsQueuedMessagesAcrossARestart() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).start()) {
            leaveSessionWithQueuedEvent(broker, false);

            broker.restart();

            Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
            Mqtt5ConnAck connAck = resumeStation(broker, received);
            assertThat(connAck.isSessionPresent()).isTrue();
            await().atMost(WAIT).until(() -> !received.isEmpty());
            assertThat(received).extracting(MosquittoBrokerTest::text).containsExactly("queued");
        }
    }

    /**
     * Mosquitto 2.0 writes a session to its persistence file only if the client's latest CONNECT had clean start
     * false (persist_write.c). A session opened with clean start true and a session expiry lives on in memory
     * after a disconnect, but not across a broker restart. Clients that must survive a restart therefore always
     * connect with clean start false, the first time too.
     */
    @Test
    void persistsOnlySessionsWhoseLatestConnectHadCleanStartFalse() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).start()) {
            leaveSessionWithQueuedEvent(broker, true);

            broker.restart();

            Mqtt5ConnAck connAck = resumeStation(broker, new ConcurrentLinkedQueue<>());
            assertThat(connAck.isSessionPresent()).isFalse();
        }
    }

    @Test
    void stopSendsSigtermAndKillSendsSigkill() {
        try (MosquittoBroker broker = MosquittoBroker.builder().start()) {
            int port = broker.port();

            broker.stop();

            assertThat(broker.isRunning()).isFalse();
            assertThat(count("terminating", broker.log())).isEqualTo(1);
            assertRefused(port);

            broker.start();
            broker.kill();

            assertThat(broker.isRunning()).isFalse();
            assertThat(count("running", broker.log())).isEqualTo(2);
            // SIGKILL gives mosquitto no chance to say goodbye: still the one line from the SIGTERM above.
            assertThat(count("terminating", broker.log())).isEqualTo(1);
            assertRefused(port);

            broker.start();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.isRunning()).isTrue();
        }
    }

    @Test
    void killLosesWhatPersistenceHadNotSavedYet() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().persistence(true).start()) {
            publishRetained(broker, "saved");
            broker.restart(); // SIGTERM: saved
            publishRetained(broker, "not saved");

            broker.kill();
            broker.start();

            assertThat(retainedState(broker)).isEqualTo("saved");
        }
    }

    @Test
    void refusesToStartTwice() {
        try (MosquittoBroker broker = MosquittoBroker.builder().start()) {
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("mosquitto is already running on port " + broker.port());
        }
    }

    @Test
    void reportsTheBrokerLogWhenMosquittoRefusesItsConfiguration() {
        MosquittoBroker.Builder builder = MosquittoBroker.builder().configLine("no_such_option 1");

        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mosquitto exited with code")
                .hasMessageContaining("no_such_option");
    }

    @Test
    void failsWithTheDebianPackageToInstallWhenAToolIsMissing() {
        assertThat(ExternalCommand.locate("mosquitto", List.of(Path.of("/nonexistent/mosquitto")), "/nonexistent"))
                .isEmpty();
        assertThatThrownBy(() -> ExternalCommand.require("spike-no-such-broker", "mosquitto"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("spike-no-such-broker not installed: apt-get install mosquitto");
    }

    @Test
    void servesTlsForLocalhostWithItsOwnCertificateAuthority() {
        try (MosquittoBroker broker = MosquittoBroker.builder().tls().start()) {
            assertThat(broker.uri()).isEqualTo("ssl://localhost:" + broker.port());
            assertThat(broker.caFile()).exists();
            Mqtt5BlockingClient client = broker.clientBuilder().identifier("tls").buildBlocking();

            client.connect();

            client.disconnect();
        }
    }

    private static Mqtt5BlockingClient connect(MosquittoBroker broker, String id, Queue<Mqtt5Publish> received,
            boolean cleanStart) {
        Mqtt5BlockingClient client = broker.clientBuilder().identifier(id).buildBlocking();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        client.connectWith().cleanStart(cleanStart).send();
        return client;
    }

    /** A station subscribes to an event and goes away; an agent publishes one event into its session. */
    private static void leaveSessionWithQueuedEvent(MosquittoBroker broker, boolean cleanStart) {
        String eventTopic = Topic.event(AGENT, EventType.VALVE_OPENED).toString();
        Mqtt5BlockingClient station = broker.clientBuilder().identifier("station").buildBlocking();
        station.connectWith().cleanStart(cleanStart).sessionExpiryInterval(300).send();
        station.subscribeWith().topicFilter(eventTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        station.disconnect();
        Mqtt5BlockingClient agent = connect(broker, "agent", new ConcurrentLinkedQueue<>(), true);
        agent.publishWith().topic(eventTopic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("queued")).send();
        agent.disconnect();
    }

    private static Mqtt5ConnAck resumeStation(MosquittoBroker broker, Queue<Mqtt5Publish> received) {
        Mqtt5BlockingClient station = broker.clientBuilder().identifier("station").buildBlocking();
        // Registered before connecting: queued messages arrive right after the CONNACK.
        station.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        return station.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    }

    private static void publishRetained(MosquittoBroker broker, String payload) {
        Mqtt5BlockingClient agent = connect(broker, "agent", new ConcurrentLinkedQueue<>(), true);
        agent.publishWith().topic(STATE).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(bytes(payload)).send();
        agent.disconnect();
    }

    private static String retainedState(MosquittoBroker broker) {
        Queue<Mqtt5Publish> received = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient reader = connect(broker, "reader", received, true);
        reader.subscribeWith().topicFilter(STATE).qos(MqttQos.AT_LEAST_ONCE).send();
        await().atMost(WAIT).until(() -> !received.isEmpty());
        reader.disconnect();
        assertThat(received).hasSize(1);
        assertThat(received.peek().isRetain()).isTrue();
        return text(received.peek());
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    private static int count(String word, String log) {
        Matcher matcher = Pattern.compile("mosquitto version \\S+ " + word).matcher(log);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }
}
