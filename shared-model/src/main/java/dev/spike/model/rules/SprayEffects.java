package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.SprayEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spray efficacy as a pure function: {@code (state, input, now) -> (new state, events)}. After every spray it watches
 * the readings: the rise is the highest reading after the spray minus the reading when the valve opened, the
 * half-life the time from that peak until the humidity is halfway back down. A {@code spray_effect} follows once the
 * humidity is halfway down, after {@link #WATCH} at the latest, or at the next spray.
 *
 * <p><b>Clogging</b>: a nozzle that scales up with minerals wets less and less. When the mean rise of the last
 * {@link #WEEK} is at most {@value #CLOGGING_RATIO} of the mean of the week before (each with at least
 * {@value #MIN_SPRAYS_PER_WEEK} sprays), a {@code clogging} alarm is raised; it clears once a week's mean is back to
 * {@value #CLEARED_RATIO} of the healthy week's it was compared with (a cleaned nozzle), not merely when two clogged
 * weeks look alike. Sprays that raised less than {@value #COUNTED_RISE_PCT} points are left out: they are
 * {@code no_effect}'s business (an empty tank or a dead pump stops sprays at once; clogging is slow).
 */
public final class SprayEffects {

    /** The longest a spray is watched; a peak or a decay later than this is not the spray's. */
    public static final Duration WATCH = Duration.ofMinutes(30);
    public static final Duration WEEK = Duration.ofDays(7);
    static final int MIN_SPRAYS_PER_WEEK = 3;
    static final double CLOGGING_RATIO = 0.5;
    static final double CLEARED_RATIO = 0.75;
    static final double COUNTED_RISE_PCT = 2.0;
    /** A rise smaller than this is noise: no half-life is measured for it. */
    static final double MIN_DECAY_RISE_PCT = 0.5;

    /** The rise of one spray, kept for the weekly comparison. */
    public record Rise(Instant at, double risePct) {
    }

    /** A spray being watched. */
    public record Watch(Instant sprayAt, double baselinePct, double peakPct, Instant peakAt) {
    }

    /**
     * @param watch    the spray being watched, or null
     * @param rises    the rises of the last two weeks, oldest first
     * @param clogging whether {@code clogging} is raised
     * @param healthyPct the mean rise of the healthy week a raised {@code clogging} was compared with, or null
     */
    public record State(String agentId, Watch watch, List<Rise> rises, boolean clogging, Double healthyPct) {
        public State {
            rises = List.copyOf(rises);
        }
    }

    /** What the watch reacts to. */
    public sealed interface Input {
        /** The valve opened; {@code baselinePct} is a fresh reading, or null without one (nothing to compare). */
        record SprayStarted(Double baselinePct) implements Input {
        }

        /** A valid reading. */
        record Reading(double humidityPct) implements Input {
        }

        /** Time passed: a watch whose window is over ends. */
        record Tick() implements Input {
        }
    }

    public record Outcome(State state, List<Event> events) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    private SprayEffects() {
    }

    /** The watch at start, from the {@code spray_effect} events of the last two weeks and the open alarm. */
    public static State start(String agentId, List<SprayEffect> recent, boolean clogging) {
        List<Rise> rises = new ArrayList<>();
        for (SprayEffect effect : recent) {
            rises.add(new Rise(effect.sprayAt(), effect.risePct()));
        }
        // after a restart the healthy week is unknown: a week as good as the one before clears it then
        return new State(agentId, null, rises, clogging, null);
    }

    public static Outcome apply(State state, Input input, Instant now) {
        List<Event> events = new ArrayList<>();
        State s = state;
        if (input instanceof Input.SprayStarted) {
            if (s.watch() != null) {
                s = finish(s, null, now, events);
            }
            Double baseline = ((Input.SprayStarted) input).baselinePct();
            if (baseline != null) {
                s = new State(s.agentId(), new Watch(now, baseline, baseline, now), s.rises(), s.clogging(),
                        s.healthyPct());
            }
        } else if (input instanceof Input.Reading) {
            Watch w = s.watch();
            double pct = ((Input.Reading) input).humidityPct();
            if (w == null) {
                return new Outcome(s, events);
            }
            if (pct > w.peakPct()) {
                s = new State(s.agentId(), new Watch(w.sprayAt(), w.baselinePct(), pct, now), s.rises(),
                        s.clogging(), s.healthyPct());
            } else {
                double rise = w.peakPct() - w.baselinePct();
                if (rise >= MIN_DECAY_RISE_PCT && pct <= w.baselinePct() + rise / 2) {
                    s = finish(s, (double) Duration.between(w.peakAt(), now).toSeconds(), now, events);
                }
            }
        } else if (input instanceof Input.Tick) {
            if (s.watch() != null && !now.isBefore(s.watch().sprayAt().plus(WATCH))) {
                s = finish(s, null, now, events);
            }
        } else {
            throw new IllegalArgumentException("unknown input " + input);
        }
        return new Outcome(s, events);
    }

    private static State finish(State s, Double halfLifeS, Instant now, List<Event> events) {
        Watch w = s.watch();
        double rise = Math.round((w.peakPct() - w.baselinePct()) * 100) / 100.0;
        long peakAfter = Math.min(SprayEffect.MAX_WATCH_S, Math.max(0, Duration.between(w.sprayAt(), w.peakAt())
                .toSeconds()));
        Double halfLife = halfLifeS == null ? null : Math.min(SprayEffect.MAX_WATCH_S, Math.max(0, halfLifeS));
        events.add(new SprayEffect(s.agentId(), SprayPolicy.DRAFT_SEQ, now, w.sprayAt(), w.baselinePct(), rise,
                (int) peakAfter, halfLife));
        List<Rise> rises = new ArrayList<>();
        for (Rise r : s.rises()) {
            if (r.at().isAfter(now.minus(WEEK.multipliedBy(2)))) {
                rises.add(r);
            }
        }
        rises.add(new Rise(w.sprayAt(), rise));
        return clogging(new State(s.agentId(), null, rises, s.clogging(), s.healthyPct()), now, events);
    }

    /** Compares the last week's mean rise with the week before's and raises or clears {@code clogging}. */
    private static State clogging(State s, Instant now, List<Event> events) {
        Instant weekAgo = now.minus(WEEK);
        Instant twoWeeksAgo = weekAgo.minus(WEEK);
        double lastSum = 0;
        int last = 0;
        double beforeSum = 0;
        int before = 0;
        for (Rise r : s.rises()) {
            if (r.risePct() < COUNTED_RISE_PCT) {
                continue;
            }
            if (r.at().isAfter(weekAgo)) {
                lastSum += r.risePct();
                last++;
            } else if (r.at().isAfter(twoWeeksAgo)) {
                beforeSum += r.risePct();
                before++;
            }
        }
        if (last < MIN_SPRAYS_PER_WEEK || before < MIN_SPRAYS_PER_WEEK) {
            return s;
        }
        double lastMean = lastSum / last;
        double beforeMean = beforeSum / before;
        double ratio = lastMean / beforeMean;
        if (!s.clogging() && ratio <= CLOGGING_RATIO) {
            events.add(new HumidityAlarm(s.agentId(), SprayPolicy.DRAFT_SEQ, now, AlarmKind.CLOGGING, null,
                    String.format(Locale.ROOT, "sprays raised humidity by %.1f points on average in the last 7 days,"
                            + " %.1f the 7 days before: is the nozzle clogging with minerals? Clean or descale it",
                            lastMean, beforeMean)));
            return new State(s.agentId(), s.watch(), s.rises(), true, beforeMean);
        }
        double healthy = s.healthyPct() != null ? s.healthyPct() : beforeMean;
        if (s.clogging() && lastMean >= CLEARED_RATIO * healthy) {
            events.add(new HumidityAlarmCleared(s.agentId(), SprayPolicy.DRAFT_SEQ, now, AlarmKind.CLOGGING));
            return new State(s.agentId(), s.watch(), s.rises(), false, null);
        }
        return s;
    }
}
