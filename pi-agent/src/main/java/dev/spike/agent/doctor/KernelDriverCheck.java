package dev.spike.agent.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Check 4: no kernel driver holds the sensor's address. With {@code dtoverlay=i2c-sensor,sht3x} the kernel's hwmon
 * driver binds 0x44 and the agent's reads fail with EBUSY; the driver shows as
 * {@code /sys/bus/i2c/devices/<bus>-00<addr>/driver}.
 */
final class KernelDriverCheck {

    static final String NAME = "kernel-driver";

    private KernelDriverCheck() {
    }

    static Finding run(Path sys, int bus, int address) {
        Path device = sys.resolve(String.format(Locale.ROOT, "bus/i2c/devices/%d-%04x", bus, address));
        Path driver = device.resolve("driver");
        String driverName = null;
        if (Files.exists(driver)) {
            driverName = driver.getFileName().toString();
            try {
                driverName = Files.isSymbolicLink(driver) ? Files.readSymbolicLink(driver).getFileName().toString()
                        : driver.toRealPath().getFileName().toString();
            } catch (IOException e) {
                driverName = "unknown driver (" + e.getMessage() + ")";
            }
        }
        return judge(bus, address, driverName);
    }

    /** @param driverName the bound driver's name, or null if none is bound */
    static Finding judge(int bus, int address, String driverName) {
        String where = String.format(Locale.ROOT, "0x%02x on bus %d", address, bus);
        if (driverName == null) {
            return Finding.ok(NAME, "no kernel driver bound to " + where + ".");
        }
        return Finding.fail(NAME, "the kernel driver " + driverName + " holds " + where
                        + ", so the agent cannot talk to the sensor.",
                "remove dtoverlay=i2c-sensor," + driverName + " from /boot/firmware/config.txt and reboot.");
    }
}
