package dev.spike.agent.sensor;

import java.util.Objects;

/** The outcome of one {@link Sht30} operation: exactly one per call, success or failure. */
public sealed interface SensorResult {

    /**
     * A plausible measurement.
     *
     * @param humidityPct    relative humidity, %RH, 0..100
     * @param temperatureC   temperature, degrees Celsius
     * @param rawHumidity    the sensor's 16-bit humidity word, for diagnostics and stuck detection
     * @param rawTemperature the sensor's 16-bit temperature word
     */
    record Reading(double humidityPct, double temperatureC, int rawHumidity, int rawTemperature)
            implements SensorResult {
    }

    /**
     * No usable measurement; {@code reason} is meant for a person ("no acknowledge from SHT30 at 0x44 (3 attempts)").
     */
    record Failure(String reason) implements SensorResult {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
