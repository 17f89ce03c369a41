package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.event.Event;
import java.util.List;

/**
 * One page of an answer to a {@link HistoryRequest}, sent on the request's response topic.
 *
 * @param requestId the id of the request it answers
 * @param agentId   whose events these are; every event in the page belongs to this agent
 * @param events    at most {@link #MAX_EVENTS}, in seq order
 * @param last      true on the final page of the answer
 */
public record HistoryPage(String requestId, String agentId, List<Event> events, boolean last) {

    public static final int MAX_EVENTS = 5_000;

    public HistoryPage {
        Checks.text("requestId", requestId, Command.MAX_ID_LENGTH);
        Checks.agentId("agentId", agentId);
        events = List.copyOf(Checks.notNull("events", events));
        if (events.size() > MAX_EVENTS) {
            throw new InvalidFieldException("events", "must hold at most " + MAX_EVENTS + ", was " + events.size());
        }
        long previous = 0;
        for (Event event : events) {
            if (!event.agentId().equals(agentId)) {
                throw new InvalidFieldException("events", "must all belong to " + agentId + ", one was "
                        + event.agentId());
            }
            if (event.seq() <= previous) {
                throw new InvalidFieldException("events", "must be in increasing seq order, " + event.seq()
                        + " came after " + previous);
            }
            previous = event.seq();
        }
    }
}
