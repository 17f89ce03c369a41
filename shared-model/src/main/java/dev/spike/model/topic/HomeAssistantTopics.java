package dev.spike.model.topic;

import dev.spike.model.Checks;

/**
 * Topics of Home Assistant's MQTT discovery, the only topics outside {@code spike/} that an agent uses:
 * {@code homeassistant/<component>/spike_<agentId>/<object>/config}, and Home Assistant's birth message on
 * {@code homeassistant/status}, after which discovery configs are published again.
 */
public final class HomeAssistantTopics {

    public static final String PREFIX = "homeassistant";
    /** Home Assistant publishes "online" here when it starts. */
    public static final String STATUS = PREFIX + "/status";

    private HomeAssistantTopics() {
    }

    /** Where the discovery config of one entity of an agent goes. */
    public static String config(String component, String agentId, String objectId) {
        Checks.agentId("agentId", agentId);
        if (!component.matches("[a-z_]+") || !objectId.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("component and objectId must be [a-z_] and [a-z0-9_], were "
                    + component + " and " + objectId);
        }
        return PREFIX + "/" + component + "/" + nodeId(agentId) + "/" + objectId + "/config";
    }

    /** The node id of an agent: Home Assistant allows no '-' there. */
    public static String nodeId(String agentId) {
        return "spike_" + agentId.replace('-', '_');
    }
}
