package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** A valid temperature reading that moved past the deadband, or the periodic one (at least every 5 min). */
public record TemperatureChanged(String agentId, long seq, Instant at, double temperatureC) implements Event {

    public TemperatureChanged {
        Event.checkHeader(agentId, seq, at);
        Checks.range("temperatureC", temperatureC, -40, 125);
    }

    @Override
    public EventType type() {
        return EventType.TEMPERATURE_CHANGED;
    }

    @Override
    public TemperatureChanged withHeader(String agentId, long seq, Instant at) {
        return new TemperatureChanged(agentId, seq, at, temperatureC);
    }
}
