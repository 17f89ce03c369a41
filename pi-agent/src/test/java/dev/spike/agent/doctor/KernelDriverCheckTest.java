package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelDriverCheckTest {

    @TempDir
    Path sys;

    @Test
    void okWhenNoDeviceIsDeclaredAtTheAddress() {
        assertThat(KernelDriverCheck.run(sys, 1, 0x44).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void okWhenTheDeviceIsDeclaredButNoDriverIsBound() throws Exception {
        Files.createDirectories(sys.resolve("bus/i2c/devices/1-0044"));

        assertThat(KernelDriverCheck.run(sys, 1, 0x44).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void failsNamingTheBoundDriverAndTheOverlayToRemove() throws Exception {
        // as the kernel lays it out: devices/1-0044/driver -> ../../../../bus/i2c/drivers/sht3x
        Path driver = Files.createDirectories(sys.resolve("bus/i2c/drivers/sht3x"));
        Path device = Files.createDirectories(sys.resolve("bus/i2c/devices/1-0044"));
        Files.createSymbolicLink(device.resolve("driver"), device.relativize(driver));

        Finding finding = KernelDriverCheck.run(sys, 1, 0x44);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("sht3x", "0x44 on bus 1");
        assertThat(finding.fix())
                .isEqualTo("remove dtoverlay=i2c-sensor,sht3x from /boot/firmware/config.txt and reboot.");
    }

    @Test
    void looksAtTheConfiguredBusAndAddress() throws Exception {
        Path driver = Files.createDirectories(sys.resolve("bus/i2c/drivers/sht3x"));
        Path device = Files.createDirectories(sys.resolve("bus/i2c/devices/1-0045"));
        Files.createSymbolicLink(device.resolve("driver"), driver);

        assertThat(KernelDriverCheck.run(sys, 1, 0x44).verdict()).isEqualTo(Verdict.OK);
        assertThat(KernelDriverCheck.run(sys, 1, 0x45).verdict()).isEqualTo(Verdict.FAIL);
    }
}
