package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** A sensor read failed or was rejected as implausible; {@code error} says precisely why. */
public record SensorError(String agentId, long seq, Instant at, String error, int consecutiveFailures) implements Event {

    public SensorError {
        Event.checkHeader(agentId, seq, at);
        Checks.text("error", error, 500);
        Checks.range("consecutiveFailures", consecutiveFailures, 1, Integer.MAX_VALUE);
    }

    @Override
    public EventType type() {
        return EventType.SENSOR_ERROR;
    }

    @Override
    public SensorError withHeader(String agentId, long seq, Instant at) {
        return new SensorError(agentId, seq, at, error, consecutiveFailures);
    }
}
