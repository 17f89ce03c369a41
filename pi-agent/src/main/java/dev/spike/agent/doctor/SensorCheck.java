package dev.spike.agent.doctor;

import dev.spike.agent.sensor.I2cException;
import dev.spike.agent.sensor.I2cTransport;
import dev.spike.agent.sensor.Sht30Identity;
import java.util.Locale;

/** Check 3: an SHT30 answers at the configured address; shows its serial number and status word. */
final class SensorCheck {

    static final String NAME = "sensor";

    /** Opens the bus for one device: {@code Pi4jI2cTransport::open} on the Pi, a fake SHT30 in tests. */
    @FunctionalInterface
    interface Opener {
        I2cTransport open(int bus, int address) throws I2cException;
    }

    private SensorCheck() {
    }

    static Finding run(Opener opener, Sht30Identity.Pause pause, int bus, int address) throws InterruptedException {
        String where = String.format(Locale.ROOT, "0x%02x on bus %d", address, bus);
        try (I2cTransport transport = opener.open(bus, address)) {
            return judge(where, Sht30Identity.read(transport, pause), null);
        } catch (I2cException e) {
            return judge(where, null, e);
        }
    }

    /** Exactly one of {@code identity} and {@code failure} is set. */
    static Finding judge(String where, Sht30Identity identity, I2cException failure) {
        if (identity != null) {
            return Finding.ok(NAME, "SHT30 at " + where + ": " + identity + ".");
        }
        switch (failure.kind()) {
            case NACK:
                return Finding.fail(NAME, "nothing answers at " + where + ".",
                        "check the wiring (SDA pin 3, SCL pin 5, 3V3, GND) and sensor.address (0x44 with ADDR low,"
                                + " 0x45 with ADDR high); `sudo i2cdetect -y 1` lists what answers.");
            case ABSENT:
                return Finding.fail(NAME, "cannot reach the sensor at " + where + ": " + failure.getMessage(),
                        "enable I2C first (see i2c-bus).");
            case PERMISSION:
                return Finding.fail(NAME, "cannot open the bus for " + where + ": " + failure.getMessage(),
                        "see permissions.");
            default:
                return Finding.fail(NAME, "the sensor at " + where + " answered badly: " + failure.getMessage(),
                        "check the cable and the pull-ups, and that no kernel driver holds the address"
                                + " (see kernel-driver).");
        }
    }
}
