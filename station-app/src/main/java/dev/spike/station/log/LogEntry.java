package dev.spike.station.log;

import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.time.Instant;

/**
 * One row of the event log, ready to show.
 *
 * @param seq      the agent's seq
 * @param at       when it happened, on the agent's clock
 * @param type     the event type ({@code type.wire()} makes a CSS class: {@code .log-row.valve_opened})
 * @param timeText "2026-05-01 18:00:10" in the station's zone
 * @param typeText "valve opened"
 * @param text     what happened and why: "sprayed 6 s: humidity 72.4 % < 75 %"
 * @param event    the event itself
 */
public record LogEntry(long seq, Instant at, EventType type, String timeText, String typeText, String text,
        Event event) {

    /** Whether the row matches a search: case-insensitive, in its text, its type or its time. */
    public boolean matches(String search) {
        if (search == null || search.isBlank()) {
            return true;
        }
        String needle = search.strip().toLowerCase(java.util.Locale.ROOT);
        return text.toLowerCase(java.util.Locale.ROOT).contains(needle)
                || typeText.contains(needle)
                || type.wire().contains(needle)
                || timeText.contains(needle);
    }
}
