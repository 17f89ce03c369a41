package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two sensors, one agreed value: a pure function {@code (state, result of sensor 1, result of sensor 2, now) ->
 * (state, input for the spray policy, events)}, run by the shell once per read round, before {@link SprayPolicy}.
 *
 * <ul>
 *   <li>Both valid: the mean. One valid: that one. Both failed: a {@link Input.SensorFailure} naming both reasons, so
 *       sensor-down mode comes only when both fail.</li>
 *   <li>One sensor that failed {@code failedAfter} reads in a row (the rules' {@code sensorDownAfterFailures}) while
 *       the other reads raises {@link AlarmKind#SENSOR_FAILED}, whose message says which; it clears once both read
 *       validly again. When the other sensor is the one failing now, the alarm is cleared and raised again with the
 *       new message. Both failing is sensor-down mode, the policy's to report: that alone raises nothing here, and
 *       an alarm raised before stays as it is.</li>
 *   <li>Humidity readings more than {@code divergenceMarginPct} apart for {@code divergenceAfter} raise
 *       {@link AlarmKind#SENSOR_DIVERGENCE}; it clears once they stay a point within the margin as long. A round with a failed
 *       sensor neither starts nor stops the clock.</li>
 * </ul>
 *
 * With one sensor (no second result) the input is that sensor's, and nothing else happens: the policy behaves
 * exactly as it did before there were two.
 */
public final class SensorPair {

    static final double CLEAR_HYSTERESIS_PCT = 1.0;

    /** The alarm kinds this function raises and clears; the spray policy never sees them. */
    public static final Set<AlarmKind> KINDS = Collections.unmodifiableSet(
            EnumSet.of(AlarmKind.SENSOR_FAILED, AlarmKind.SENSOR_DIVERGENCE));

    private SensorPair() {
    }

    /** One sensor's outcome in a read round, calibrated, with the raw values kept. */
    public sealed interface Result {

        record Valid(double humidityPct, double temperatureC, double rawHumidityPct, double rawTemperatureC)
                implements Result {
        }

        record Failed(String reason) implements Result {
            public Failed {
                Checks.notNull("reason", reason);
            }
        }
    }

    /**
     * @param label1              sensor 1 for a person ("sensor 1 (0x44 on bus 1)")
     * @param label2              sensor 2 for a person
     * @param failedAfter         failed reads in a row that raise {@code sensor_failed}, >= 1
     * @param divergenceMarginPct readings further apart than this diverge, %RH
     * @param divergenceAfter     for this long before the alarm
     */
    public record Settings(String label1, String label2, int failedAfter, double divergenceMarginPct,
            Duration divergenceAfter) {
        public Settings {
            Checks.notNull("label1", label1);
            Checks.notNull("label2", label2);
            Checks.range("failedAfter", failedAfter, 1, 100);
            Checks.range("divergenceMarginPct", divergenceMarginPct, 0.5, 50);
            Checks.notNull("divergenceAfter", divergenceAfter);
        }

        String label(int sensor) {
            return sensor == 1 ? label1 : label2;
        }
    }

    /**
     * @param failures1        sensor 1's failed reads in a row
     * @param failures2        sensor 2's
     * @param failedAbout      the sensors the raised {@code sensor_failed} is about; empty while not raised, null when
     *                         raised before a restart (about unknown sensors)
     * @param divergingSince   since when the readings diverge, or null
     * @param divergenceRaised whether {@code sensor_divergence} is raised
     * @param agreeingSince    while it is raised: since when the readings agree again, or null
     */
    public record State(int failures1, int failures2, Set<Integer> failedAbout, Instant divergingSince,
            boolean divergenceRaised, Instant agreeingSince) {

        public static final State INITIAL = new State(0, 0, Set.of(), null, false, null);

        public State {
            failedAbout = failedAbout == null ? null : Set.copyOf(failedAbout);
        }

        /** After a restart: the alarms the store says are raised stay raised until their condition clears. */
        public static State recovered(Set<AlarmKind> active) {
            return new State(0, 0, active.contains(AlarmKind.SENSOR_FAILED) ? null : Set.of(), null,
                    active.contains(AlarmKind.SENSOR_DIVERGENCE), null);
        }

        public boolean failedRaised() {
            return failedAbout == null || !failedAbout.isEmpty();
        }

        /** The alarm kinds raised now. */
        public Set<AlarmKind> activeAlarms() {
            Set<AlarmKind> active = EnumSet.noneOf(AlarmKind.class);
            if (failedRaised()) {
                active.add(AlarmKind.SENSOR_FAILED);
            }
            if (divergenceRaised) {
                active.add(AlarmKind.SENSOR_DIVERGENCE);
            }
            return active;
        }
    }

    /** @param input for the spray policy: the agreed reading, or a failure when no sensor gave one */
    public record Outcome(State state, Input input, List<Event> events) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    /**
     * One read round.
     *
     * @param second null when there is no second sensor
     */
    public static Outcome apply(State state, Result first, Result second, Instant now, Settings settings,
            String agentId) {
        if (second == null) {
            return new Outcome(state, input(first), List.of());
        }
        int failures1 = first instanceof Result.Failed ? state.failures1() + 1 : 0;
        int failures2 = second instanceof Result.Failed ? state.failures2() + 1 : 0;
        Input agreed = agreed(first, second);
        Double humidity = agreed instanceof Input.Reading ? ((Input.Reading) agreed).humidityPct() : null;
        List<Event> events = new ArrayList<>();

        Set<Integer> failing = new TreeSet<>();
        if (failures1 >= settings.failedAfter()) {
            failing.add(1);
        }
        if (failures2 >= settings.failedAfter()) {
            failing.add(2);
        }
        Set<Integer> failedAbout = state.failedAbout();
        boolean bothValid = first instanceof Result.Valid && second instanceof Result.Valid;
        boolean oneFailing = failing.size() == 1;
        if (state.failedRaised() && (bothValid || (oneFailing && failedAbout != null
                && !failing.equals(failedAbout)))) {
            events.add(new HumidityAlarmCleared(agentId, SprayPolicy.DRAFT_SEQ, now, AlarmKind.SENSOR_FAILED));
            failedAbout = Set.of();
        }
        if (oneFailing && failedAbout == null) {
            // raised before a restart and failing still: the same alarm goes on, no clear-and-raise
            failedAbout = failing;
        }
        if (oneFailing && failedAbout.isEmpty()) {
            events.add(new HumidityAlarm(agentId, SprayPolicy.DRAFT_SEQ, now, AlarmKind.SENSOR_FAILED, humidity,
                    failedMessage(failing, first, second, settings)));
            failedAbout = failing;
        }

        Instant divergingSince = state.divergingSince();
        boolean divergenceRaised = state.divergenceRaised();
        Instant agreeingSince = state.agreeingSince();
        if (bothValid) {
            Result.Valid a = (Result.Valid) first;
            Result.Valid b = (Result.Valid) second;
            double gap = Math.abs(a.humidityPct() - b.humidityPct());
            if (gap > settings.divergenceMarginPct()) {
                agreeingSince = null;
                divergingSince = divergingSince == null ? now : divergingSince;
                if (!divergenceRaised && !now.isBefore(divergingSince.plus(settings.divergenceAfter()))) {
                    events.add(new HumidityAlarm(agentId, SprayPolicy.DRAFT_SEQ, now, AlarmKind.SENSOR_DIVERGENCE,
                            humidity, divergenceMessage(a, b, gap, Duration.between(divergingSince, now),
                                    settings)));
                    divergenceRaised = true;
                }
            } else {
                divergingSince = null;
                agreeingSince = divergenceRaised && gap <= clearBelow(settings)
                        ? agreeingSince == null ? now : agreeingSince
                        : null;
                if (agreeingSince != null && !now.isBefore(agreeingSince.plus(settings.divergenceAfter()))) {
                    events.add(new HumidityAlarmCleared(agentId, SprayPolicy.DRAFT_SEQ, now,
                            AlarmKind.SENSOR_DIVERGENCE));
                    divergenceRaised = false;
                    agreeingSince = null;
                }
            }
        }
        return new Outcome(new State(failures1, failures2, failedAbout, divergingSince, divergenceRaised,
                agreeingSince), agreed,
                events);
    }

    /**
     * A raised divergence alarm clears once the readings stay this far inside the margin ({@value
     * #CLEAR_HYSTERESIS_PCT} point, or half a narrow margin) for as long as it took to raise it, so two sensors
     * drifting apart at the margin, or meeting at a spray's peak where one saturates, do not raise and clear it with
     * every swing of the terrarium.
     */
    static double clearBelow(Settings settings) {
        return settings.divergenceMarginPct() - Math.min(CLEAR_HYSTERESIS_PCT, settings.divergenceMarginPct() / 2);
    }

    /**
     * A {@code humidity_changed} or {@code temperature_changed} of the spray policy with each sensor's values of the
     * round that caused it; any other event unchanged.
     *
     * @param second null when there is no second sensor
     */
    public static Event withSensorValues(Event event, Result first, Result second) {
        Result.Valid a = first instanceof Result.Valid ? (Result.Valid) first : null;
        Result.Valid b = second instanceof Result.Valid ? (Result.Valid) second : null;
        if (event instanceof HumidityChanged) {
            return ((HumidityChanged) event).withSensors(a == null ? null : round2(a.humidityPct()),
                    a == null ? null : round2(a.rawHumidityPct()), b == null ? null : round2(b.humidityPct()),
                    b == null ? null : round2(b.rawHumidityPct()));
        }
        if (event instanceof TemperatureChanged) {
            return ((TemperatureChanged) event).withSensors(a == null ? null : round2(a.temperatureC()),
                    a == null ? null : round2(a.rawTemperatureC()), b == null ? null : round2(b.temperatureC()),
                    b == null ? null : round2(b.rawTemperatureC()));
        }
        return event;
    }

    /** Two decimals, as the spray policy writes the agreed value: the sensor resolves 0.002 %RH, not 1e-14. */
    private static Double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Input input(Result result) {
        if (result instanceof Result.Valid) {
            Result.Valid valid = (Result.Valid) result;
            return new Input.Reading(valid.humidityPct(), valid.temperatureC());
        }
        return new Input.SensorFailure(((Result.Failed) result).reason());
    }

    private static Input agreed(Result first, Result second) {
        if (first instanceof Result.Valid && second instanceof Result.Valid) {
            Result.Valid a = (Result.Valid) first;
            Result.Valid b = (Result.Valid) second;
            return new Input.Reading((a.humidityPct() + b.humidityPct()) / 2,
                    (a.temperatureC() + b.temperatureC()) / 2);
        }
        if (first instanceof Result.Valid) {
            return input(first);
        }
        if (second instanceof Result.Valid) {
            return input(second);
        }
        return new Input.SensorFailure("both sensors failed: sensor 1: " + ((Result.Failed) first).reason()
                + "; sensor 2: " + ((Result.Failed) second).reason());
    }

    private static String failedMessage(Set<Integer> failing, Result first, Result second, Settings settings) {
        int bad = failing.iterator().next();
        Result failed = bad == 1 ? first : second;
        String text = settings.label(bad) + " failed " + settings.failedAfter() + " reads in a row ("
                + ((Result.Failed) failed).reason() + "); the rules use " + settings.label(3 - bad)
                + " alone until it reads again";
        return text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }

    private static String divergenceMessage(Result.Valid a, Result.Valid b, double gap, Duration lasted,
            Settings settings) {
        return String.format(Locale.ROOT, "%s reads %.1f %%, %s %.1f %%: %.1f points apart (more than %s) for"
                + " %d min; check both in a salt pack and calibrate the one that is off", settings.label1(),
                a.humidityPct(), settings.label2(), b.humidityPct(), gap, Checks.plain(settings.divergenceMarginPct()),
                lasted.toMinutes());
    }
}
