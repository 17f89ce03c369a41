package dev.spike.station.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-command demo, without its window: broker and simulated agent start, talk, and stop without orphans. */
class DemoSystemTest {

    @TempDir
    Path dir;

    static Path agentJar() {
        Path jar = DemoSystem.findAgentJar().orElse(Path.of("../pi-agent/target/spike-agent.jar"));
        assertThat(jar).as("the agent jar; `mvn verify` at the root builds pi-agent before station-app").exists();
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void runsBrokerAndSimulatedAgentAndLeavesNothingBehind() throws Exception {
        int port = freePort();
        Codec codec = new Codec();
        List<Object> received = new CopyOnWriteArrayList<>();
        ProcessHandle agent;

        try (DemoSystem demo = DemoSystem.start(new DemoSystem.Options(agentJar(), port, 60, "demo-test",
                dir.resolve("agent")))) {
            agent = demo.agentProcess();
            assertThat(demo.brokerUri()).isEqualTo("tcp://127.0.0.1:" + port);
            Mqtt5AsyncClient station = Mqtt5Client.builder().identifier("demo-test-station").serverHost("127.0.0.1")
                    .serverPort(port).buildAsync();
            station.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                Decoded<Object> decoded = codec.decode(publish.getTopic().toString(), publish.getPayloadAsBytes());
                if (decoded.isOk()) {
                    received.add(decoded.value());
                }
            });
            station.connect().join();
            for (String filter : Topic.stationFilters("demo-test-station")) {
                station.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().join();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(received).anySatisfy(message -> assertThat(message).isInstanceOfSatisfying(Status.class,
                        status -> assertThat(status.online() && status.simulated()).isTrue()));
                assertThat(received.stream().filter(Event.class::isInstance).map(e -> ((Event) e).type())
                        .collect(Collectors.toSet())).contains(EventType.AGENT_STARTED, EventType.HUMIDITY_CHANGED);
                // the demo's day/night program, so its chart shows the threshold stepping
                assertThat(received).anySatisfy(message -> assertThat(message).isInstanceOfSatisfying(
                        ConfigSnapshot.class, config -> assertThat(config.rules().program().describe())
                                .isEqualTo("22:00–07:00 85 %")));
            });
            station.disconnect().join();
        }

        assertThat(agent.isAlive()).as("agent process after close").isFalse();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).as("orphans").isEmpty();
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the broker's port is free again").isEqualTo(port);
        }
        assertThat(dir.resolve("agent").resolve("demo-test.db")).as("the agent's event store").exists();
    }
}
