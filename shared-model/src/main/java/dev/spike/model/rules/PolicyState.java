package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the spray policy remembers between inputs. Immutable; {@link SprayPolicy#apply} returns a new one.
 *
 * @param agentId                whose events the policy writes
 * @param rules                  the rules in force
 * @param mode                   normal or sensor down
 * @param lastSprayAt            the last spray of any kind, or null if none is known
 * @param lastSprayReason        its reason, or null
 * @param lastEveningDate        the local date (in the rules' zone) of the last evening decision, or null
 * @param consecutiveFailures    failed reads since the last good one
 * @param lastGoodReadingAt      the last valid reading, or the start time, for staleness
 * @param sensorDownSince        when sensor-down mode began, or null in normal mode
 * @param goodReadingsWhileDown  consecutive good readings while in sensor-down mode, toward recovery
 * @param humidityPct            the latest valid humidity, or null
 * @param temperatureC           the latest valid temperature, or null
 * @param readingAt              time of the latest valid reading, or null
 * @param publishedHumidityPct   the humidity last recorded as an event (deadband reference), or null
 * @param publishedHumidityAt    when it was recorded
 * @param publishedTemperatureC  the temperature last recorded as an event, or null
 * @param publishedTemperatureAt when it was recorded
 * @param lowEpisode             humidity is below the spray threshold (hysteresis applies to leaving it)
 * @param lastSkipNote           the last spray_skipped (trigger + next allowed time), to record each skip once
 * @param belowAlarmSince        humidity continuously below alarmLowPct since, or null
 * @param aboveAlarmSince        humidity continuously above alarmHighPct since, or null
 * @param effectDeadline         a spray's effect is checked until then, or null when no check runs
 * @param effectBaselinePct      humidity when that spray started
 * @param activeAlarms           alarms raised and not cleared
 * @param lastRecoveredAt        when the sensor last recovered from sensor-down mode, or null; tells flapping
 * @param seenAt                 the latest time the policy has seen; an input before it means the clock stepped back
 * @param everyReading           record every valid humidity reading, not only those past the deadband: what the
 *                               agent does, so that {@link Replay} sees every reading the rules saw. A recording
 *                               choice, independent of the rules; off in {@link #initial} and {@link #recovered}
 */
public record PolicyState(
        String agentId,
        Rules rules,
        Mode mode,
        Instant lastSprayAt,
        SprayReason lastSprayReason,
        LocalDate lastEveningDate,
        int consecutiveFailures,
        Instant lastGoodReadingAt,
        Instant sensorDownSince,
        int goodReadingsWhileDown,
        Double humidityPct,
        Double temperatureC,
        Instant readingAt,
        Double publishedHumidityPct,
        Instant publishedHumidityAt,
        Double publishedTemperatureC,
        Instant publishedTemperatureAt,
        boolean lowEpisode,
        String lastSkipNote,
        Instant belowAlarmSince,
        Instant aboveAlarmSince,
        Instant effectDeadline,
        Double effectBaselinePct,
        Set<AlarmKind> activeAlarms,
        Instant lastRecoveredAt,
        Instant seenAt,
        boolean everyReading) {

    public PolicyState {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(seenAt, "seenAt");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(lastGoodReadingAt, "lastGoodReadingAt");
        activeAlarms = Set.copyOf(activeAlarms);
    }

    /** A fresh agent that has never sprayed, started at {@code now}. */
    public static PolicyState initial(String agentId, Rules rules, Instant now) {
        return recovered(agentId, rules, now, Recovered.NOTHING);
    }

    /**
     * The state after a restart, from what the event store remembers: the last spray, the mode, the last evening
     * decision and the open alarms. A restart therefore never shortens a cooldown or repeats an evening spray.
     * Staleness counts from {@code now}: the sensor gets its three read intervals after every start.
     *
     * <p>A store whose last event is later than {@code now} means the clock is behind, as on a Pi that booted without
     * network time: the first input then counts as a clock step back to it, so the remembered times move back with
     * it and a cooldown is not stretched by the clock's error.
     */
    public static PolicyState recovered(String agentId, Rules rules, Instant now, Recovered memory) {
        Instant seenAt = memory.lastEventAt() != null && memory.lastEventAt().isAfter(now) ? memory.lastEventAt() : now;
        return new PolicyState(agentId, rules, memory.mode(), memory.lastSprayAt(), memory.lastSprayReason(),
                memory.lastEveningDate(), 0, seenAt,
                memory.mode() == Mode.SENSOR_DOWN ? memory.sensorDownSince() : null, 0, null, null, null, null, null,
                null, null, false, null, null, null, null, null, memory.activeAlarms(), null, seenAt, false);
    }

    /** This state, recording every valid humidity reading from now on (see {@code everyReading}). */
    public PolicyState recordingEveryReading() {
        return new PolicyState(agentId, rules, mode, lastSprayAt, lastSprayReason, lastEveningDate, consecutiveFailures,
                lastGoodReadingAt, sensorDownSince, goodReadingsWhileDown, humidityPct, temperatureC, readingAt,
                publishedHumidityPct, publishedHumidityAt, publishedTemperatureC, publishedTemperatureAt, lowEpisode,
                lastSkipNote, belowAlarmSince, aboveAlarmSince, effectDeadline, effectBaselinePct, activeAlarms,
                lastRecoveredAt, seenAt, true);
    }

    /**
     * What a restart takes over from the event store.
     *
     * @param lastEventAt the time of the store's newest event, or null for an empty store
     */
    public record Recovered(
            Mode mode,
            Instant sensorDownSince,
            Instant lastSprayAt,
            SprayReason lastSprayReason,
            LocalDate lastEveningDate,
            Set<AlarmKind> activeAlarms,
            Instant lastEventAt) {

        public static final Recovered NOTHING = new Recovered(Mode.NORMAL, null, null, null, null, Set.of(), null);

        public Recovered {
            Objects.requireNonNull(mode, "mode");
            if (mode == Mode.SENSOR_DOWN) {
                Objects.requireNonNull(sensorDownSince, "sensorDownSince");
            }
            activeAlarms = Set.copyOf(activeAlarms);
        }
    }

    /** No automatic spray before this; null when none is pending. */
    public Instant cooldownUntil() {
        return SprayPolicy.cooldownUntil(rules, lastSprayAt);
    }
}
