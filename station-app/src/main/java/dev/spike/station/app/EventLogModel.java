package dev.spike.station.app;

import java.time.Instant;
import java.util.Objects;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/** The station's event log: what every agent reported and what the station did, newest first. */
public interface EventLogModel {

    /** The entries that match {@link #filterProperty()}, newest first. */
    ObservableList<LogEntry> entries();

    /** Free text: shows only entries whose agent, type or detail contains it (ignoring case). */
    StringProperty filterProperty();

    enum Severity { INFO, WARNING, ERROR }

    /**
     * One log line.
     *
     * @param type   the event type as on the wire ("valve_opened"), or what the station did ("cmd/spray sent")
     * @param detail for a person: "6 s, low humidity"
     */
    record LogEntry(Instant at, String agentId, String type, String detail, Severity severity) {

        public LogEntry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(severity, "severity");
            detail = detail == null ? "" : detail;
        }
    }
}
