package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.Rules;
import java.time.Instant;

/** New rules are in force; the store keeps them, so they survive a restart. */
public record ConfigApplied(String agentId, long seq, Instant at, Rules rules) implements Event {

    public ConfigApplied {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("rules", rules);
    }

    @Override
    public EventType type() {
        return EventType.CONFIG_APPLIED;
    }

    @Override
    public ConfigApplied withHeader(String agentId, long seq, Instant at) {
        return new ConfigApplied(agentId, seq, at, rules);
    }
}
