package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.CommandKind;
import dev.spike.model.WaterChange;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.WaterLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The water budget as a pure function: {@code (state, input, now) -> (new state, events)}. Spike has no level sensor:
 * it starts from a full tank (or what the keeper says he filled in) and takes off what every spray used, the valve's
 * open time times its flow.
 *
 * <ul>
 *   <li><b>Days left</b>: the level divided by the use per day over the last {@link #USE_WINDOW} (counted over at
 *       least one day, and over less than a week while the budget is younger than that); unknown with no use.</li>
 *   <li><b>Low water</b>: a {@code low_water} alarm once the level falls below {@code lowAlarmPct} of the capacity,
 *       cleared by a refill above it.</li>
 *   <li><b>Empty</b>: a spray with no effect ({@code no_effect}) is taken as an empty tank: the estimate drops to
 *       zero and {@code low_water} is raised. A dead pump or blocked nozzle looks the same; the keeper who refills
 *       a full tank finds out which.</li>
 * </ul>
 */
public final class WaterBudget {

    /** The recent use that days-left goes by. */
    public static final Duration USE_WINDOW = Duration.ofDays(7);
    static final Duration MIN_SPAN = Duration.ofDays(1);

    /**
     * The tank as configured.
     *
     * @param capacityL   the tank's capacity, in litres ({@code tank.capacityL})
     * @param flowMlPerS  what the open valve lets through, in millilitres per second ({@code valve.flowMlPerS})
     * @param lowAlarmPct raise {@code low_water} below this share of the capacity ({@code tank.lowAlarmPct})
     */
    public record Settings(double capacityL, double flowMlPerS, double lowAlarmPct) {
        public Settings {
            Checks.range("tank.capacityL", capacityL, 0.1, WaterChange.MAX_LITRES);
            Checks.range("valve.flowMlPerS", flowMlPerS, 0.01, 10_000);
            Checks.range("tank.lowAlarmPct", lowAlarmPct, 0, 100);
        }
    }

    /** Water one spray used. */
    public record Use(Instant at, double litres) {
    }

    /**
     * @param levelL   the estimated water left
     * @param uses     the sprays of the last {@link #USE_WINDOW}, oldest first
     * @param since    when the budget started counting (its first {@code water_level}), for days-left's span
     * @param lowAlarm whether {@code low_water} is raised
     */
    public record State(String agentId, Settings settings, double levelL, List<Use> uses, Instant since,
            boolean lowAlarm) {
        public State {
            uses = List.copyOf(uses);
        }

        /** The days the water lasts at the recent use, or null while there is none. */
        public Double daysLeft(Instant now) {
            double used = 0;
            for (Use use : uses) {
                if (use.at().isAfter(now.minus(USE_WINDOW))) {
                    used += use.litres();
                }
            }
            if (used <= 0) {
                return null;
            }
            Duration span = Duration.between(since, now);
            span = span.compareTo(MIN_SPAN) < 0 ? MIN_SPAN : span.compareTo(USE_WINDOW) > 0 ? USE_WINDOW : span;
            double perDay = used / (span.toMillis() / 86_400_000.0);
            return Math.min(WaterLevel.MAX_DAYS_LEFT, round(levelL / perDay, 10));
        }
    }

    /** What the budget reacts to. */
    public sealed interface Input {
        /** The valve closed after {@code openMs}: a spray used water. */
        record SprayEnded(long openMs) implements Input {
        }

        /** The keeper refilled the tank ({@code cmd/refill}): to {@code levelL}, or to the capacity if null. */
        record Refilled(String commandId, Double levelL) implements Input {
        }

        /** A {@code no_effect} alarm was raised: the tank is taken to be empty. */
        record NoEffect() implements Input {
        }
    }

    /** The new state and the events to record, in order. */
    public record Outcome(State state, List<Event> events) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    private WaterBudget() {
    }

    /**
     * The budget at start, from what the event store remembers: the latest {@code water_level} (null if none) and
     * the {@code water_level} events of the last {@link #USE_WINDOW}. A tank never seen before, or one whose
     * capacity changed in the config, starts full with a {@code configured} event.
     */
    public static Outcome start(String agentId, Settings settings, WaterLevel last, List<WaterLevel> recent,
            boolean lowAlarmActive, Instant now) {
        List<Use> uses = new ArrayList<>();
        for (WaterLevel event : recent) {
            if (event.cause() == WaterChange.SPRAY && event.usedL() != null) {
                uses.add(new Use(event.at(), event.usedL()));
            }
        }
        Instant since = recent.isEmpty() ? now : recent.get(0).at();
        if (last != null && last.capacityL() == settings.capacityL()) {
            State state = new State(agentId, settings, last.levelL(), uses, since,
                    lowAlarmActive);
            return new Outcome(state, List.of());
        }
        List<Event> events = new ArrayList<>();
        State full = new State(agentId, settings, settings.capacityL(), uses, now, lowAlarmActive);
        events.add(level(full, WaterChange.CONFIGURED, null, now));
        return new Outcome(alarm(full, events, null, now), events);
    }

    public static Outcome apply(State state, Input input, Instant now) {
        List<Event> events = new ArrayList<>();
        State next;
        if (input instanceof Input.SprayEnded) {
            long openMs = ((Input.SprayEnded) input).openMs();
            double usedL = round(openMs / 1000.0 * state.settings().flowMlPerS() / 1000.0, 1000);
            List<Use> uses = new ArrayList<>();
            for (Use use : state.uses()) {
                if (use.at().isAfter(now.minus(USE_WINDOW))) {
                    uses.add(use);
                }
            }
            uses.add(new Use(now, usedL));
            next = new State(state.agentId(), state.settings(), round(Math.max(0, state.levelL() - usedL), 1000),
                    uses, state.since(), state.lowAlarm());
            events.add(level(next, WaterChange.SPRAY, usedL, now));
            next = alarm(next, events, null, now);
        } else if (input instanceof Input.Refilled) {
            Input.Refilled refilled = (Input.Refilled) input;
            double capacity = state.settings().capacityL();
            if (refilled.levelL() != null && refilled.levelL() > capacity) {
                events.add(new CommandResult(state.agentId(), SprayPolicy.DRAFT_SEQ, now, refilled.commandId(),
                        CommandKind.REFILL, false, "levelL must be at most the tank's capacity ("
                        + Checks.plain(capacity) + " L, tank.capacityL), was " + Checks.plain(refilled.levelL())));
                return new Outcome(state, events);
            }
            next = new State(state.agentId(), state.settings(),
                    refilled.levelL() == null ? capacity : refilled.levelL(), state.uses(), state.since(),
                    state.lowAlarm());
            if (refilled.commandId() != null) {
                events.add(new CommandResult(state.agentId(), SprayPolicy.DRAFT_SEQ, now, refilled.commandId(),
                        CommandKind.REFILL, true, null));
            }
            events.add(level(next, WaterChange.REFILLED, null, now));
            next = alarm(next, events, null, now);
        } else if (input instanceof Input.NoEffect) {
            if (state.levelL() == 0 && state.lowAlarm()) {
                return new Outcome(state, events);
            }
            next = new State(state.agentId(), state.settings(), 0, state.uses(), state.since(), state.lowAlarm());
            events.add(level(next, WaterChange.EMPTY, null, now));
            next = alarm(next, events, "water tank taken as empty: a spray had no effect (estimate was "
                    + litres(state.levelL()) + "); refill it, or check the pump and nozzle if it is not empty", now);
        } else {
            throw new IllegalArgumentException("unknown input " + input);
        }
        return new Outcome(next, events);
    }

    /** Raises or clears {@code low_water} for the state's level; {@code emptyMessage} forces a raise. */
    private static State alarm(State s, List<Event> events, String emptyMessage, Instant now) {
        double pct = 100 * s.levelL() / s.settings().capacityL();
        boolean low = emptyMessage != null || pct < s.settings().lowAlarmPct();
        if (low && !s.lowAlarm()) {
            Double days = s.daysLeft(now);
            String message = emptyMessage != null ? emptyMessage
                    : String.format(Locale.ROOT, "water tank low: about %s left (%.0f %%)%s; refill it soon",
                            litres(s.levelL()), pct, days == null ? ""
                                    : String.format(Locale.ROOT, ", %.1f days at the recent use", days));
            events.add(new HumidityAlarm(s.agentId(), SprayPolicy.DRAFT_SEQ, now, AlarmKind.LOW_WATER, null,
                    message));
            return new State(s.agentId(), s.settings(), s.levelL(), s.uses(), s.since(), true);
        }
        if (!low && s.lowAlarm() && s.levelL() > 0) {
            events.add(new HumidityAlarmCleared(s.agentId(), SprayPolicy.DRAFT_SEQ, now, AlarmKind.LOW_WATER));
            return new State(s.agentId(), s.settings(), s.levelL(), s.uses(), s.since(), false);
        }
        return s;
    }

    private static WaterLevel level(State s, WaterChange cause, Double usedL, Instant now) {
        return new WaterLevel(s.agentId(), SprayPolicy.DRAFT_SEQ, now, s.levelL(), s.settings().capacityL(), cause,
                usedL, s.daysLeft(now));
    }

    static String litres(double litres) {
        return String.format(Locale.ROOT, "%.2f L", litres);
    }

    private static double round(double value, double per) {
        return Math.round(value * per) / per;
    }

    /** For the shell: refuses a refill when no tank is configured. */
    public static String notConfigured() {
        return "no water tank configured: set tank.capacityL and valve.flowMlPerS in the agent's config";
    }
}
