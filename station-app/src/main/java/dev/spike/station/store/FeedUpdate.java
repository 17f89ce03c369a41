package dev.spike.station.store;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import java.util.List;

/**
 * Something the {@link StationFeed} stored: what listeners (ViewModels, backfill, alarms) react to. Every update is
 * about one agent.
 */
public sealed interface FeedUpdate {

    String agentId();

    /**
     * Events that were new to the store, deduplicated, in the order they arrived (seq order within one message).
     *
     * @param backfilled true if they came in a history reply rather than live
     */
    record EventsAdded(String agentId, List<Event> events, boolean backfilled) implements FeedUpdate {

        public EventsAdded {
            events = List.copyOf(events);
        }
    }

    /** The retained status arrived (the broker's will included). */
    record StatusChanged(String agentId, Status status) implements FeedUpdate {
    }

    /** The retained state arrived. */
    record StateChanged(String agentId, AgentState state) implements FeedUpdate {
    }

    /** The retained health arrived. */
    record HealthChanged(String agentId, Health health) implements FeedUpdate {
    }

    /** The retained config arrived: the rules in force. */
    record ConfigChanged(String agentId, ConfigSnapshot config) implements FeedUpdate {
    }

    /**
     * A page of a history reply was stored (its new events are in an {@link EventsAdded} just before this).
     *
     * @param added how many of its events were new
     */
    record PageStored(String agentId, HistoryPage page, int added) implements FeedUpdate {
    }
}
