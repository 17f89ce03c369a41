package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** The valve closed after being open {@code openMs} milliseconds, as measured by the agent. */
public record ValveClosed(String agentId, long seq, Instant at, long openMs) implements Event {

    public ValveClosed {
        Event.checkHeader(agentId, seq, at);
        Checks.atLeast("openMs", openMs, 0);
    }

    @Override
    public EventType type() {
        return EventType.VALVE_CLOSED;
    }

    @Override
    public ValveClosed withHeader(String agentId, long seq, Instant at) {
        return new ValveClosed(agentId, seq, at, openMs);
    }
}
