package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.Calibration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorSettingsTest {

    @TempDir
    Path dir;

    private AgentConfig load(String text) throws IOException, ConfigException {
        return AgentConfig.load(Files.writeString(dir.resolve("agent.properties"), text));
    }

    @Test
    void withoutKeysThereIsOneUncalibratedSensor() throws Exception {
        assertThat(load("agent.id=t\n").sensors()).isEqualTo(SensorSettings.ONE);
    }

    @Test
    void readsCalibrationsAndASecondSensorOnTheFirstOnesBus() throws Exception {
        SensorSettings s = load("sensor.i2cBus=3\nsensor.humidityOffsetPct=1.5\nsensor.temperatureOffsetC=-0.4\n"
                + "sensor2.address=0x45\nsensor2.rawAtNaClPct=78.0\nsensor2.rawAtMgCl2Pct=31.0\n"
                + "sensors.divergenceMarginPct=4\nsensors.divergenceMin=45\n").sensors();

        assertThat(s.calibration1()).isEqualTo(Calibration.offsets(1.5, -0.4));
        assertThat(s.calibration2()).isEqualTo(Calibration.twoSalts("a", 78, "b", 31, 0));
        assertThat(s.sensor2Bus()).isEqualTo(3);
        assertThat(s.sensor2Address()).isEqualTo(0x45);
        assertThat(s.divergenceMarginPct()).isEqualTo(4);
        assertThat(s.divergenceMin()).isEqualTo(45);
    }

    @Test
    void aSingleSaltGivesAnOffset() throws Exception {
        assertThat(load("sensor.rawAtMgCl2Pct=35.1\n").sensors().calibration1()).isEqualTo(Calibration.offsets(-2, 0));
    }

    @Test
    void namesTheKeyOfEveryMistake() {
        assertThatThrownBy(() -> load("sensor2.address=0x44\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sensor2.address must differ from sensor.address (0x44) on the same bus 1");
        assertThatThrownBy(() -> load("sensor.humidityOffsetPct=2\nsensor.rawAtNaClPct=74\n"))
                .hasMessageContaining("sensor.humidityOffsetPct cannot come with a salt test's raw reading");
        assertThatThrownBy(() -> load("sensor2.rawAtNaClPct=74\n"))
                .hasMessageContaining("sensor2.address is needed for sensor2's calibration");
        assertThatThrownBy(() -> load("sensor2.address=0x45\nsensor2.rawAtNaClPct=30\nsensor2.rawAtMgCl2Pct=35\n"))
                .hasMessageContaining("sensor2.rawAtMgCl2Pct must be at least 10 points below rawAtNaClPct");
        assertThatThrownBy(() -> load("sensors.divergenceMin=0\n"))
                .hasMessageContaining("sensors.divergenceMin must be 1..10080, was 0");
        assertThatThrownBy(() -> load("sensor2.i2cBus=2\n"))
                .hasMessageContaining("sensor2.i2cBus needs sensor2.address");
        assertThatThrownBy(() -> load("sensor.temperatureOffsetC=warm\n"))
                .hasMessageContaining("sensor.temperatureOffsetC must be a number, was \"warm\"");
    }
}
