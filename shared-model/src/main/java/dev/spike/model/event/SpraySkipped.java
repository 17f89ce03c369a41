package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.SprayTrigger;
import java.time.Instant;

/**
 * A rule wanted to spray and did not.
 *
 * @param reason        for a person: "cooldown until 14:32", "sprayed 12 min ago"
 * @param nextAllowedAt when the rule may spray again, if known
 */
public record SpraySkipped(String agentId, long seq, Instant at, SprayTrigger trigger, String reason, Instant nextAllowedAt) implements Event {

    public SpraySkipped {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("trigger", trigger);
        Checks.text("reason", reason, 500);
    }

    @Override
    public EventType type() {
        return EventType.SPRAY_SKIPPED;
    }

    @Override
    public SpraySkipped withHeader(String agentId, long seq, Instant at) {
        return new SpraySkipped(agentId, seq, at, trigger, reason, nextAllowedAt);
    }
}
