package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** Good readings again after sensor-down mode, which lasted {@code downForS} seconds. */
public record SensorRecovered(String agentId, long seq, Instant at, long downForS) implements Event {

    public SensorRecovered {
        Event.checkHeader(agentId, seq, at);
        Checks.atLeast("downForS", downForS, 0);
    }

    @Override
    public EventType type() {
        return EventType.SENSOR_RECOVERED;
    }

    @Override
    public SensorRecovered withHeader(String agentId, long seq, Instant at) {
        return new SensorRecovered(agentId, seq, at, downForS);
    }
}
