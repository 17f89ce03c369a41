package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import java.time.Instant;

/**
 * The valve opened for {@code durationS} seconds.
 *
 * @param commandId the manual command that asked for it, or null for an automatic spray
 */
public record ValveOpened(String agentId, long seq, Instant at, int durationS, SprayReason reason, String commandId) implements Event {

    public ValveOpened {
        Event.checkHeader(agentId, seq, at);
        Checks.range("durationS", durationS, 1, Rules.ABSOLUTE_MAX_SPRAY_S);
        Checks.notNull("reason", reason);
        Checks.optionalText("commandId", commandId, 64);
    }

    @Override
    public EventType type() {
        return EventType.VALVE_OPENED;
    }

    @Override
    public ValveOpened withHeader(String agentId, long seq, Instant at) {
        return new ValveOpened(agentId, seq, at, durationS, reason, commandId);
    }
}
