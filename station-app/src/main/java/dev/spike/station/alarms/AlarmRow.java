package dev.spike.station.alarms;

import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.AlarmRecord.Severity;
import java.time.Instant;

/**
 * One row of the alarm list, ready to show. Rows are immutable; the list is replaced when alarms change.
 *
 * @param id               the alarm's id, for {@link AlarmsViewModel#acknowledge(long)}
 * @param agentId          the agent it is about
 * @param severity         critical or warning ({@code name().toLowerCase()} for a pseudo-class)
 * @param sourceText       "terrarium-1" when the agent raised it, "station" when the station did
 * @param message          what is wrong
 * @param raisedAt         when it was raised
 * @param raisedText       "2026-05-01 18:15:00"
 * @param active           its condition still holds
 * @param clearedText      "2026-05-01 18:20:00", or "" while active
 * @param acknowledged     a person acknowledged it
 * @param acknowledgedText "18:16 by alice", or ""
 * @param record           the stored alarm
 */
public record AlarmRow(long id, String agentId, Severity severity, String sourceText, String message,
        Instant raisedAt, String raisedText, boolean active, String clearedText, boolean acknowledged,
        String acknowledgedText, AlarmRecord record) {
}
