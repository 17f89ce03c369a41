package dev.spike.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spike.model.Rules;
import dev.spike.model.RulesPatch;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.RefillCommand;
import dev.spike.model.command.RulesCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The discovery payloads as golden files (src/test/resources/ha); run with -Dspike.golden.update=true to rewrite
 * them after a deliberate change, then review the diff. What Home Assistant shows from them is in
 * {@code HomeAssistantViewTest}.
 */
class HomeAssistantDiscoveryTest {

    static final Path GOLDEN = Path.of("src/test/resources/ha");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Home Assistant's discovery topic matcher (mqtt/discovery.py), under the prefix. */
    private static final Pattern HA_TOPIC = Pattern.compile(
            "homeassistant/(\\w+)/(?:([a-zA-Z0-9_-]+)/)?([a-zA-Z0-9_-]+)/config");

    private final Rules rules = Rules.defaults(ZoneOffset.UTC);
    private final List<HomeAssistantDiscovery.Config> configs =
            HomeAssistantDiscovery.configs(HomeAssistantTopics.PREFIX, "terrarium-1", "0.1.0", rules, true);

    @Test
    void keepsTheAgentIdInTheNodeIdSoOneAclPatternServesEveryAgent() {
        for (HomeAssistantDiscovery.Config config : configs) {
            assertThat(config.topic()).matches(HA_TOPIC).matches("homeassistant/\\w+/spike_terrarium-1/\\w+/config");
        }
        assertThat(configs).extracting(HomeAssistantDiscovery.Config::topic).doesNotHaveDuplicates().contains(
                "homeassistant/sensor/spike_terrarium-1/humidity/config",
                "homeassistant/sensor/spike_terrarium-1/temperature/config",
                "homeassistant/binary_sensor/spike_terrarium-1/valve/config",
                "homeassistant/button/spike_terrarium-1/spray/config",
                "homeassistant/number/spike_terrarium-1/spray_threshold/config",
                "homeassistant/binary_sensor/spike_terrarium-1/alarm_runaway/config");
    }

    @Test
    void usesAnotherPrefixWhenConfigured() {
        assertThat(HomeAssistantDiscovery.configs("ha-lab", "terrarium-1", "0.1.0", rules))
                .allSatisfy(config -> assertThat(config.topic()).startsWith("ha-lab/"));
    }

    @Test
    void payloadsMatchTheGoldenFiles() throws Exception {
        List<String> names = new ArrayList<>();
        for (HomeAssistantDiscovery.Config config : configs) {
            String[] levels = config.topic().split("/");
            String name = levels[1] + "-" + levels[3] + ".json";
            names.add(name);
            JsonNode actual = JSON.readTree(config.payload());
            if (Boolean.getBoolean("spike.golden.update")) {
                Files.writeString(GOLDEN.resolve(name), JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(actual) + "\n");
            }
            assertThat(actual).as(name).isEqualTo(JSON.readTree(Files.readString(GOLDEN.resolve(name))));
        }
        try (var files = Files.list(GOLDEN)) {
            assertThat(files.map(file -> file.getFileName().toString())).as("golden files without an entity")
                    .containsExactlyInAnyOrderElementsOf(names);
        }
    }

    @Test
    void everyEntityFollowsTheAgentsStatusUsesDefaultEntityIdAndNamesItsOrigin() throws Exception {
        for (HomeAssistantDiscovery.Config config : configs) {
            JsonNode payload = JSON.readTree(config.payload());
            String component = config.topic().split("/")[1];
            assertThat(payload.get("availability_topic").asText()).isEqualTo(Topic.status("terrarium-1").toString());
            assertThat(payload.has("object_id")).as("object_id is ignored since Home Assistant 2026.4").isFalse();
            assertThat(payload.get("default_entity_id").asText()).matches(component + "\\.spike_terrarium_1_[a-z0-9_]+");
            assertThat(payload.get("unique_id").asText())
                    .isEqualTo(payload.get("default_entity_id").asText().substring(component.length() + 1));
            assertThat(payload.get("origin").get("name").asText()).isEqualTo("Spike");
            assertThat(payload.get("origin").get("sw_version").asText()).isEqualTo("0.1.0");
            for (String field : List.of("state_topic", "command_topic", "json_attributes_topic")) {
                if (payload.has(field)) {
                    assertThat(Topic.parse(payload.get(field).asText())).as(field).isPresent();
                }
            }
        }
    }

    /** The command a press of the button sends, rendered as Home Assistant would at 1767225600123 ms. */
    private static Object pressed(JsonNode button) {
        String rendered = button.get("command_template").asText()
                .replace("{{ (now().timestamp() * 1000) | int }}", "1767225600123");
        return new Codec().decode(button.get("command_topic").asText(), rendered.getBytes(StandardCharsets.UTF_8))
                .value();
    }

    @Test
    void theButtonSendsAtQos0AValidSprayCommandWhoseIdCarriesThePressTime() throws Exception {
        JsonNode button = payload("button", "spray");

        assertThat(pressed(button)).isEqualTo(new SprayCommand("ha-1767225600123", 6));
        assertThat(button.get("qos").asInt()).as("the broker queues no QoS 0 press for an absent agent").isZero();
    }

    @Test
    void theRefilledButtonSendsAtQos0AValidRefillWhoseIdCarriesThePressTime() throws Exception {
        JsonNode button = payload("button", "refill");

        assertThat(pressed(button)).isEqualTo(new RefillCommand("ha-1767225600123", null));
        assertThat(button.get("qos").asInt()).isZero();
    }

    @Test
    void anAgentWithoutATankAnnouncesNoTankEntitiesButEveryAlarm() {
        List<String> topics = HomeAssistantDiscovery.configs("terrarium-1", "0.1.0", rules).stream()
                .map(HomeAssistantDiscovery.Config::topic).collect(java.util.stream.Collectors.toList());

        assertThat(topics).noneMatch(t -> t.contains("/tank_") || t.contains("/refill/"))
                .contains("homeassistant/binary_sensor/spike_terrarium-1/alarm_low_water/config",
                        "homeassistant/binary_sensor/spike_terrarium-1/alarm_clogging/config");
        assertThat(configs).hasSize(topics.size() + 3);
    }

    @Test
    void theNumbersSendOnlyTheirOwnRule() throws Exception {
        JsonNode threshold = payload("number", "spray_threshold");
        String rendered = threshold.get("command_template").asText()
                .replace("{{ (now().timestamp() * 1000) | int }}", "1767225600123").replace("{{ value }}", "72.5");

        Object decoded = new Codec().decode(threshold.get("command_topic").asText(),
                rendered.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(decoded).isEqualTo(new RulesCommand("ha-1767225600123",
                new RulesPatch(72.5, null, null, null, null, null, null, null, null, null, null, null)));
    }

    @Test
    void theButtonAndTheDurationFollowTheRules() throws Exception {
        List<HomeAssistantDiscovery.Config> after = HomeAssistantDiscovery.configs("terrarium-1", "0.1.0",
                rules.withSprayDurationS(9));

        assertThat(payloadIn(after, "button", "spray").get("command_template").asText()).contains("\"durationS\":9");
        assertThat(payloadIn(after, "number", "spray_duration").get("max").asInt()).isEqualTo(rules.maxSprayS());
    }

    private JsonNode payload(String component, String objectId) throws Exception {
        return payloadIn(configs, component, objectId);
    }

    private static JsonNode payloadIn(List<HomeAssistantDiscovery.Config> configs, String component,
            String objectId) throws Exception {
        String topic = "homeassistant/" + component + "/spike_terrarium-1/" + objectId + "/config";
        Optional<HomeAssistantDiscovery.Config> config = configs.stream().filter(c -> c.topic().equals(topic))
                .findFirst();
        assertThat(config).as(topic).isPresent();
        return JSON.readTree(config.get().payload());
    }
}
