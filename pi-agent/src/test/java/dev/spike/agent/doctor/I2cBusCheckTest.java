package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class I2cBusCheckTest {

    @TempDir
    Path dev;

    @Test
    void okWhenTheBusDeviceExists() throws Exception {
        Files.createFile(dev.resolve("i2c-1"));

        Finding finding = I2cBusCheck.run(dev, 1);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).contains(dev.resolve("i2c-1").toString());
    }

    @Test
    void failsWithTheRaspiConfigFixWhenI2cIsOff() throws Exception {
        Files.createFile(dev.resolve("i2c-0"));

        Finding finding = I2cBusCheck.run(dev, 1);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("no " + dev.resolve("i2c-1"));
        assertThat(finding.fix()).isEqualTo("sudo raspi-config nonint do_i2c 0, then reboot.");
    }

    @Test
    void looksForTheConfiguredBus() throws Exception {
        Files.createFile(dev.resolve("i2c-3"));

        assertThat(I2cBusCheck.run(dev, 3).verdict()).isEqualTo(Verdict.OK);
        assertThat(I2cBusCheck.run(dev, 1).verdict()).isEqualTo(Verdict.FAIL);
    }
}
