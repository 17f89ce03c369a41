package dev.spike.station.store;

import dev.spike.model.event.EventType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events of an agent to read, newest first.
 *
 * @param types     the types wanted; empty for all
 * @param from      only events at or after this time, or null
 * @param to        only events before this time, or null
 * @param beforeSeq only events with a smaller seq, for paging backwards; {@code Long.MAX_VALUE} for the newest (no
 *                  bound: an event with that very seq is included)
 * @param limit     at most this many, 1..100000
 */
public record EventQuery(Set<EventType> types, Instant from, Instant to, long beforeSeq, int limit) {

    public static final int MAX_LIMIT = 100_000;

    public EventQuery {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The newest {@code limit} events of any type. */
    public static EventQuery newest(int limit) {
        return new EventQuery(Set.of(), null, null, Long.MAX_VALUE, limit);
    }

    public EventQuery withTypes(Set<EventType> types) {
        return new EventQuery(types, from, to, beforeSeq, limit);
    }

    public EventQuery between(Instant from, Instant to) {
        return new EventQuery(types, from, to, beforeSeq, limit);
    }

    public EventQuery before(long seq) {
        return new EventQuery(types, from, to, seq, limit);
    }
}
