package dev.spike.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The discovery payloads as golden files (src/test/resources/ha); run with -Dspike.golden.update=true to rewrite
 * them after a deliberate change, then review the diff.
 */
class HomeAssistantDiscoveryTest {

    static final Path GOLDEN = Path.of("src/test/resources/ha");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<HomeAssistantDiscovery.Config> configs =
            HomeAssistantDiscovery.configs("terrarium-1", "0.1.0", 6);

    @Test
    void publishesHumidityTemperatureValveAndASprayButton() {
        assertThat(configs).extracting(HomeAssistantDiscovery.Config::topic).containsExactly(
                "homeassistant/sensor/spike_terrarium_1/humidity/config",
                "homeassistant/sensor/spike_terrarium_1/temperature/config",
                "homeassistant/binary_sensor/spike_terrarium_1/valve/config",
                "homeassistant/button/spike_terrarium_1/spray/config");
    }

    @Test
    void payloadsMatchTheGoldenFiles() throws Exception {
        for (HomeAssistantDiscovery.Config config : configs) {
            String name = config.topic().split("/")[3] + ".json";
            JsonNode actual = JSON.readTree(config.payload());
            if (Boolean.getBoolean("spike.golden.update")) {
                Files.writeString(GOLDEN.resolve(name), JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(actual) + "\n");
            }
            assertThat(actual).as(name).isEqualTo(JSON.readTree(Files.readString(GOLDEN.resolve(name))));
        }
    }

    @Test
    void everyEntityFollowsTheAgentsStatusAndReadsProtocolTopics() throws Exception {
        for (HomeAssistantDiscovery.Config config : configs) {
            JsonNode payload = JSON.readTree(config.payload());
            assertThat(payload.get("availability_topic").asText()).isEqualTo(Topic.status("terrarium-1").toString());
            for (String field : List.of("state_topic", "command_topic")) {
                if (payload.has(field)) {
                    assertThat(Topic.parse(payload.get(field).asText())).as(field).isPresent();
                }
            }
        }
    }

    @Test
    void theButtonsCommandIsAValidSprayCommandOnceHomeAssistantFillsInTheTime() throws Exception {
        JsonNode button = JSON.readTree(configs.get(3).payload());
        String rendered = button.get("command_template").asText()
                .replace("{{ now().timestamp() | int }}", "1767225600");

        Object decoded = new Codec().decode(button.get("command_topic").asText(),
                rendered.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(decoded).isEqualTo(new SprayCommand("ha-1767225600", 6));
    }
}
