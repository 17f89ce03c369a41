package dev.spike.agent.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Check 1: I2C is enabled, so {@code /dev/i2c-N} of the configured bus exists. */
final class I2cBusCheck {

    static final String NAME = "i2c-bus";
    static final String FIX = "sudo raspi-config nonint do_i2c 0, then reboot.";

    private I2cBusCheck() {
    }

    static Finding run(Path dev, int bus) {
        Path device = dev.resolve("i2c-" + bus);
        return judge(device, Files.exists(device), Files.isDirectory(device));
    }

    static Finding judge(Path device, boolean exists, boolean isDirectory) {
        if (!exists) {
            return Finding.fail(NAME, "no " + device + ": I2C is off, or this is not a Raspberry Pi.", FIX);
        }
        if (isDirectory) {
            return Finding.fail(NAME, device + " is a directory, not the I2C bus device.", FIX);
        }
        return Finding.ok(NAME, device + " present.");
    }
}
