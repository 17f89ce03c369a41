package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/**
 * A valid relative-humidity reading that moved past the deadband, or the periodic one (at least every 5 min).
 * {@code humidityPct} is the value the rules use: calibrated, and with two sensors the mean of the valid ones. The
 * optional per-sensor fields say what each sensor gave, calibrated and raw; each is absent when that sensor has no
 * valid reading (or there is no such sensor), and all are absent from an agent that predates them.
 */
public record HumidityChanged(String agentId, long seq, Instant at, double humidityPct, Double humidity1Pct,
        Double rawHumidity1Pct, Double humidity2Pct, Double rawHumidity2Pct) implements Event {

    public HumidityChanged {
        Event.checkHeader(agentId, seq, at);
        Checks.range("humidityPct", humidityPct, 0, 100);
        Checks.optionalRange("humidity1Pct", humidity1Pct, 0, 100);
        Checks.optionalRange("rawHumidity1Pct", rawHumidity1Pct, 0, 100);
        Checks.optionalRange("humidity2Pct", humidity2Pct, 0, 100);
        Checks.optionalRange("rawHumidity2Pct", rawHumidity2Pct, 0, 100);
    }

    /** Without per-sensor values. */
    public HumidityChanged(String agentId, long seq, Instant at, double humidityPct) {
        this(agentId, seq, at, humidityPct, null, null, null, null);
    }

    /** The same reading with per-sensor values. */
    public HumidityChanged withSensors(Double humidity1Pct, Double rawHumidity1Pct, Double humidity2Pct,
            Double rawHumidity2Pct) {
        return new HumidityChanged(agentId, seq, at, humidityPct, humidity1Pct, rawHumidity1Pct, humidity2Pct,
                rawHumidity2Pct);
    }

    /** Sensor 1's or 2's calibrated value, else null; sensor 1 falls back to the agreed value of an older agent. */
    public Double humidityOf(int sensorNumber) {
        if (sensorNumber == 2) {
            return humidity2Pct;
        }
        return humidity1Pct != null || humidity2Pct != null || rawHumidity1Pct != null ? humidity1Pct : humidityPct;
    }

    /** Sensor 1's or 2's raw value, else null; sensor 1 falls back to its calibrated value, then the agreed one. */
    public Double rawHumidityOf(int sensorNumber) {
        if (sensorNumber == 2) {
            return rawHumidity2Pct;
        }
        return rawHumidity1Pct != null ? rawHumidity1Pct : humidityOf(1);
    }

    /** Whether any per-sensor value is there (an agent with two sensors, or a calibrated one). */
    public boolean hasSensorValues() {
        return humidity1Pct != null || rawHumidity1Pct != null || humidity2Pct != null || rawHumidity2Pct != null;
    }

    @Override
    public EventType type() {
        return EventType.HUMIDITY_CHANGED;
    }

    @Override
    public HumidityChanged withHeader(String agentId, long seq, Instant at) {
        return new HumidityChanged(agentId, seq, at, humidityPct, humidity1Pct, rawHumidity1Pct, humidity2Pct,
                rawHumidity2Pct);
    }
}
