package dev.spike.station.app;

import java.util.Objects;
import javafx.collections.ObservableList;

/** Alarms of every agent, raised by the agents and acknowledged by a person at the station. */
public interface AlarmsModel {

    /** Newest first; active ones and those cleared but not yet acknowledged. */
    ObservableList<AlarmItem> alarms();

    void acknowledge(AlarmItem alarm);

    void acknowledgeAll();

    /**
     * One alarm, ready to show. Replaced, not mutated, when it changes.
     *
     * @param id               for {@link #acknowledge}
     * @param severity         "critical" or "warning" (a pseudo-class of the row)
     * @param source           "terrarium-1" when the agent raised it, "station" when the station did
     * @param raisedText       when it was raised: "2026-05-01 18:15:00"
     * @param active           its condition still holds
     * @param clearedText      when it was cleared, or "" while active
     * @param acknowledgedText "18:16 by alice", or ""
     */
    record AlarmItem(long id, String agentId, String severity, String source, String message, String raisedText,
                     boolean active, String clearedText, boolean acknowledged, String acknowledgedText) {

        public AlarmItem {
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(severity, "severity");
            source = source == null ? agentId : source;
            message = message == null ? "" : message;
            raisedText = raisedText == null ? "" : raisedText;
            clearedText = clearedText == null ? "" : clearedText;
            acknowledgedText = acknowledgedText == null ? "" : acknowledgedText;
        }

        /** The same alarm, acknowledged. */
        public AlarmItem acknowledgedAs(String text) {
            return new AlarmItem(id, agentId, severity, source, message, raisedText, active, clearedText, true, text);
        }
    }
}
