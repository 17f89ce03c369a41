package dev.spike.agent.ha;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spike.model.Checks;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Home Assistant MQTT discovery configs for one agent, so the terrarium appears in Home Assistant with no YAML:
 * humidity and temperature sensors and the valve read the retained {@code state}; a spray button sends
 * {@code cmd/spray}; availability follows the retained {@code status} (and so the agent's MQTT will).
 *
 * <p>The configs are retained; the link publishes them at connect and again whenever Home Assistant announces
 * itself on {@code homeassistant/status}.
 */
public final class HomeAssistantDiscovery {

    /** One retained discovery message. */
    public record Config(String topic, byte[] payload) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private HomeAssistantDiscovery() {
    }

    /**
     * @param agentId       the agent
     * @param version       the agent's version, shown on the device page
     * @param sprayDurationS how long the button sprays
     */
    public static List<Config> configs(String agentId, String version, int sprayDurationS) {
        Checks.agentId("agentId", agentId);
        String state = Topic.state(agentId).toString();

        ObjectNode humidity = entity(agentId, version, "Humidity", "humidity");
        humidity.put("state_topic", state)
                .put("value_template", "{{ value_json.humidityPct }}")
                .put("unit_of_measurement", "%")
                .put("device_class", "humidity")
                .put("state_class", "measurement");

        ObjectNode temperature = entity(agentId, version, "Temperature", "temperature");
        temperature.put("state_topic", state)
                .put("value_template", "{{ value_json.temperatureC }}")
                .put("unit_of_measurement", "°C")
                .put("device_class", "temperature")
                .put("state_class", "measurement");

        ObjectNode valve = entity(agentId, version, "Valve", "valve");
        valve.put("state_topic", state)
                .put("value_template", "{{ 'ON' if value_json.valveOpen else 'OFF' }}")
                .put("device_class", "opening")
                .put("icon", "mdi:sprinkler-variant");

        ObjectNode spray = entity(agentId, version, "Spray", "spray");
        // A command id must be new for every press: the agent executes an id once.
        spray.put("command_topic", Topic.of(agentId, TopicKind.CMD_SPRAY).toString())
                .put("command_template", "{\"id\":\"ha-{{ now().timestamp() | int }}\",\"durationS\":"
                        + sprayDurationS + "}")
                .put("qos", 1)
                .put("icon", "mdi:spray");

        return List.of(
                config("sensor", agentId, "humidity", humidity),
                config("sensor", agentId, "temperature", temperature),
                config("binary_sensor", agentId, "valve", valve),
                config("button", agentId, "spray", spray));
    }

    private static ObjectNode entity(String agentId, String version, String name, String objectId) {
        String node = HomeAssistantTopics.nodeId(agentId);
        ObjectNode entity = JSON.createObjectNode()
                .put("name", name)
                .put("unique_id", node + "_" + objectId)
                .put("object_id", node + "_" + objectId)
                .put("availability_topic", Topic.status(agentId).toString())
                .put("availability_template", "{{ 'online' if value_json.online else 'offline' }}");
        ObjectNode device = entity.putObject("device");
        device.putArray("identifiers").add(node);
        device.put("name", "Spike " + agentId)
                .put("manufacturer", "Spike")
                .put("model", "Terrarium humidity controller")
                .put("sw_version", version);
        return entity;
    }

    private static Config config(String component, String agentId, String objectId, ObjectNode payload) {
        try {
            return new Config(HomeAssistantTopics.config(component, agentId, objectId),
                    JSON.writeValueAsBytes(payload));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
