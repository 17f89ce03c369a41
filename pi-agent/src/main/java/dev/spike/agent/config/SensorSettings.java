package dev.spike.agent.config;

import dev.spike.model.Calibration;
import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.command.CalibrationCommand;
import java.time.Duration;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * Calibration of the sensors and the optional second SHT30, from the config file. These calibrations are the
 * baseline: one sent from a station ({@code cmd/calibration}) is stored with the events and wins over them until a
 * {@code reset} (see {@code docs/agent.md}).
 *
 * @param calibration1        sensor 1's ({@code sensor.*})
 * @param sensor2Bus          the second SHT30's I2C bus, or null when there is no second sensor
 * @param sensor2Address      its address, 0x44 or 0x45, or null
 * @param calibration2        sensor 2's ({@code sensor2.*})
 * @param divergenceMarginPct the sensors may read this far apart, %RH, before the divergence alarm's clock runs
 * @param divergenceMin       for this many minutes before the alarm
 */
public record SensorSettings(Calibration calibration1, Integer sensor2Bus, Integer sensor2Address,
        Calibration calibration2, double divergenceMarginPct, int divergenceMin) {

    /** One sensor, uncalibrated. */
    public static final SensorSettings ONE = new SensorSettings(Calibration.NONE, null, null, Calibration.NONE, 5,
            30);

    public SensorSettings {
        Checks.notNull("sensor.calibration", calibration1);
        Checks.notNull("sensor2.calibration", calibration2);
        if ((sensor2Bus == null) != (sensor2Address == null)) {
            throw new InvalidFieldException("sensor2.address", "and sensor2.i2cBus come together");
        }
        if (sensor2Bus != null) {
            Checks.range("sensor2.i2cBus", sensor2Bus, 0, 31);
            checkAddress("sensor2.address", sensor2Address);
        }
        Checks.range("sensors.divergenceMarginPct", divergenceMarginPct, 0.5, 50);
        Checks.range("sensors.divergenceMin", divergenceMin, 1, 10080);
    }

    /** An SHT30 answers at 0x44 or 0x45 (its ADDR pin low or high). */
    static void checkAddress(String key, int address) {
        if (address != 0x44 && address != 0x45) {
            throw new InvalidFieldException(key, "must be 0x44 or 0x45, was 0x" + Integer.toHexString(address));
        }
    }

    public boolean hasSecond() {
        return sensor2Bus != null;
    }

    /** The same settings with a second sensor. */
    public SensorSettings withSecond(int bus, int address) {
        return new SensorSettings(calibration1, bus, address, calibration2, divergenceMarginPct, divergenceMin);
    }

    /** Sensor 1's or 2's baseline calibration. */
    public Calibration calibration(int sensorNumber) {
        return sensorNumber == 2 ? calibration2 : calibration1;
    }

    public Duration divergenceAfter() {
        return Duration.ofMinutes(divergenceMin);
    }

    /** Keys this reads. */
    static final java.util.List<String> KEYS = java.util.List.of("sensor.humidityOffsetPct",
            "sensor.temperatureOffsetC", "sensor.rawAtNaClPct", "sensor.rawAtMgCl2Pct", "sensor2.i2cBus",
            "sensor2.address", "sensor2.humidityOffsetPct", "sensor2.temperatureOffsetC", "sensor2.rawAtNaClPct",
            "sensor2.rawAtMgCl2Pct", "sensors.divergenceMarginPct", "sensors.divergenceMin");

    /**
     * Reads the keys; {@code number} and {@code integer} read one key or return null, naming the key in errors.
     * Sensor 2 is configured by {@code sensor2.address}; its bus defaults to sensor 1's. Both on one bus at one
     * address is an error.
     */
    static SensorSettings read(Properties p, int bus1, int address1,
            BiFunction<Properties, String, Double> number, BiFunction<Properties, String, Integer> integer) {
        Integer address2 = integer.apply(p, "sensor2.address");
        Integer bus2 = integer.apply(p, "sensor2.i2cBus");
        if (address2 == null && bus2 != null) {
            throw new InvalidFieldException("sensor2.i2cBus", "needs sensor2.address, which is not set");
        }
        if (address2 != null && bus2 == null) {
            bus2 = bus1;
        }
        if (address2 != null && bus2 == bus1 && address2 == address1) {
            throw new InvalidFieldException("sensor2.address", "must differ from sensor.address (0x"
                    + Integer.toHexString(address1) + ") on the same bus " + bus1
                    + ": an SHT30 is at 0x44 or 0x45, or put the second one on another bus");
        }
        Calibration c1 = calibration(p, "sensor.", 1, number);
        Calibration c2 = calibration(p, "sensor2.", 2, number);
        if (address2 == null && !c2.isNone()) {
            throw new InvalidFieldException("sensor2.address", "is needed for sensor2's calibration");
        }
        Double margin = number.apply(p, "sensors.divergenceMarginPct");
        Integer minutes = integer.apply(p, "sensors.divergenceMin");
        return new SensorSettings(c1, bus2, address2, c2, margin == null ? ONE.divergenceMarginPct() : margin,
                minutes == null ? ONE.divergenceMin() : minutes);
    }

    /** Read with the rules of {@code cmd/calibration}, so the file and the station mean the same. */
    private static Calibration calibration(Properties p, String prefix, int sensorNumber,
            BiFunction<Properties, String, Double> number) {
        Double offset = number.apply(p, prefix + "humidityOffsetPct");
        Double nacl = number.apply(p, prefix + "rawAtNaClPct");
        Double mgcl2 = number.apply(p, prefix + "rawAtMgCl2Pct");
        Double temperature = number.apply(p, prefix + "temperatureOffsetC");
        if (offset == null && nacl == null && mgcl2 == null && temperature == null) {
            return Calibration.NONE;
        }
        try {
            return new CalibrationCommand("config", sensorNumber, offset, nacl, mgcl2, temperature, false)
                    .applyTo(Calibration.NONE);
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(prefix + e.field(), e.reason());
        }
    }
}
