package dev.spike.station.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An alarm as the station keeps it, raised by an agent ({@code humidity_alarm}, {@code sensor_error}) or by the
 * station itself (agent offline, no reading, spray not confirmed, command rejected). Alarms survive restarts.
 *
 * <p>Lifecycle: raised (active, unacknowledged) → cleared when its condition is gone, and acknowledged by a person,
 * in either order. An alarm about a single happening (a rejected command) has no condition: acknowledging it clears
 * it too.
 *
 * @param id             the store's id; 0 before it is saved
 * @param agentId        the agent it is about
 * @param key            what it is about, unique among the agent's active alarms ({@code humidity:low},
 *                       {@code sensor}, {@code offline}, {@code no_reading}, {@code spray_unconfirmed:<id>},
 *                       {@code rejected:<id>})
 * @param source         who raised it
 * @param severity       how urgent
 * @param message        for a person
 * @param raisedAt       when it was raised
 * @param raisedSeq      the seq of the agent event that raised it, or null
 * @param clearedAt      when its condition ended, or null while active
 * @param acknowledgedAt when a person acknowledged it, or null
 * @param acknowledgedBy who acknowledged it (the OS user name), or null
 */
public record AlarmRecord(long id, String agentId, String key, Source source, Severity severity, String message,
        Instant raisedAt, Long raisedSeq, Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy) {

    /** How urgent; CSS pseudo-class {@code :critical} or {@code :warning}. */
    public enum Severity {
        /** The animal may suffer: humidity out of range, tank empty, runaway, agent gone. */
        CRITICAL,
        /** Needs a look: a sensor error, a missing reading, a command that did not work. */
        WARNING
    }

    /** Who raised it. */
    public enum Source {
        /** The agent, with an event. */
        AGENT,
        /** The station, from what it saw (or did not see). */
        STATION
    }

    public AlarmRecord {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(raisedAt, "raisedAt");
        if ((acknowledgedAt == null) != (acknowledgedBy == null)) {
            throw new IllegalArgumentException("acknowledgedAt and acknowledgedBy go together");
        }
    }

    /** A new, active, unacknowledged alarm. */
    public static AlarmRecord raise(String agentId, String key, Source source, Severity severity, String message,
            Instant raisedAt, Long raisedSeq) {
        return new AlarmRecord(0, agentId, key, source, severity, message, raisedAt, raisedSeq, null, null, null);
    }

    public boolean active() {
        return clearedAt == null;
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }

    public AlarmRecord withId(long newId) {
        return new AlarmRecord(newId, agentId, key, source, severity, message, raisedAt, raisedSeq, clearedAt,
                acknowledgedAt, acknowledgedBy);
    }

    public AlarmRecord cleared(Instant at) {
        return new AlarmRecord(id, agentId, key, source, severity, message, raisedAt, raisedSeq, at,
                acknowledgedAt, acknowledgedBy);
    }

    public AlarmRecord acknowledged(Instant at, String by) {
        return new AlarmRecord(id, agentId, key, source, severity, message, raisedAt, raisedSeq, clearedAt, at, by);
    }

    public AlarmRecord withRaise(String newMessage, Instant at, Long seq) {
        return new AlarmRecord(id, agentId, key, source, severity, newMessage, at, seq, clearedAt, acknowledgedAt,
                acknowledgedBy);
    }

    public AlarmRecord withMessage(String newMessage) {
        return new AlarmRecord(id, agentId, key, source, severity, newMessage, raisedAt, raisedSeq, clearedAt,
                acknowledgedAt, acknowledgedBy);
    }
}
