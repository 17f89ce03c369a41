package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/**
 * A valid temperature reading that moved past the deadband, or the periodic one (at least every 5 min). Like
 * {@link HumidityChanged}: the agreed calibrated value, and optional per-sensor values, calibrated and raw.
 */
public record TemperatureChanged(String agentId, long seq, Instant at, double temperatureC, Double temperature1C,
        Double rawTemperature1C, Double temperature2C, Double rawTemperature2C) implements Event {

    public TemperatureChanged {
        Event.checkHeader(agentId, seq, at);
        Checks.range("temperatureC", temperatureC, -40, 125);
        Checks.optionalRange("temperature1C", temperature1C, -40, 125);
        Checks.optionalRange("rawTemperature1C", rawTemperature1C, -40, 125);
        Checks.optionalRange("temperature2C", temperature2C, -40, 125);
        Checks.optionalRange("rawTemperature2C", rawTemperature2C, -40, 125);
    }

    /** Without per-sensor values. */
    public TemperatureChanged(String agentId, long seq, Instant at, double temperatureC) {
        this(agentId, seq, at, temperatureC, null, null, null, null);
    }

    /** The same reading with per-sensor values. */
    public TemperatureChanged withSensors(Double temperature1C, Double rawTemperature1C, Double temperature2C,
            Double rawTemperature2C) {
        return new TemperatureChanged(agentId, seq, at, temperatureC, temperature1C, rawTemperature1C,
                temperature2C, rawTemperature2C);
    }

    /** Whether any per-sensor value is there (an agent with two sensors, or a calibrated one). */
    public boolean hasSensorValues() {
        return temperature1C != null || rawTemperature1C != null || temperature2C != null || rawTemperature2C != null;
    }

    @Override
    public EventType type() {
        return EventType.TEMPERATURE_CHANGED;
    }

    @Override
    public TemperatureChanged withHeader(String agentId, long seq, Instant at) {
        return new TemperatureChanged(agentId, seq, at, temperatureC, temperature1C, rawTemperature1C,
                temperature2C, rawTemperature2C);
    }
}
