package dev.spike.model.topic;

import dev.spike.model.Checks;
import java.util.regex.Pattern;

/**
 * Topics of Home Assistant's MQTT discovery, the only topics outside {@code spike/} that an agent uses:
 * {@code <prefix>/<component>/spike_<agentId>/<object>/config}, and Home Assistant's birth message on
 * {@code <prefix>/status}, after which discovery configs are published again.
 *
 * <p>The node id keeps the agent id as it is ({@code spike_terrarium-1}): Home Assistant's discovery matcher allows
 * {@code [a-zA-Z0-9_-]+} there, and Mosquitto's {@code %u} in {@code pattern write
 * homeassistant/+/spike_%u/+/config} matches only the agent id unchanged, so one ACL line serves every agent.
 */
public final class HomeAssistantTopics {

    /** Topic levels without wildcards, as Home Assistant's discovery prefix must be; before STATUS, which uses it. */
    private static final Pattern PREFIX_FORM = Pattern.compile("[a-zA-Z0-9_-]+(/[a-zA-Z0-9_-]+)*");

    /** Home Assistant's default discovery prefix, the one docs/mosquitto/acl grants. */
    public static final String PREFIX = "homeassistant";
    /** Home Assistant publishes "online" here when it starts (with the default prefix). */
    public static final String STATUS = status(PREFIX);

    private HomeAssistantTopics() {
    }

    /** Where Home Assistant announces itself under {@code prefix}. */
    public static String status(String prefix) {
        return checkPrefix(prefix) + "/status";
    }

    /** Where the discovery config of one entity of an agent goes, under the default prefix. */
    public static String config(String component, String agentId, String objectId) {
        return config(PREFIX, component, agentId, objectId);
    }

    /** Where the discovery config of one entity of an agent goes. */
    public static String config(String prefix, String component, String agentId, String objectId) {
        Checks.agentId("agentId", agentId);
        if (!component.matches("[a-z_]+") || !objectId.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("component and objectId must be [a-z_] and [a-z0-9_], were "
                    + component + " and " + objectId);
        }
        return checkPrefix(prefix) + "/" + component + "/" + nodeId(agentId) + "/" + objectId + "/config";
    }

    /** The node id of an agent: {@code spike_} and the agent id unchanged, '-' included. */
    public static String nodeId(String agentId) {
        return "spike_" + agentId;
    }

    /** Whether {@code prefix} can be a discovery prefix: topic levels of letters, digits, '_' and '-'. */
    public static boolean isPrefix(String prefix) {
        return prefix != null && prefix.length() <= 100 && PREFIX_FORM.matcher(prefix).matches();
    }

    private static String checkPrefix(String prefix) {
        if (!isPrefix(prefix)) {
            throw new IllegalArgumentException("the Home Assistant discovery prefix must be topic levels of letters,"
                    + " digits, '_' and '-' (no wildcards, no leading or trailing '/'), was \"" + prefix + "\"");
        }
        return prefix;
    }
}
