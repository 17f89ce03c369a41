package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import java.time.Instant;

/** The answer to a command: accepted, or rejected with a reason a person understands. */
public record CommandResult(String agentId, long seq, Instant at, String commandId, CommandKind command, boolean accepted, String reason) implements Event {

    public CommandResult {
        Event.checkHeader(agentId, seq, at);
        Checks.text("commandId", commandId, 64);
        Checks.notNull("command", command);
        Checks.optionalText("reason", reason, 500);
        if (!accepted && reason == null) {
            throw new InvalidFieldException("reason", "is required when a command is rejected");
        }
    }

    @Override
    public EventType type() {
        return EventType.COMMAND_RESULT;
    }

    @Override
    public CommandResult withHeader(String agentId, long seq, Instant at) {
        return new CommandResult(agentId, seq, at, commandId, command, accepted, reason);
    }
}
