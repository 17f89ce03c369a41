package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's {@code ha.discovery} and {@code ha.prefix}. */
class HomeAssistantSettingsTest {

    @TempDir
    Path dir;

    private AgentConfig load(String text) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, text);
        return AgentConfig.load(file);
    }

    @Test
    void discoveryIsOffUnderTheDefaultPrefixUnlessConfigured() throws Exception {
        assertThat(load("agent.id=terrarium-1\n").homeAssistant())
                .isEqualTo(new HomeAssistantSettings(false, "homeassistant"));
    }

    @Test
    void readsDiscoveryAndPrefix() throws Exception {
        assertThat(load("ha.discovery=true\nha.prefix=ha-lab\n").homeAssistant())
                .isEqualTo(new HomeAssistantSettings(true, "ha-lab"));
    }

    @Test
    void refusesAPrefixWithWildcardsOrSlashesAtTheEnds() {
        for (String prefix : new String[] {"home/#", "+", "/homeassistant", "homeassistant/"}) {
            assertThatThrownBy(() -> load("ha.prefix=" + prefix + "\n")).as(prefix)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("ha.prefix must be MQTT topic levels");
        }
    }

    @Test
    void refusesAnythingButTrueOrFalse() {
        assertThatThrownBy(() -> load("ha.discovery=yes\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ha.discovery must be true or false, was \"yes\"");
    }
}
