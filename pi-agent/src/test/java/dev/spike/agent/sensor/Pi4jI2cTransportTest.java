package dev.spike.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.exception.Pi4JException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only what works without a Pi: the set-up checks and the translation of Pi4J's errors. */
class Pi4jI2cTransportTest {

    @TempDir
    Path dev;

    @Test
    void missingBusDeviceSaysHowToEnableI2c() {
        assertThatThrownBy(() -> Pi4jI2cTransport.checkDevice(dev, 1))
                .isInstanceOfSatisfying(I2cException.class, e -> {
                    assertThat(e.kind()).isEqualTo(I2cException.Kind.ABSENT);
                    assertThat(e.getMessage()).isEqualTo("no " + dev.resolve("i2c-1")
                            + ": enable I2C with `sudo raspi-config` (Interface Options > I2C)");
                });
    }

    @Test
    void unreadableBusDeviceSaysWhichGroupToJoin() throws IOException {
        Path device = Files.createFile(dev.resolve("i2c-1"));

        assertThatThrownBy(() -> Pi4jI2cTransport.checkDevice(dev, 1, path -> false))
                .isInstanceOfSatisfying(I2cException.class, e -> {
                    assertThat(e.kind()).isEqualTo(I2cException.Kind.PERMISSION);
                    assertThat(e.getMessage()).startsWith("permission denied on " + device
                            + ": add the user to group i2c");
                });
    }

    @Test
    void accessibleBusDevicePassesTheCheck() throws IOException {
        Files.createFile(dev.resolve("i2c-1"));

        assertThatCode(() -> Pi4jI2cTransport.checkDevice(dev, 1)).doesNotThrowAnyException();
    }

    @Test
    void remoteIoErrorMeansTheSensorIsNotAnswering() {
        RuntimeException pi4j = new Pi4JException("Failed to execute action for device 68 on bus 1",
                new IOException("Remote I/O error"));

        I2cException e = Pi4jI2cTransport.translate(pi4j, 1, 0x44);

        assertThat(e.kind()).isEqualTo(I2cException.Kind.NACK);
        assertThat(e.getMessage()).isEqualTo("SHT30 not answering at 0x44 on bus 1: check wiring and address");
        assertThat(e.getCause()).isSameAs(pi4j);
    }

    @Test
    void pi4jPermissionProblemsGetTheGroupAdvice() {
        I2cException e = Pi4jI2cTransport.translate(new Pi4JException(
                "Devfs validation failed for I2C bus 1: path '/dev/i2c-1' is not writable."), 1, 0x44);

        assertThat(e.kind()).isEqualTo(I2cException.Kind.PERMISSION);
        assertThat(e.getMessage()).startsWith("permission denied on /dev/i2c-1: add the user to group i2c");
    }

    @Test
    void anyOtherErrorKeepsPi4jsTextAndAddsWhatToCheck() {
        I2cException e = Pi4jI2cTransport.translate(new Pi4JException("bus timeout"), 1, 0x45);

        assertThat(e.kind()).isEqualTo(I2cException.Kind.IO);
        assertThat(e.getMessage())
                .isEqualTo("I2C error at 0x45 on bus 1: bus timeout; check wiring, pull-ups and cable length");
    }

    @Test
    void addressHeldByAKernelDriverNamesTheDriverAndTheOverlay(@TempDir Path sys) throws IOException {
        // as the kernel lays it out when dtoverlay=i2c-sensor,sht3x bound the hwmon driver to 1-0044
        Path driver = Files.createDirectories(sys.resolve("bus/i2c/drivers/sht3x"));
        Path device = Files.createDirectories(sys.resolve("bus/i2c/devices/1-0044"));
        Files.createSymbolicLink(device.resolve("driver"), device.relativize(driver));

        I2cException e = Pi4jI2cTransport.translate(ebusy(), 1, 0x44, sys);

        assertThat(e.kind()).isEqualTo(I2cException.Kind.BUSY);
        assertThat(e.getMessage()).isEqualTo("address 0x44 on /dev/i2c-1 is in use by the kernel driver sht3x"
                + " (/sys/bus/i2c/devices/1-0044/driver); remove dtoverlay=i2c-sensor,sht3x from"
                + " /boot/firmware/config.txt");
    }

    @Test
    void addressHeldByAnotherDriverNamesItAndHowToUnbind(@TempDir Path sys) throws IOException {
        Path driver = Files.createDirectories(sys.resolve("bus/i2c/drivers/hih6130"));
        Path device = Files.createDirectories(sys.resolve("bus/i2c/devices/1-0045"));
        Files.createSymbolicLink(device.resolve("driver"), device.relativize(driver));

        I2cException e = Pi4jI2cTransport.translate(ebusy(), 1, 0x45, sys);

        assertThat(e.getMessage()).isEqualTo("address 0x45 on /dev/i2c-1 is in use by the kernel driver hih6130"
                + " (/sys/bus/i2c/devices/1-0045/driver); remove the dtoverlay that loads it from"
                + " /boot/firmware/config.txt, or unbind it: echo 1-0045 > /sys/bus/i2c/drivers/hih6130/unbind");
    }

    @Test
    void busyAddressWithoutADriverInSysfsStillSaysBusyNotWiring(@TempDir Path sys) {
        I2cException e = Pi4jI2cTransport.translate(ebusy(), 1, 0x44, sys);

        assertThat(e.kind()).isEqualTo(I2cException.Kind.BUSY);
        assertThat(e.getMessage()).isEqualTo("address 0x44 on /dev/i2c-1 is in use by a kernel driver"
                + " (no /sys/bus/i2c/devices/1-0044/driver link found); see `ls -l /sys/bus/i2c/devices/`"
                + " and remove the dtoverlay that claims it from /boot/firmware/config.txt");
    }

    @Test
    void openingRefusesAnAddressABoundDriverHolds(@TempDir Path sys) throws IOException {
        Path driver = Files.createDirectories(sys.resolve("bus/i2c/drivers/sht3x"));
        Path device = Files.createDirectories(sys.resolve("bus/i2c/devices/1-0044"));
        Files.createSymbolicLink(device.resolve("driver"), device.relativize(driver));

        assertThatThrownBy(() -> Pi4jI2cTransport.checkAddressFree(sys, 1, 0x44))
                .isInstanceOfSatisfying(I2cException.class, e -> assertThat(e.getMessage())
                        .contains("in use by the kernel driver sht3x"));
        assertThatCode(() -> Pi4jI2cTransport.checkAddressFree(sys, 1, 0x45)).doesNotThrowAnyException();
    }

    /** What Pi4J's linuxfs bus throws when the I2C_SLAVE ioctl fails with EBUSY. */
    private static Pi4JException ebusy() {
        return new Pi4JException("Failed to execute ioctl for device 68 on bus 1",
                new IOException("Device or resource busy"));
    }
}
