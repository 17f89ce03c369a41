package dev.spike.agent.config;

import dev.spike.model.InvalidFieldException;
import dev.spike.model.topic.HomeAssistantTopics;

/**
 * Home Assistant MQTT discovery ({@code ha.discovery}, {@code ha.prefix} in the config file; {@code --ha-discovery}
 * switches it on too). Off, an agent withdraws the configs it announced before.
 *
 * @param discovery whether the agent announces its entities
 * @param prefix    Home Assistant's discovery prefix; {@code homeassistant} unless Home Assistant was set up with
 *                  another one (docs/mosquitto/acl grants only {@code homeassistant})
 */
public record HomeAssistantSettings(boolean discovery, String prefix) {

    public static final HomeAssistantSettings OFF = new HomeAssistantSettings(false, HomeAssistantTopics.PREFIX);

    public HomeAssistantSettings {
        if (!HomeAssistantTopics.isPrefix(prefix)) {
            throw new InvalidFieldException("ha.prefix", "must be MQTT topic levels of letters, digits, '_' and '-'"
                    + " without wildcards, such as homeassistant, was \"" + prefix + "\"");
        }
    }

    public HomeAssistantSettings withDiscovery(boolean on) {
        return new HomeAssistantSettings(on, prefix);
    }
}
