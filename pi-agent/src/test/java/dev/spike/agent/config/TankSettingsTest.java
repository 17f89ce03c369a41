package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.rules.WaterBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file's {@code tank.capacityL}, {@code valve.flowMlPerS} and {@code tank.lowAlarmPct}. */
class TankSettingsTest {

    @TempDir
    Path dir;

    private AgentConfig load(String text) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, text);
        return AgentConfig.load(file);
    }

    @Test
    void thereIsNoTankUnlessConfigured() throws Exception {
        assertThat(load("agent.id=terrarium-1\n").tank()).isNull();
    }

    @Test
    void readsCapacityFlowAndTheLowAlarmWithItsDefault() throws Exception {
        assertThat(load("tank.capacityL=5\nvalve.flowMlPerS=8.5\n").tank())
                .isEqualTo(new WaterBudget.Settings(5, 8.5, 20));
        assertThat(load("tank.capacityL=2.5\nvalve.flowMlPerS=12\ntank.lowAlarmPct=35\n").tank())
                .isEqualTo(new WaterBudget.Settings(2.5, 12, 35));
    }

    @Test
    void eitherKeyAloneIsAMistakeNamedWithWhatIsMissing() {
        assertThatThrownBy(() -> load("tank.capacityL=5\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("valve.flowMlPerS is required with tank.capacityL: spray into a measuring jug");
        assertThatThrownBy(() -> load("valve.flowMlPerS=8\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("valve.flowMlPerS needs tank.capacityL, which is not set");
        assertThatThrownBy(() -> load("tank.lowAlarmPct=30\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tank.lowAlarmPct needs tank.capacityL");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> load("tank.capacityL=0\nvalve.flowMlPerS=8\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tank.capacityL must be 0.1..1000, was 0");
        assertThatThrownBy(() -> load("tank.capacityL=5\nvalve.flowMlPerS=lots\n"))
                .hasMessageContaining("valve.flowMlPerS must be a number, was \"lots\"");
        assertThatThrownBy(() -> load("tank.capacityL=5\nvalve.flowMlPerS=8\ntank.lowAlarmPct=120\n"))
                .hasMessageContaining("tank.lowAlarmPct must be 0..100, was 120");
    }
}
