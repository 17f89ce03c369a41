package dev.spike.model.rules;

import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;

/** What the spray policy wants done; the shell carries it out. */
public sealed interface Decision {

    /**
     * Open the valve. The shell asks the valve and answers with {@link Input.SprayStarted} or
     * {@link Input.SprayRefused}.
     *
     * @param commandId the manual command asking for it, or null
     */
    record OpenValve(int durationS, SprayReason reason, String commandId) implements Decision {
    }

    /**
     * Record an event. The policy fills in agent id and time; the event store assigns the real {@code seq} when it
     * appends (until then the event carries {@link SprayPolicy#DRAFT_SEQ}).
     */
    record Record(Event event) implements Decision {
    }
}
