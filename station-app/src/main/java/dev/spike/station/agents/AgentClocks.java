package dev.spike.station.agents;

import dev.spike.model.event.Event;
import dev.spike.station.store.FeedUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every agent's {@link AgentClock}, learned from what each agent says live (its health and its live events; a
 * backfilled event's time says nothing about when it was sent), selected or not.
 *
 * <p>Not thread-safe: each thread that needs agents' clocks keeps its own (the UI thread in {@link SelectedAgent}, the
 * feed thread in the alarm tracker), fed the same updates, so the same rule reads every agent's clock without locks.
 */
public final class AgentClocks {

    private final Map<String, AgentClock> clocks = new HashMap<>();

    /** The feed delivered {@code updates}, received at the station's {@code received}. */
    public void observe(List<FeedUpdate> updates, Instant received) {
        for (FeedUpdate update : updates) {
            if (update instanceof FeedUpdate.HealthChanged) {
                clock(update.agentId()).observe(((FeedUpdate.HealthChanged) update).health().at(), received);
            } else if (update instanceof FeedUpdate.EventsAdded && !((FeedUpdate.EventsAdded) update).backfilled()) {
                for (Event event : ((FeedUpdate.EventsAdded) update).events()) {
                    clock(update.agentId()).observe(event.at(), received);
                }
            }
        }
    }

    /** The agent's clock (the station's until it spoke). */
    public AgentClock clock(String agentId) {
        return clocks.computeIfAbsent(agentId, id -> new AgentClock());
    }

    /** Now on the agent's clock, at the station's {@code stationNow}. */
    public Instant now(String agentId, Instant stationNow) {
        AgentClock clock = clocks.get(agentId);
        return clock == null ? stationNow : clock.now(stationNow);
    }

    /** Agent minus station, as {@link AgentClock#skew()}. */
    public Duration skew(String agentId) {
        AgentClock clock = clocks.get(agentId);
        return clock == null ? Duration.ZERO : clock.skew();
    }
}
