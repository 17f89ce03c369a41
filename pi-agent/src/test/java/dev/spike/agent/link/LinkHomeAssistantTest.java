package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.spike.agent.ha.HomeAssistantDiscovery;
import dev.spike.model.topic.HomeAssistantTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Home Assistant discovery against a real broker: retained at connect, announced again when HA comes online. */
class LinkHomeAssistantTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    AgentRig rig;
    Mqtt5AsyncClient homeAssistant;

    @AfterEach
    void close() {
        if (homeAssistant != null) {
            homeAssistant.disconnect().join();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void announcesTheTerrariumRetainedAndAgainWhenHomeAssistantComesOnline() {
        EmbeddedBroker broker = EmbeddedBroker.shared();
        rig = new AgentRig(dir, "ha-1", broker.link("ha-1").withHomeAssistantDiscovery(), 1, true);
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        List<String> expected = HomeAssistantDiscovery.configs("ha-1", "test-1.0", 6).stream()
                .map(HomeAssistantDiscovery.Config::topic).collect(Collectors.toList());

        List<String> received = new CopyOnWriteArrayList<>();
        List<Boolean> retained = new CopyOnWriteArrayList<>();
        homeAssistant = Mqtt5Client.builder().identifier("home-assistant").serverHost(EmbeddedBroker.HOST)
                .serverPort(broker.port()).buildAsync();
        homeAssistant.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            received.add(publish.getTopic().toString());
            retained.add(publish.isRetain());
        });
        homeAssistant.connect().join();
        homeAssistant.subscribeWith().topicFilter(HomeAssistantTopics.PREFIX + "/+/spike_ha_1/+/config")
                .qos(MqttQos.AT_LEAST_ONCE).send().join();

        await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(expected));
        assertThat(retained).containsOnly(true);

        received.clear();
        homeAssistant.publishWith().topic(HomeAssistantTopics.STATUS).qos(MqttQos.AT_LEAST_ONCE)
                .payload("online".getBytes(StandardCharsets.UTF_8)).send().join();

        await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(expected));
    }
}
