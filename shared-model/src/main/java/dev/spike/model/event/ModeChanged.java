package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.Mode;
import java.time.Instant;

/** The control mode changed. */
public record ModeChanged(String agentId, long seq, Instant at, Mode mode) implements Event {

    public ModeChanged {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("mode", mode);
    }

    @Override
    public EventType type() {
        return EventType.MODE_CHANGED;
    }

    @Override
    public ModeChanged withHeader(String agentId, long seq, Instant at) {
        return new ModeChanged(agentId, seq, at, mode);
    }
}
