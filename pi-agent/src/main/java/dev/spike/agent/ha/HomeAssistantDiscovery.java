package dev.spike.agent.ha;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.WireName;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant MQTT discovery configs for one agent, so the terrarium appears in Home Assistant with no YAML. Every
 * entity reads a topic the agent publishes anyway (the retained {@code state}, {@code health} and {@code config}, the
 * {@code command_result} events) and follows the retained {@code status}, and so the agent's MQTT will, for its
 * availability; the spray button sends {@code cmd/spray}, the two numbers {@code cmd/rules}.
 *
 * <p>Home Assistant's rules the templates follow (its mqtt/ code): a rendered {@code None} makes a sensor or binary
 * sensor unknown, an empty rendering is ignored (the old value stays shown), so a template that has nothing to show
 * renders {@code None}, never "". Humidity and temperature render {@code None} unless the mode is {@code normal}: in
 * {@code sensor_down} the state keeps the last valid reading, which Home Assistant must not show as current. A
 * field the agent leaves out (the codec omits nulls) is tested with {@code is defined}.
 *
 * <p>The configs are retained; the link publishes them at connect, whenever Home Assistant announces itself on
 * {@code <prefix>/status}, and when the rules change (the button's duration and the numbers' range come from them).
 */
public final class HomeAssistantDiscovery {

    /** One retained discovery message. */
    public record Config(String topic, byte[] payload) {
    }

    /**
     * A command id that is new for every press and carries the time of the press in epoch milliseconds:
     * {@code ha-1767225600123}. The agent refuses a spray whose id says it is older than 30 s.
     */
    static final String COMMAND_ID = "ha-{{ (now().timestamp() * 1000) | int }}";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where the state says the sensor's readings can be trusted. */
    private static final String READING_OK = "value_json.mode == '" + Mode.NORMAL.wire() + "'";

    private final String prefix;
    private final String agentId;
    private final String version;
    /** Each entity's topic and payload, complete once {@link #build} returns. */
    private final List<Map.Entry<String, ObjectNode>> entities = new ArrayList<>();

    private HomeAssistantDiscovery(String prefix, String agentId, String version) {
        this.prefix = prefix;
        this.agentId = agentId;
        this.version = version;
    }

    /** The configs under the default prefix {@code homeassistant}. */
    public static List<Config> configs(String agentId, String version, Rules rules) {
        return configs(HomeAssistantTopics.PREFIX, agentId, version, rules);
    }

    /**
     * @param prefix  Home Assistant's discovery prefix
     * @param agentId the agent
     * @param version the agent's version, shown on the device page and in the origin
     * @param rules   the rules in force: the button sprays {@code sprayDurationS}, the duration number goes up to
     *                {@code maxSprayS}
     */
    public static List<Config> configs(String prefix, String agentId, String version, Rules rules) {
        Checks.agentId("agentId", agentId);
        Checks.notNull("rules", rules);
        HomeAssistantDiscovery discovery = new HomeAssistantDiscovery(prefix, agentId, version);
        discovery.build(rules);
        List<Config> configs = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> entity : discovery.entities) {
            try {
                configs.add(new Config(entity.getKey(), JSON.writeValueAsBytes(entity.getValue())));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(configs);
    }

    private void build(Rules rules) {
        String state = Topic.state(agentId).toString();
        String health = Topic.health(agentId).toString();
        String rulesTopic = Topic.config(agentId).toString();

        // ---- readings: unknown unless the sensor is trusted
        add("sensor", "humidity", "Humidity", state, reading("humidityPct"))
                .put("device_class", "humidity").put("state_class", "measurement")
                .put("unit_of_measurement", "%").put("suggested_display_precision", 1);
        add("sensor", "temperature", "Temperature", state, reading("temperatureC"))
                .put("device_class", "temperature").put("state_class", "measurement")
                .put("unit_of_measurement", "°C").put("suggested_display_precision", 1);

        // ---- what the agent is doing
        ObjectNode mode = add("sensor", "mode", "Mode", state, "{{ value_json.mode }}")
                .put("device_class", "enum").put("icon", "mdi:state-machine");
        options(mode, Mode.values());
        add("binary_sensor", "sensor", "Sensor", state,
                "{{ 'ON' if value_json.mode == '" + Mode.SENSOR_DOWN.wire() + "' else 'OFF' }}")
                .put("device_class", "problem");
        for (AlarmKind kind : AlarmKind.values()) {
            add("binary_sensor", "alarm_" + kind.wire(), alarmName(kind), state,
                    "{{ 'ON' if '" + kind.wire() + "' in value_json.activeAlarms else 'OFF' }}")
                    .put("device_class", "problem");
        }
        add("binary_sensor", "valve", "Valve", state, "{{ 'ON' if value_json.valveOpen else 'OFF' }}")
                .put("device_class", "running").put("icon", "mdi:sprinkler-variant");
        add("sensor", "last_spray", "Last spray", state, optional("lastSprayAt"))
                .put("device_class", "timestamp");
        ObjectNode reason = add("sensor", "last_spray_reason", "Last spray reason", state,
                optional("lastSprayReason")).put("device_class", "enum").put("icon", "mdi:spray");
        options(reason, SprayReason.values());
        add("sensor", "next_spray", "Next planned spray", state, optional("nextSprayAt"))
                .put("device_class", "timestamp");
        add("sensor", "cooldown_end", "Cooldown end", state, optional("cooldownUntil"))
                .put("device_class", "timestamp");

        // ---- what a person can do
        ObjectNode spray = add("button", "spray", "Spray", null, null);
        // QoS 0: the broker queues no QoS 0 message for an agent that is away, so a press never waits for it.
        // Home Assistant's button cannot set the 30 s message expiry cmd/spray asks for; the agent also refuses
        // a press whose id is older than 30 s.
        spray.put("command_topic", Topic.of(agentId, TopicKind.CMD_SPRAY).toString())
                .put("command_template", "{\"id\":\"" + COMMAND_ID + "\",\"durationS\":" + rules.sprayDurationS() + "}")
                .put("qos", 0)
                .put("retain", false)
                .put("icon", "mdi:spray");
        String rulesCommand = Topic.of(agentId, TopicKind.CMD_RULES).toString();
        add("number", "spray_threshold", "Spray below", rulesTopic, "{{ value_json.rules.lowHumidityPct }}")
                .put("command_topic", rulesCommand)
                .put("command_template", "{\"id\":\"" + COMMAND_ID
                        + "\",\"rules\":{\"lowHumidityPct\":{{ value }}}}")
                .put("min", 1).put("max", 99).put("step", 0.5).put("mode", "box")
                .put("unit_of_measurement", "%").put("device_class", "humidity")
                .put("entity_category", "config").put("qos", 1).put("retain", false)
                .put("icon", "mdi:water-percent-alert");
        add("number", "spray_duration", "Spray duration", rulesTopic, "{{ value_json.rules.sprayDurationS }}")
                .put("command_topic", rulesCommand)
                .put("command_template", "{\"id\":\"" + COMMAND_ID
                        + "\",\"rules\":{\"sprayDurationS\":{{ value | int }}}}")
                .put("min", 1).put("max", rules.maxSprayS()).put("step", 1).put("mode", "box")
                .put("unit_of_measurement", "s").put("device_class", "duration")
                .put("entity_category", "config").put("qos", 1).put("retain", false)
                .put("icon", "mdi:timer-outline");
        // command_result events are not retained: after a restart of Home Assistant this is unknown until the next
        add("sensor", "last_command", "Last command", Topic.event(agentId, EventType.COMMAND_RESULT).toString(),
                "{{ (value_json.command ~ ' ' ~ value_json.commandId ~ ': ' ~ ('accepted' if value_json.accepted"
                        + " else 'refused: ' ~ value_json.reason)) | truncate(240) }}")
                .put("json_attributes_topic", Topic.event(agentId, EventType.COMMAND_RESULT).toString())
                .put("icon", "mdi:message-reply-text");

        // ---- the agent's health
        add("sensor", "cpu_temperature", "CPU temperature", health, optional("cpuTemperatureC"))
                .put("device_class", "temperature").put("state_class", "measurement")
                .put("unit_of_measurement", "°C").put("entity_category", "diagnostic");
        add("sensor", "disk_free", "Free disk", health, "{{ (value_json.diskFreeBytes / 1048576) | round(1) }}")
                .put("device_class", "data_size").put("state_class", "measurement")
                .put("unit_of_measurement", "MiB").put("suggested_display_precision", 0)
                .put("entity_category", "diagnostic");
        add("sensor", "queued_events", "Queued events", health, "{{ value_json.queuedEvents }}")
                .put("state_class", "measurement").put("entity_category", "diagnostic")
                .put("icon", "mdi:tray-full");
        add("sensor", "uptime", "Uptime", health, "{{ value_json.uptimeS }}")
                .put("device_class", "duration").put("state_class", "measurement")
                .put("unit_of_measurement", "s").put("entity_category", "diagnostic");
        add("binary_sensor", "store", "Event store", health,
                "{{ 'ON' if value_json.storeError is defined and value_json.storeError else 'OFF' }}")
                .put("device_class", "problem").put("entity_category", "diagnostic");
        add("sensor", "store_error", "Event store error", health,
                "{{ value_json.storeError | truncate(240) if value_json.storeError is defined"
                        + " and value_json.storeError else 'none' }}")
                .put("entity_category", "diagnostic").put("icon", "mdi:database-alert");
    }

    /** A reading that is unknown while the sensor is down, and before the first valid one. */
    private static String reading(String field) {
        return "{{ value_json." + field + " if " + READING_OK + " and value_json." + field + " is defined else 'None' }}";
    }

    /** A field the agent leaves out while it has no value. */
    private static String optional(String field) {
        return "{{ value_json." + field + " if value_json." + field + " is defined else 'None' }}";
    }

    private static String alarmName(AlarmKind kind) {
        switch (kind) {
            case LOW:
                return "Humidity low alarm";
            case HIGH:
                return "Humidity high alarm";
            case NO_EFFECT:
                return "Spray without effect alarm";
            case RUNAWAY:
                return "Valve runaway alarm";
            case SENSOR_FAILED:
                return "One sensor failed alarm";
            case SENSOR_DIVERGENCE:
                return "Sensors disagree alarm";
            default:
                throw new IllegalArgumentException(kind.toString());
        }
    }

    private static void options(ObjectNode entity, WireName[] values) {
        ArrayNode options = entity.putArray("options");
        for (WireName value : values) {
            options.add(value.wire());
        }
    }

    /**
     * One entity with what every entity has: name, ids, availability, device and origin.
     *
     * @param stateTopic    where it reads its state, or null for a button
     * @param valueTemplate how the state is read from that topic's JSON, or null
     */
    private ObjectNode add(String component, String objectId, String name, String stateTopic, String valueTemplate) {
        String unique = uniqueId(agentId, objectId);
        ObjectNode entity = JSON.createObjectNode()
                .put("name", name)
                .put("unique_id", unique)
                .put("default_entity_id", component + "." + unique);
        if (stateTopic != null) {
            entity.put("state_topic", stateTopic).put("value_template", valueTemplate);
        }
        entity.put("availability_topic", Topic.status(agentId).toString())
                .put("availability_template", "{{ 'online' if value_json.online else 'offline' }}");
        ObjectNode device = entity.putObject("device");
        // as in Spike 0.1, so an upgraded agent stays the same device in Home Assistant
        device.putArray("identifiers").add("spike_" + agentId.replace('-', '_'));
        device.put("name", "Spike " + agentId)
                .put("manufacturer", "Spike")
                .put("model", "Terrarium humidity controller")
                .put("sw_version", version);
        entity.putObject("origin")
                .put("name", "Spike")
                .put("sw_version", version);
        // serialised once build() is done: the caller adds the entity's own fields to this node
        entities.add(Map.entry(HomeAssistantTopics.config(prefix, component, agentId, objectId), entity));
        return entity;
    }

    /**
     * The unique id and the object id of the entity id: agent ids have no '_', so mapping '-' to '_' is one to one;
     * entity ids allow only [a-z0-9_]. The same ids as Spike 0.1 used, so Home Assistant keeps the entities'
     * history.
     */
    static String uniqueId(String agentId, String objectId) {
        return "spike_" + agentId.replace('-', '_') + "_" + objectId;
    }
}
