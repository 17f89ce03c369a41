package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** A valid relative-humidity reading that moved past the deadband, or the periodic one (at least every 5 min). */
public record HumidityChanged(String agentId, long seq, Instant at, double humidityPct) implements Event {

    public HumidityChanged {
        Event.checkHeader(agentId, seq, at);
        Checks.range("humidityPct", humidityPct, 0, 100);
    }

    @Override
    public EventType type() {
        return EventType.HUMIDITY_CHANGED;
    }

    @Override
    public HumidityChanged withHeader(String agentId, long seq, Instant at) {
        return new HumidityChanged(agentId, seq, at, humidityPct);
    }
}
