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
        List<String> expected = HomeAssistantDiscovery.configs("ha-1", "test-1.0", rig.onAgentThread(() -> rig.agent.policyState().rules())).stream()
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
        homeAssistant.subscribeWith().topicFilter(HomeAssistantTopics.PREFIX + "/+/spike_ha-1/+/config")
                .qos(MqttQos.AT_LEAST_ONCE).send().join();

        await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(expected));
        assertThat(retained).containsOnly(true);

        received.clear();
        homeAssistant.publishWith().topic(HomeAssistantTopics.STATUS).qos(MqttQos.AT_LEAST_ONCE)
                .payload("online".getBytes(StandardCharsets.UTF_8)).send().join();

        await().atMost(WAIT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(expected));
    }

    /** Subscribes as Home Assistant does; returns the retained discovery configs present now, by topic. */
    private java.util.Map<String, byte[]> retainedConfigs(EmbeddedBroker broker, String node) {
        java.util.Map<String, byte[]> configs = new java.util.concurrent.ConcurrentHashMap<>();
        Mqtt5AsyncClient reader = Mqtt5Client.builder().identifier("ha-reader-" + System.nanoTime())
                .serverHost(EmbeddedBroker.HOST).serverPort(broker.port()).buildAsync();
        reader.publishes(MqttGlobalPublishFilter.ALL, p -> configs.put(p.getTopic().toString(),
                p.getPayloadAsBytes()));
        reader.connect().join();
        reader.subscribeWith().topicFilter("+/+/" + node + "/+/config").qos(MqttQos.AT_LEAST_ONCE).send().join();
        // retained messages come right after the SUBACK; a round trip on a topic of our own fences them
        String fence = "fence/" + System.nanoTime();
        reader.subscribeWith().topicFilter(fence).qos(MqttQos.AT_LEAST_ONCE).send().join();
        reader.publishWith().topic(fence).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send().join();
        await().atMost(WAIT).until(() -> configs.containsKey(fence));
        configs.remove(fence);
        reader.disconnect().join();
        return configs;
    }

    @Test
    void switchedOffItWithdrawsWhatItAnnouncedEvenAfterARestart() {
        EmbeddedBroker broker = EmbeddedBroker.shared();
        rig = new AgentRig(dir, "ha-2", broker.link("ha-2").withHomeAssistantDiscovery(), 1, true);
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        await().atMost(WAIT).until(() -> retainedConfigs(broker, "spike_ha-2").size() == 25);
        rig.close();

        rig = new AgentRig(dir, "ha-2", broker.link("ha-2"), 1, true);

        await().atMost(WAIT).until(() -> retainedConfigs(broker, "spike_ha-2").isEmpty());
        await().atMost(WAIT).until(() -> !java.nio.file.Files.exists(dir.resolve(
                dev.spike.agent.ha.AnnouncedConfigs.FILE_NAME)));
    }

    @Test
    void anotherPrefixWithdrawsTheConfigsUnderTheOldOne() {
        EmbeddedBroker broker = EmbeddedBroker.shared();
        rig = new AgentRig(dir, "ha-3", broker.link("ha-3").withHomeAssistantDiscovery(), 1, true);
        await().atMost(WAIT).until(() -> retainedConfigs(broker, "spike_ha-3").size() == 25);
        rig.close();

        rig = new AgentRig(dir, "ha-3", broker.link("ha-3").withHomeAssistant(true, "ha-lab"), 1, true);

        await().atMost(WAIT).untilAsserted(() -> assertThat(retainedConfigs(broker, "spike_ha-3").keySet())
                .hasSize(25).allMatch(topic -> topic.startsWith("ha-lab/")));
    }

    @Test
    void aRulesChangeAnnouncesTheButtonWithTheNewDuration() {
        EmbeddedBroker broker = EmbeddedBroker.shared();
        rig = new AgentRig(dir, "ha-4", broker.link("ha-4").withHomeAssistantDiscovery(), 1, true);
        await().atMost(WAIT).until(() -> retainedConfigs(broker, "spike_ha-4").size() == 25);
        String button = "homeassistant/button/spike_ha-4/spray/config";

        rig.agent.submit(new dev.spike.model.rules.Input.RulesPatchChange("r-1", new dev.spike.model.RulesPatch(
                null, 9, null, null, null, null, null, null, null, null, null, null)));

        await().atMost(WAIT).until(() -> new String(retainedConfigs(broker, "spike_ha-4").get(button),
                StandardCharsets.UTF_8).contains("\\\"durationS\\\":9}"));
    }
}
