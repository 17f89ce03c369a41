package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.rules.Decision.OpenValve;
import dev.spike.model.rules.Decision.Record;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The spray rules as a pure function: {@code (state, input, now) -> (new state, decisions)}. No I/O, no clock reads,
 * no threads; the same arguments always give the same outcome, which is what lets the tests walk through days of
 * rules on a virtual clock.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Low humidity</b>: a reading below {@code lowHumidityPct} sprays {@code sprayDurationS} if
 *       {@code minIntervalMin} passed since the last spray of any kind; otherwise one {@code spray_skipped} per
 *       cooldown, naming when the next spray is allowed. Leaving the low episode needs {@value #HYSTERESIS_PCT}
 *       point above the threshold, so a reading hovering at it does not flap.</li>
 *   <li><b>Program</b>: within a period of the rules' {@code program} (local time in {@code timeZone}) its
 *       threshold replaces {@code lowHumidityPct}, and a spray made in it is followed by its cooldown if it sets
 *       one. Without a program, or outside every period, the rules' own values hold.</li>
 *   <li><b>Sensor down</b>: {@code sensorDownAfterFailures} failed reads in a row, or no valid reading for
 *       {@value #STALE_INTERVALS} read intervals, switch to sensor-down mode; then spray every
 *       {@code sensorDownSprayEveryH} hours counted from the last spray (at once if that is already due).
 *       {@value #RECOVERY_READINGS} good readings in a row switch back. A sensor that goes down again within
 *       {@link #FLAPPING_WINDOW} of recovering is flapping (a loose wire): it needs
 *       {@value #FLAPPING_RECOVERY_READINGS} good readings in a row, so the mode, and the keeper's alarm with it,
 *       does not flap along with every burst of good reads.</li>
 *   <li><b>Evening</b>: once per local date in {@code timeZone}, at {@code eveningTime}, spray unless any spray
 *       happened within {@code eveningSkipIfSprayedWithinMin} (or the cooldown). The date is the key, so DST days
 *       and clock steps cannot double it. An agent that was down at that time and starts within
 *       {@link #EVENING_CATCH_UP} makes the decision late; started later than that, it records the evening as missed
 *       rather than spraying in the night.</li>
 *   <li><b>Manual</b>: sprays the requested duration (1..{@code maxSprayS}) now; the valve may still refuse (already
 *       open, runaway guard). It counts as the last spray for the cooldown.</li>
 *   <li><b>Clock steps</b>: when NTP steps the clock back, every remembered time moves back with it, so each
 *       cooldown, fallback interval, alarm timer and the evening already decided keep what they had left: no spray is
 *       repeated and none is held back for the length of the step. A step forward shortens what was left, so it
 *       can bring at most one spray of each rule forward; an evening stepped over is made up within
 *       {@link #EVENING_CATCH_UP} like a late start.</li>
 *   <li><b>Alarms</b>, each raised once and cleared once: below {@code alarmLowPct} for 15 min, above
 *       {@code alarmHighPct} for 60 min, no rise of 2 points within 3 min after a spray, and the valve's runaway
 *       guard refusing.</li>
 * </ul>
 *
 * <p>A spray counts only when the valve really opened: the policy asks with {@link OpenValve} and the shell answers
 * with {@link Input.SprayStarted} or {@link Input.SprayRefused}.
 */
public final class SprayPolicy {

    /** Placeholder seq of the events the policy writes; the event store assigns the real one. */
    public static final long DRAFT_SEQ = 1;

    static final double HYSTERESIS_PCT = 1.0;
    static final int STALE_INTERVALS = 3;
    static final int RECOVERY_READINGS = 3;
    static final int FLAPPING_RECOVERY_READINGS = 30;
    static final Duration FLAPPING_WINDOW = Duration.ofHours(1);
    static final double HUMIDITY_DEADBAND_PCT = 0.1;
    static final double TEMPERATURE_DEADBAND_C = 0.05;
    /** Readings are recorded at least this often even when unchanged, so charts and staleness checks have points. */
    public static final Duration REPORT_AT_LEAST_EVERY = Duration.ofMinutes(5);
    static final Duration LOW_ALARM_AFTER = Duration.ofMinutes(15);
    static final Duration HIGH_ALARM_AFTER = Duration.ofMinutes(60);
    static final Duration EFFECT_WINDOW = Duration.ofMinutes(3);
    static final double EFFECT_RISE_PCT = 2.0;
    public static final Duration EVENING_CATCH_UP = Duration.ofMinutes(60);
    /**
     * How a {@code sensor_error} that the rules raise themselves (no valid reading for too long, on a tick) begins;
     * every other one is a failed read. {@link Replay} tells them apart by it.
     */
    public static final String STALE_ERROR_PREFIX = "no valid reading for ";

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** How long the sensor may stay silent before the agent is in sensor-down mode. */
    private static Duration staleAfter(Rules rules) {
        return Duration.ofSeconds((long) rules.readIntervalS() * STALE_INTERVALS);
    }

    /** The new state and what to do, in order. */
    public record Outcome(PolicyState state, List<Decision> decisions) {
        public Outcome {
            decisions = List.copyOf(decisions);
        }
    }

    /** A spray the rules plan, for the dashboard's "next spray". */
    public record Planned(Instant at, SprayReason reason) {
    }

    private SprayPolicy() {
    }

    public static Outcome apply(PolicyState state, Input input, Instant now) {
        Draft d = new Draft(state, now);
        if (input instanceof Input.Reading) {
            d.reading((Input.Reading) input);
        } else if (input instanceof Input.SensorFailure) {
            d.failure(((Input.SensorFailure) input).reason());
        } else if (input instanceof Input.Tick) {
            d.tick();
        } else if (input instanceof Input.ManualSpray) {
            d.manual((Input.ManualSpray) input);
        } else if (input instanceof Input.RulesChange) {
            d.rulesChange((Input.RulesChange) input);
        } else if (input instanceof Input.RulesPatchChange) {
            d.rulesPatch((Input.RulesPatchChange) input);
        } else if (input instanceof Input.SprayStarted) {
            d.sprayStarted((Input.SprayStarted) input);
        } else if (input instanceof Input.SprayRefused) {
            d.sprayRefused((Input.SprayRefused) input);
        } else {
            throw new IllegalArgumentException("unknown input " + input);
        }
        return new Outcome(d.freeze(), d.decisions);
    }

    /** The next spray the rules plan by time: the sensor-down fallback or the evening spray, whichever is first. */
    public static Optional<Planned> nextPlanned(PolicyState state, Instant now) {
        Planned evening = new Planned(nextEvening(state, now), SprayReason.EVENING);
        if (state.mode() != Mode.SENSOR_DOWN) {
            return Optional.of(evening);
        }
        Instant fallback = state.lastSprayAt() == null ? now
                : state.lastSprayAt().plus(Duration.ofHours(state.rules().sensorDownSprayEveryH()));
        Planned down = new Planned(fallback.isBefore(now) ? now : fallback, SprayReason.SENSOR_DOWN);
        return Optional.of(down.at().isAfter(evening.at()) ? evening : down);
    }

    /**
     * The earliest time at which a {@link Input.Tick} can decide or change anything: a tick before it only moves
     * {@code seenAt} on. Staleness, the sensor-down spray, the evening rule, the alarm timers and the spray's effect
     * check each fall due at a known time; this is the first of them (or a time in the past when one is due).
     * {@link Replay} skips the ticks before it, which makes 30 days replay in a fraction of a second.
     */
    public static Instant nextTickDue(PolicyState state) {
        Rules rules = state.rules();
        Instant due = null;
        if (state.mode() == Mode.NORMAL) {
            due = state.lastGoodReadingAt().plusSeconds((long) rules.readIntervalS() * STALE_INTERVALS);
        } else {
            due = state.lastSprayAt() == null ? state.seenAt()
                    : state.lastSprayAt().plus(Duration.ofHours(rules.sensorDownSprayEveryH()));
        }
        LocalDate today = state.seenAt().atZone(rules.timeZone()).toLocalDate();
        due = earlier(due, eveningOf(rules, today.equals(state.lastEveningDate()) ? today.plusDays(1) : today));
        if (state.belowAlarmSince() != null && !state.activeAlarms().contains(AlarmKind.LOW)) {
            due = earlier(due, state.belowAlarmSince().plus(LOW_ALARM_AFTER));
        }
        if (state.aboveAlarmSince() != null && !state.activeAlarms().contains(AlarmKind.HIGH)) {
            due = earlier(due, state.aboveAlarmSince().plus(HIGH_ALARM_AFTER));
        }
        return earlier(due, state.effectDeadline());
    }

    private static Instant earlier(Instant a, Instant b) {
        return b == null || a.isBefore(b) ? a : b;
    }

    private static Instant nextEvening(PolicyState state, Instant now) {
        Rules rules = state.rules();
        LocalDate date = now.atZone(rules.timeZone()).toLocalDate();
        if (date.equals(state.lastEveningDate()) || !now.isBefore(eveningOf(rules, date))) {
            date = date.plusDays(1);
        }
        return eveningOf(rules, date);
    }

    /**
     * No automatic spray before this; null when there was no spray. The cooldown is that of the program period the
     * last spray fell in (or {@code minIntervalMin} outside every period).
     */
    static Instant cooldownUntil(Rules rules, Instant lastSprayAt) {
        return lastSprayAt == null ? null : lastSprayAt.plus(Duration.ofMinutes(rules.minIntervalMinAt(lastSprayAt)));
    }

    /** The evening instant of a local date; in a DST gap {@link ZonedDateTime#of} moves it forward by the gap. */
    static Instant eveningOf(Rules rules, LocalDate date) {
        return ZonedDateTime.of(date, rules.eveningTime(), rules.timeZone()).toInstant();
    }

    /** A mutable working copy of the state for one input; {@link #freeze()} makes the result. */
    private static final class Draft {
        final Instant now;
        final String agentId;
        final List<Decision> decisions = new ArrayList<>();
        Rules rules;
        Mode mode;
        Instant lastSprayAt;
        SprayReason lastSprayReason;
        LocalDate lastEveningDate;
        int consecutiveFailures;
        Instant lastGoodReadingAt;
        Instant sensorDownSince;
        int goodReadingsWhileDown;
        Double humidityPct;
        Double temperatureC;
        Instant readingAt;
        Double publishedHumidityPct;
        Instant publishedHumidityAt;
        Double publishedTemperatureC;
        Instant publishedTemperatureAt;
        boolean lowEpisode;
        String lastSkipNote;
        Instant belowAlarmSince;
        Instant aboveAlarmSince;
        Instant effectDeadline;
        Double effectBaselinePct;
        final Set<AlarmKind> activeAlarms = EnumSet.noneOf(AlarmKind.class);
        Instant lastRecoveredAt;
        final boolean everyReading;

        Draft(PolicyState s, Instant now) {
            this.now = now;
            agentId = s.agentId();
            rules = s.rules();
            mode = s.mode();
            lastSprayAt = s.lastSprayAt();
            lastSprayReason = s.lastSprayReason();
            lastEveningDate = s.lastEveningDate();
            consecutiveFailures = s.consecutiveFailures();
            lastGoodReadingAt = s.lastGoodReadingAt();
            sensorDownSince = s.sensorDownSince();
            goodReadingsWhileDown = s.goodReadingsWhileDown();
            humidityPct = s.humidityPct();
            temperatureC = s.temperatureC();
            readingAt = s.readingAt();
            publishedHumidityPct = s.publishedHumidityPct();
            publishedHumidityAt = s.publishedHumidityAt();
            publishedTemperatureC = s.publishedTemperatureC();
            publishedTemperatureAt = s.publishedTemperatureAt();
            lowEpisode = s.lowEpisode();
            lastSkipNote = s.lastSkipNote();
            belowAlarmSince = s.belowAlarmSince();
            aboveAlarmSince = s.aboveAlarmSince();
            effectDeadline = s.effectDeadline();
            effectBaselinePct = s.effectBaselinePct();
            activeAlarms.addAll(s.activeAlarms());
            lastRecoveredAt = s.lastRecoveredAt();
            everyReading = s.everyReading();
            if (now.isBefore(s.seenAt())) {
                clockSteppedBack(Duration.between(now, s.seenAt()));
            } else if (Duration.between(s.seenAt(), now).compareTo(staleAfter(rules)) > 0) {
                unwatchedGap(Duration.between(s.seenAt(), now));
            }
        }

        /**
         * No input for longer than the sensor may stay silent: the clock stepped forward (a Pi without a real-time
         * clock, when NTP syncs after boot) or the agent was not running its loop. The sensor could not have been
         * read in that time, so its silence counts from now: staleness is judged on time the policy watched, and a
         * step forward does not put a healthy sensor in sensor-down mode. Everything else takes the step as time
         * that passed, as the class comment says.
         */
        private void unwatchedGap(Duration gap) {
            lastGoodReadingAt = lastGoodReadingAt.plus(gap);
        }

        /** Moves every remembered time back by the clock's step, so what each of them waits for keeps its length. */
        private void clockSteppedBack(Duration step) {
            lastSprayAt = minus(lastSprayAt, step);
            lastGoodReadingAt = minus(lastGoodReadingAt, step);
            sensorDownSince = minus(sensorDownSince, step);
            readingAt = minus(readingAt, step);
            publishedHumidityAt = minus(publishedHumidityAt, step);
            publishedTemperatureAt = minus(publishedTemperatureAt, step);
            belowAlarmSince = minus(belowAlarmSince, step);
            aboveAlarmSince = minus(aboveAlarmSince, step);
            effectDeadline = minus(effectDeadline, step);
            lastRecoveredAt = minus(lastRecoveredAt, step);
            if (lastEveningDate != null) {
                lastEveningDate = eveningOf(rules, lastEveningDate).minus(step).atZone(rules.timeZone()).toLocalDate();
            }
        }

        private static Instant minus(Instant instant, Duration step) {
            return instant == null ? null : instant.minus(step);
        }

        PolicyState freeze() {
            return new PolicyState(agentId, rules, mode, lastSprayAt, lastSprayReason, lastEveningDate,
                    consecutiveFailures, lastGoodReadingAt, sensorDownSince, goodReadingsWhileDown, humidityPct,
                    temperatureC, readingAt, publishedHumidityPct, publishedHumidityAt, publishedTemperatureC,
                    publishedTemperatureAt, lowEpisode, lastSkipNote, belowAlarmSince, aboveAlarmSince,
                    effectDeadline, effectBaselinePct, activeAlarms, lastRecoveredAt, now, everyReading);
        }

        // ------------------------------------------------------------------------------------------ inputs

        void reading(Input.Reading reading) {
            double humidity = round2(reading.humidityPct());
            double temperature = round2(reading.temperatureC());
            consecutiveFailures = 0;
            lastGoodReadingAt = now;
            humidityPct = humidity;
            temperatureC = temperature;
            readingAt = now;
            recordReadings(humidity, temperature);

            if (mode == Mode.SENSOR_DOWN) {
                goodReadingsWhileDown++;
                boolean flapping = lastRecoveredAt != null
                        && sensorDownSince.isBefore(lastRecoveredAt.plus(FLAPPING_WINDOW));
                if (goodReadingsWhileDown < (flapping ? FLAPPING_RECOVERY_READINGS : RECOVERY_READINGS)) {
                    return;
                }
                lastRecoveredAt = now;
                record(new SensorRecovered(agentId, DRAFT_SEQ, now,
                        Duration.between(sensorDownSince, now).toSeconds()));
                changeMode(Mode.NORMAL);
            }
            lowHumidityRule(humidity);
            alarmsOnReading(humidity);
            effectOnReading(humidity);
        }

        void failure(String reason) {
            consecutiveFailures++;
            goodReadingsWhileDown = 0;
            record(new SensorError(agentId, DRAFT_SEQ, now, reason, consecutiveFailures));
            if (mode == Mode.NORMAL && consecutiveFailures >= rules.sensorDownAfterFailures()) {
                enterSensorDown();
            }
            fallbackSpray();
        }

        void tick() {
            if (mode == Mode.NORMAL && !now.isBefore(lastGoodReadingAt.plus(staleAfter(rules)))) {
                record(new SensorError(agentId, DRAFT_SEQ, now, STALE_ERROR_PREFIX
                        + Duration.between(lastGoodReadingAt, now).toSeconds() + " s",
                        Math.max(1, consecutiveFailures)));
                enterSensorDown();
            }
            fallbackSpray();
            eveningRule();
            alarmTimers();
            if (effectDeadline != null && !now.isBefore(effectDeadline)) {
                effectDeadline = null;
                raise(AlarmKind.NO_EFFECT, humidityPct, "humidity did not rise by " + Checks.plain(EFFECT_RISE_PCT)
                        + " points within " + EFFECT_WINDOW.toMinutes()
                        + " min after spraying: empty tank or blocked nozzle?");
            }
        }

        void manual(Input.ManualSpray manual) {
            if (manual.durationS() > rules.maxSprayS()) {
                record(new CommandResult(agentId, DRAFT_SEQ, now, manual.commandId(), CommandKind.SPRAY, false,
                        "durationS must be 1.." + rules.maxSprayS() + ", was " + manual.durationS()));
                return;
            }
            decisions.add(new OpenValve(manual.durationS(), SprayReason.MANUAL, manual.commandId()));
        }

        void rulesChange(Input.RulesChange change) {
            applyRules(change.rules(), change.commandId(), CommandKind.CONFIG);
        }

        void rulesPatch(Input.RulesPatchChange change) {
            Rules merged;
            try {
                merged = change.patch().applyTo(rules);
            } catch (InvalidFieldException e) {
                // the path a cmd/config would name for the same mistake
                record(new CommandResult(agentId, DRAFT_SEQ, now, change.commandId(), CommandKind.RULES, false,
                        "rules." + e.getMessage()));
                return;
            }
            applyRules(merged, change.commandId(), CommandKind.RULES);
        }

        private void applyRules(Rules newRules, String commandId, CommandKind kind) {
            rules = newRules;
            record(new ConfigApplied(agentId, DRAFT_SEQ, now, rules));
            if (commandId != null) {
                record(new CommandResult(agentId, DRAFT_SEQ, now, commandId, kind, true, null));
            }
            lastSkipNote = null;
        }

        void sprayStarted(Input.SprayStarted started) {
            lastSprayAt = now;
            lastSprayReason = started.reason();
            lastSkipNote = null;
            if (started.commandId() != null) {
                record(new CommandResult(agentId, DRAFT_SEQ, now, started.commandId(), CommandKind.SPRAY, true,
                        null));
            }
            boolean freshReading = readingAt != null && mode == Mode.NORMAL
                    && now.isBefore(readingAt.plusSeconds((long) rules.readIntervalS() * STALE_INTERVALS));
            if (freshReading) {
                effectDeadline = now.plusSeconds(started.durationS()).plus(EFFECT_WINDOW);
                effectBaselinePct = humidityPct;
            }
            clear(AlarmKind.RUNAWAY);
        }

        void sprayRefused(Input.SprayRefused refused) {
            if (refused.commandId() != null) {
                record(new CommandResult(agentId, DRAFT_SEQ, now, refused.commandId(), CommandKind.SPRAY, false,
                        refused.why()));
            } else {
                skip(triggerOf(refused.reason()), refused.why(), null);
            }
            if (refused.runaway()) {
                raise(AlarmKind.RUNAWAY, humidityPct, "valve refused to open: " + refused.why());
            }
        }

        // ------------------------------------------------------------------------------------------ rules

        private void lowHumidityRule(double humidity) {
            double threshold = rules.lowHumidityPctAt(now);
            if (humidity >= threshold) {
                if (humidity >= threshold + HYSTERESIS_PCT) {
                    lowEpisode = false;
                }
                return;
            }
            boolean newEpisode = !lowEpisode;
            lowEpisode = true;
            Instant cooldownUntil = cooldownUntil(rules, lastSprayAt);
            if (cooldownUntil == null || !now.isBefore(cooldownUntil)) {
                record(new LowHumidity(agentId, DRAFT_SEQ, now, humidity, threshold));
                decisions.add(new OpenValve(rules.sprayDurationS(), SprayReason.LOW_HUMIDITY, null));
                return;
            }
            if (newEpisode) {
                record(new LowHumidity(agentId, DRAFT_SEQ, now, humidity, threshold));
            }
            skip(SprayTrigger.LOW_HUMIDITY, "cooldown until " + local(cooldownUntil) + " (last spray "
                    + local(lastSprayAt) + ", " + reasonText(lastSprayReason) + ")" + periodNote(), cooldownUntil);
        }

        /** Names the program's period in a skip, so a keeper sees which threshold wanted the spray; "" outside. */
        private String periodNote() {
            return rules.periodAt(now).map(period -> "; threshold " + Checks.plain(period.lowHumidityPct())
                    + " % from " + period.from().format(HH_MM) + " to " + period.to().format(HH_MM)).orElse("");
        }

        private void fallbackSpray() {
            if (mode != Mode.SENSOR_DOWN) {
                return;
            }
            Instant due = lastSprayAt == null ? now
                    : lastSprayAt.plus(Duration.ofHours(rules.sensorDownSprayEveryH()));
            if (!now.isBefore(due)) {
                decisions.add(new OpenValve(rules.sprayDurationS(), SprayReason.SENSOR_DOWN, null));
            }
        }

        private void eveningRule() {
            LocalDate today = now.atZone(rules.timeZone()).toLocalDate();
            if (today.equals(lastEveningDate)) {
                return;
            }
            Instant evening = eveningOf(rules, today);
            if (now.isBefore(evening)) {
                return;
            }
            lastEveningDate = today;
            String at = rules.eveningTime().format(HH_MM);
            if (!now.isBefore(evening.plus(EVENING_CATCH_UP))) {
                skip(SprayTrigger.EVENING, "missed the " + at + " spray of " + today + ": the agent was not running"
                        + " then, and a spray " + Duration.between(evening, now).toMinutes() + " min late is not"
                        + " made up", null);
                return;
            }
            int quietMin = Math.max(rules.eveningSkipIfSprayedWithinMin(),
                    lastSprayAt == null ? rules.minIntervalMin() : rules.minIntervalMinAt(lastSprayAt));
            if (lastSprayAt != null && now.isBefore(lastSprayAt.plus(Duration.ofMinutes(quietMin)))) {
                skip(SprayTrigger.EVENING, "sprayed " + Duration.between(lastSprayAt, now).toMinutes()
                        + " min ago (" + reasonText(lastSprayReason) + "), within " + quietMin + " min", null);
                return;
            }
            decisions.add(new OpenValve(rules.sprayDurationS(), SprayReason.EVENING, null));
        }

        private void enterSensorDown() {
            sensorDownSince = now;
            goodReadingsWhileDown = 0;
            lowEpisode = false;
            belowAlarmSince = null;
            aboveAlarmSince = null;
            effectDeadline = null;
            changeMode(Mode.SENSOR_DOWN);
        }

        private void changeMode(Mode next) {
            mode = next;
            if (next == Mode.NORMAL) {
                sensorDownSince = null;
                goodReadingsWhileDown = 0;
            }
            lastSkipNote = null;
            record(new ModeChanged(agentId, DRAFT_SEQ, now, next));
        }

        // ------------------------------------------------------------------------------------------ alarms

        private void alarmsOnReading(double humidity) {
            if (humidity < rules.alarmLowPct()) {
                belowAlarmSince = belowAlarmSince == null ? now : belowAlarmSince;
            } else {
                belowAlarmSince = null;
                if (humidity >= rules.alarmLowPct() + HYSTERESIS_PCT) {
                    clear(AlarmKind.LOW);
                }
            }
            if (humidity > rules.alarmHighPct()) {
                aboveAlarmSince = aboveAlarmSince == null ? now : aboveAlarmSince;
            } else {
                aboveAlarmSince = null;
                if (humidity <= rules.alarmHighPct() - HYSTERESIS_PCT) {
                    clear(AlarmKind.HIGH);
                }
            }
            alarmTimers();
        }

        private void alarmTimers() {
            if (belowAlarmSince != null && !now.isBefore(belowAlarmSince.plus(LOW_ALARM_AFTER))) {
                raise(AlarmKind.LOW, humidityPct, "humidity below " + Checks.plain(rules.alarmLowPct()) + " % for "
                        + LOW_ALARM_AFTER.toMinutes() + " min");
            }
            if (aboveAlarmSince != null && !now.isBefore(aboveAlarmSince.plus(HIGH_ALARM_AFTER))) {
                raise(AlarmKind.HIGH, humidityPct, "humidity above " + Checks.plain(rules.alarmHighPct()) + " % for "
                        + HIGH_ALARM_AFTER.toMinutes() + " min");
            }
        }

        private void effectOnReading(double humidity) {
            if (effectDeadline != null && humidity >= effectBaselinePct + EFFECT_RISE_PCT) {
                effectDeadline = null;
                clear(AlarmKind.NO_EFFECT);
            }
        }

        private void raise(AlarmKind kind, Double humidity, String message) {
            if (activeAlarms.add(kind)) {
                record(new HumidityAlarm(agentId, DRAFT_SEQ, now, kind, humidity, message));
            }
        }

        private void clear(AlarmKind kind) {
            if (activeAlarms.remove(kind)) {
                record(new HumidityAlarmCleared(agentId, DRAFT_SEQ, now, kind));
            }
        }

        // ------------------------------------------------------------------------------------------ helpers

        private void recordReadings(double humidity, double temperature) {
            if (everyReading || publishedHumidityPct == null
                    || Math.abs(humidity - publishedHumidityPct) > HUMIDITY_DEADBAND_PCT
                    || !now.isBefore(publishedHumidityAt.plus(REPORT_AT_LEAST_EVERY))) {
                record(new HumidityChanged(agentId, DRAFT_SEQ, now, humidity));
                publishedHumidityPct = humidity;
                publishedHumidityAt = now;
            }
            if (publishedTemperatureC == null
                    || Math.abs(temperature - publishedTemperatureC) > TEMPERATURE_DEADBAND_C
                    || !now.isBefore(publishedTemperatureAt.plus(REPORT_AT_LEAST_EVERY))) {
                record(new TemperatureChanged(agentId, DRAFT_SEQ, now, temperature));
                publishedTemperatureC = temperature;
                publishedTemperatureAt = now;
            }
        }

        /** Records a skip once: the same trigger with the same reason is not repeated every reading. */
        private void skip(SprayTrigger trigger, String reason, Instant nextAllowedAt) {
            String note = trigger.wire() + "|" + reason;
            if (note.equals(lastSkipNote)) {
                return;
            }
            lastSkipNote = note;
            record(new SpraySkipped(agentId, DRAFT_SEQ, now, trigger, reason, nextAllowedAt));
        }

        private void record(Event event) {
            decisions.add(new Record(event));
        }

        private String local(Instant instant) {
            return instant.atZone(rules.timeZone()).format(HH_MM);
        }

        private static String reasonText(SprayReason reason) {
            return reason == null ? "unknown" : reason.wire().replace('_', ' ');
        }

        private static SprayTrigger triggerOf(SprayReason reason) {
            switch (reason) {
                case LOW_HUMIDITY:
                    return SprayTrigger.LOW_HUMIDITY;
                case SENSOR_DOWN:
                    return SprayTrigger.SENSOR_DOWN;
                case EVENING:
                    return SprayTrigger.EVENING;
                default:
                    throw new IllegalArgumentException("no automatic trigger for " + reason);
            }
        }

        private static double round2(double value) {
            return Math.round(value * 100) / 100.0;
        }
    }
}
