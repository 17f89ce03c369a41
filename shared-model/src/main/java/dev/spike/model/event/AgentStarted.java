package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** The agent process started; the first event after every (re)start. */
public record AgentStarted(String agentId, long seq, Instant at, String version) implements Event {

    public AgentStarted {
        Event.checkHeader(agentId, seq, at);
        Checks.text("version", version, 64);
    }

    @Override
    public EventType type() {
        return EventType.AGENT_STARTED;
    }

    @Override
    public AgentStarted withHeader(String agentId, long seq, Instant at) {
        return new AgentStarted(agentId, seq, at, version);
    }
}
