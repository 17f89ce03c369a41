package dev.spike.station.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltInBrokerTest {

    private BuiltInBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.settings().port())
                .buildBlocking();
    }

    @Test
    void servesRetainedMessagesOnLoopback() throws Exception {
        broker = BuiltInBroker.start(BuiltInBroker.Settings.loopback(freePort()));
        String topic = Topic.status("t1").toString();

        Mqtt5BlockingClient publisher = client("publisher");
        publisher.connect();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("{\"online\":true}".getBytes(StandardCharsets.UTF_8)).send();
        Mqtt5BlockingClient subscriber = client("subscriber");
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(Topic.allStatusFilter()).qos(MqttQos.AT_LEAST_ONCE).send();

            assertThat(publishes.receive(10, java.util.concurrent.TimeUnit.SECONDS)).hasValueSatisfying(
                    message -> assertThat(message.isRetain()).isTrue());
        }
        assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.settings().port());
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void requiresTheUsernameAndPasswordWhenGiven() throws Exception {
        broker = BuiltInBroker.start(new BuiltInBroker.Settings("127.0.0.1", freePort(), "keeper", "s3cret"));

        Mqtt5BlockingClient right = Mqtt5Client.builder().identifier("right").serverHost("127.0.0.1")
                .serverPort(broker.settings().port()).simpleAuth().username("keeper")
                .password("s3cret".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        right.connect();
        right.disconnect();

        Mqtt5BlockingClient wrong = Mqtt5Client.builder().identifier("wrong").serverHost("127.0.0.1")
                .serverPort(broker.settings().port()).simpleAuth().username("keeper")
                .password("guess".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildBlocking();
        assertThatThrownBy(wrong::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        assertThatThrownBy(client("anonymous")::connect).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void saysWhatToDoWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> BuiltInBroker.start(BuiltInBroker.Settings.loopback(taken.getLocalPort())))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " on 127.0.0.1 is taken")
                    .hasMessageContaining("--broker-port");
        }
    }

    @Test
    void keepsFarMoreThanAThousandQueuedMessagesForAnOfflineStation() throws Exception {
        broker = BuiltInBroker.start(BuiltInBroker.Settings.loopback(freePort()));
        String filter = "spike/+/event/+";
        Mqtt5BlockingClient station = Mqtt5Client.builder().identifier("station").serverHost("127.0.0.1")
                .serverPort(broker.settings().port()).buildBlocking();
        station.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        station.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        station.disconnect();

        Mqtt5BlockingClient agent = client("agent");
        agent.connect();
        int sent = 5_000;
        String topic = Topic.event("t1", EventType.HUMIDITY_CHANGED).toString();
        for (int i = 1; i <= sent; i++) {
            agent.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8)).send();
        }
        agent.disconnect();

        AtomicInteger received = new AtomicInteger();
        var reconnected = Mqtt5Client.builder().identifier("station").serverHost("127.0.0.1")
                .serverPort(broker.settings().port()).buildAsync();
        reconnected.publishes(MqttGlobalPublishFilter.ALL, publish -> received.incrementAndGet());
        reconnected.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().join();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received.get()).isEqualTo(sent));
        reconnected.disconnect().join();
    }

    @Test
    void turnsOffUsageStatisticsAndBindsWhereItIsTold() {
        String xml = BuiltInBroker.configXml(BuiltInBroker.Settings.loopback(1883));

        assertThat(xml).contains("<anonymous-usage-statistics>\n    <enabled>false</enabled>",
                "<bind-address>127.0.0.1</bind-address>", "<max-queue-size>500000</max-queue-size>");
    }
}
