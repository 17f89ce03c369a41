package dev.spike.station.store;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import java.time.Instant;

/**
 * What the station last heard from one agent on its retained topics, as kept in the store. Any part may be null when
 * it never arrived.
 *
 * @param agentId     the agent
 * @param status      online or offline, the latest received (the broker's will included)
 * @param state       the latest {@code state}
 * @param health      the latest {@code health}
 * @param config      the latest {@code config}: the rules in force
 * @param highestSeq  the highest seq known to exist: the larger of {@code state.lastSeq} and the highest stored
 * @param settledSeq  every seq up to this one is stored or known not to exist any more (compacted on the agent)
 * @param lastEventAt the time of the newest stored event, or null
 */
public record AgentSnapshot(String agentId, Status status, AgentState state, Health health, ConfigSnapshot config,
        long highestSeq, long settledSeq, Instant lastEventAt) {

    /** The newest of the agent's own timestamps: its status, state, health and newest event. */
    public Instant lastSeen() {
        Instant latest = lastEventAt;
        latest = later(latest, status == null ? null : status.at());
        latest = later(latest, state == null ? null : state.at());
        latest = later(latest, health == null ? null : health.at());
        return latest;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
