package dev.spike.station.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoTest {

    @TempDir
    Path dir;

    @Test
    void comesBackOnTheSamePortWithWhatItSavedOnAStopAndWithoutWhatAKillCutOff() throws Exception {
        try (Mosquitto broker = Mosquitto.start(dir)) {
            int port = broker.port();
            publishRetained(broker, "t/saved", "before the stop");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();

            broker.start();
            assertThat(broker.port()).isEqualTo(port);
            publishRetained(broker, "t/cut-off", "before the kill");
            broker.kill();
            broker.start();

            assertThat(retained(broker)).as("retained after a stop, a start, a kill and a start; log:%n%s",
                    broker.log()).containsExactly("t/saved=before the stop");
            assertThat(broker.log()).contains("Opening ipv4 listen socket on port " + port);
        }
    }

    private static Mqtt5BlockingClient client(Mosquitto broker, String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        client.connect();
        return client;
    }

    private static void publishRetained(Mosquitto broker, String topic, String text) {
        Mqtt5BlockingClient client = client(broker, "publisher");
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
        client.disconnect();
    }

    /** Every retained message under t/, as topic=text; a marker published after subscribing ends the list. */
    private static List<String> retained(Mosquitto broker) throws InterruptedException {
        Mqtt5BlockingClient client = client(broker, "reader");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("t/#").qos(MqttQos.AT_LEAST_ONCE).send();
            // retained messages come right after the SUBACK, so before anything published later
            client.publishWith().topic("t/end").qos(MqttQos.AT_LEAST_ONCE).send();
            List<String> found = new ArrayList<>();
            while (true) {
                Optional<Mqtt5Publish> next = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(next).as("the end marker").isPresent();
                String topic = next.get().getTopic().toString();
                if (topic.equals("t/end")) {
                    return found;
                }
                found.add(topic + "=" + new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            client.disconnect();
        }
    }
}
