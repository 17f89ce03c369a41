package dev.spike.model.rules;

import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveOpened;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Replays one agent's recorded events through {@link SprayPolicy}: with the rules as recorded it makes the agent's
 * decisions again, with other rules it tells what those would have decided over the same readings. Pure: no I/O, no
 * clock; the same arguments give the same result.
 *
 * <h2>What is taken from the record, and how</h2>
 * <ul>
 *   <li>{@code humidity_changed}: a valid reading (the agent records every one, see
 *       {@link PolicyState#everyReading()}; an agent from before that recorded only those past the deadband, and a
 *       replay of its record misses the readings in between). The temperature is the last one recorded.</li>
 *   <li>{@code sensor_error}: a failed read, except those the rules raise themselves on a tick (they begin with
 *       {@link SprayPolicy#STALE_ERROR_PREFIX}): the replay raises those again.</li>
 *   <li>{@code config_applied}: the rules change there (with the rules as recorded only; proposed rules hold for the
 *       whole replay).</li>
 *   <li>{@code agent_started}: a restart, recovered from the replay's own record as the agent recovers from its
 *       store ({@link #memoryOf}). No tick runs between the last event before a restart and the restart.</li>
 *   <li>{@code valve_opened} for a manual spray: the keeper's command, asked again at the same time.</li>
 *   <li>Ticks, which the agent does not record: every {@link #TICK} from each start, as the agent's loop runs them
 *       (those that cannot decide anything are skipped, see {@link #advanceTo}).</li>
 *   <li>Clock steps, which the agent does not record either: read from the sensor's rhythm. Reads come every
 *       {@code readIntervalS} on the monotonic clock, so two sensor events further apart (or closer) than that by a
 *       second or more mean the wall clock stepped by the difference. The replay assumes the step came right after
 *       the first of them, before the next tick.</li>
 * </ul>
 *
 * <h2>Where a replay can differ from the agent</h2>
 * <ul>
 *   <li>The valve: it opens for every spray unless it is still open from the previous one. The agent's runaway guard
 *       (an hourly budget of open time, set in the agent's configuration, not in the rules) is not modelled.</li>
 *   <li>A clock step that does not come right after a read: a rule that falls due during it (an evening stepped
 *       over) is decided at most one read interval apart.</li>
 *   <li>On a Pi, the tick loop runs every second after the previous turn ended, so its ticks drift by the turns'
 *       run time against the replay's; a rule decided on a tick (evening, sensor-down spray, staleness, alarm
 *       timers) can be up to one tick (1 s) apart. The simulated and demo agents tick exactly.</li>
 *   <li>Readings are the recorded ones: what the humidity would have done after other sprays is unknown.</li>
 * </ul>
 */
public final class Replay {

    /** The agent's tick: how often the rules are asked about time (Agent.TICK). */
    public static final Duration TICK = Duration.ofSeconds(1);
    /** Sensor events this much off their rhythm mean the clock stepped. */
    static final Duration STEP_TOLERANCE = Duration.ofSeconds(1);
    /** How far back a restart looks for the last evening decision, as the agent does. */
    static final Duration EVENING_LOOKBACK = Duration.ofDays(2);

    /**
     * Where a replay begins when the record does not begin with a start: the rules in force then and what the agent
     * remembered, as if it started there.
     */
    public record Start(Instant at, Rules rules, PolicyState.Recovered memory, Instant ticksFrom) {
        /**
         * @param ticksFrom when the agent running at {@code at} started: its ticks came every {@link #TICK} from
         *                  then (clock steps since aside), so the replay's ticks keep their phase; null: from
         *                  {@code at}
         */
        public Start {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(memory, "memory");
        }

        /**
         * A start at {@code at} from the events recorded before it: the rules in force, the last spray, mode,
         * evening decisions and alarms, and the last {@code agent_started} for the phase of the ticks.
         */
        public static Start from(Instant at, Rules fallbackRules, List<Event> before) {
            Rules rules = fallbackRules;
            Instant started = null;
            for (Event event : before) {
                if (event instanceof ConfigApplied) {
                    rules = ((ConfigApplied) event).rules();
                } else if (event instanceof AgentStarted) {
                    started = event.at();
                }
            }
            return new Start(at, rules, memoryOf(before, rules, at), started);
        }

        /** The first of the agent's ticks after {@code at}. */
        Instant firstTick() {
            if (ticksFrom == null || ticksFrom.isAfter(at)) {
                return at.plus(TICK);
            }
            long tick = TICK.toNanos();
            long turns = Duration.between(ticksFrom, at).toNanos() / tick + 1;
            return ticksFrom.plusNanos(turns * tick);
        }
    }

    /**
     * What the replay decided.
     *
     * @param events what the policy recorded, less the readings it echoes ({@code humidity_changed},
     *               {@code temperature_changed}), plus a {@code valve_opened} for each spray, in order; seq is
     *               {@link SprayPolicy#DRAFT_SEQ}
     * @param rules  the rules in force at the end
     */
    public record Result(List<Event> events, Rules rules) {
        public Result {
            events = List.copyOf(events);
        }
    }

    private final String agentId;
    private final Rules proposed;
    private final List<Event> out = new ArrayList<>();
    private PolicyState state;
    private Rules recordedRules;
    private Instant nextTick;
    private Instant lastSensorAt;
    private Instant valveOpenUntil;
    private double temperatureC;

    private Replay(String agentId, Rules proposed) {
        this.agentId = agentId;
        this.proposed = proposed;
    }

    /**
     * Replays {@code recorded} (one agent's events in seq order).
     *
     * @param start    where to begin if {@code recorded} does not begin with {@code agent_started}; may be null then
     *                 only if the first event is one
     * @param proposed the rules to replay with, or null for the rules as recorded
     * @param end      ticks run up to this time after the last event; null to stop at the last event
     */
    public static Result run(String agentId, Start start, List<Event> recorded, Rules proposed, Instant end) {
        Replay replay = new Replay(agentId, proposed);
        if (start != null) {
            replay.recordedRules = start.rules();
            replay.begin(start.at(), start.memory());
            replay.nextTick = start.firstTick();
        }
        replay.replay(recorded);
        if (end != null && replay.state != null) {
            replay.advanceTo(end);
        }
        return new Result(replay.out, replay.state == null ? replay.recordedRules : replay.state.rules());
    }

    private void replay(List<Event> recorded) {
        for (int i = 0; i < recorded.size(); i++) {
            Event event = recorded.get(i);
            switch (event.type()) {
                case AGENT_STARTED:
                    Instant lastEventAt = i > 0 ? recorded.get(i - 1).at() : null;
                    Rules rules = recordedRules;
                    if (rules == null) {
                        throw new IllegalArgumentException("agent_started #" + event.seq() + " before any rules:"
                                + " give a Start or begin the record with config_applied");
                    }
                    PolicyState.Recovered memory = memoryOf(out, proposed == null ? rules : proposed, event.at());
                    begin(event.at(), new PolicyState.Recovered(memory.mode(), memory.sensorDownSince(),
                            memory.lastSprayAt(), memory.lastSprayReason(), memory.lastEveningDate(),
                            memory.activeAlarms(), lastEventAt));
                    break;
                case CONFIG_APPLIED:
                    recordedRules = ((ConfigApplied) event).rules();
                    if (state != null && proposed == null && !startsNext(recorded, i)) {
                        input(new Input.RulesChange(null, recordedRules), event.at());
                    }
                    break;
                case TEMPERATURE_CHANGED:
                    temperatureC = ((TemperatureChanged) event).temperatureC();
                    break;
                case HUMIDITY_CHANGED:
                    if (state != null) {
                        sensorInput(event.at());
                        input(new Input.Reading(((HumidityChanged) event).humidityPct(), temperatureC), event.at());
                    }
                    break;
                case SENSOR_ERROR:
                    String error = ((SensorError) event).error();
                    if (state != null && !error.startsWith(SprayPolicy.STALE_ERROR_PREFIX)) {
                        sensorInput(event.at());
                        input(new Input.SensorFailure(error), event.at());
                    }
                    break;
                case VALVE_OPENED:
                    ValveOpened opened = (ValveOpened) event;
                    if (state != null && opened.reason() == SprayReason.MANUAL) {
                        input(new Input.ManualSpray(opened.commandId(), opened.durationS()), event.at());
                    }
                    break;
                default:
                    break; // the agent's own decisions and reports: made again, not taken
            }
        }
    }

    /** The record's config_applied at a restart is the one recover() writes: the start takes it, not a change. */
    private static boolean startsNext(List<Event> recorded, int index) {
        return index + 1 < recorded.size() && recorded.get(index + 1) instanceof AgentStarted;
    }

    private void begin(Instant at, PolicyState.Recovered memory) {
        Rules rules = proposed == null ? recordedRules : proposed;
        state = PolicyState.recovered(agentId, rules, at, memory).recordingEveryReading();
        nextTick = at.plus(TICK);
        lastSensorAt = null;
        valveOpenUntil = null;
    }

    /** Notices a clock step in the sensor's rhythm and moves the ticks with it. */
    private void sensorInput(Instant at) {
        if (lastSensorAt != null) {
            Instant expected = lastSensorAt.plusSeconds(recordedRules.readIntervalS());
            Duration off = Duration.between(expected, at);
            if (off.abs().compareTo(STEP_TOLERANCE) >= 0) {
                // the agent's timers run on the monotonic clock: the next tick and the valve's closing move with it
                nextTick = nextTick.plus(off);
                valveOpenUntil = valveOpenUntil == null ? null : valveOpenUntil.plus(off);
            }
        }
        lastSensorAt = at;
    }

    /**
     * Runs the ticks up to {@code at}. Ticks before {@link SprayPolicy#nextTickDue} change nothing but the time the
     * policy last saw, so they are skipped, except the last one before {@code at}: it sets that time as the agent's
     * ticks did, and a clock step back is measured from it.
     */
    private void advanceTo(Instant at) {
        while (!nextTick.isAfter(at)) {
            Instant due = SprayPolicy.nextTickDue(state);
            if (due.isAfter(nextTick)) {
                long tick = TICK.toNanos();
                Instant lastTick = nextTick.plusNanos(Duration.between(nextTick, at).toNanos() / tick * tick);
                long toDue = Duration.between(nextTick, due).toNanos();
                Instant firstDue = nextTick.plusNanos((toDue + tick - 1) / tick * tick);
                nextTick = firstDue.isBefore(lastTick) ? firstDue : lastTick;
            }
            apply(new Input.Tick(), nextTick);
            nextTick = nextTick.plus(TICK);
        }
    }

    private void input(Input input, Instant at) {
        advanceTo(at);
        apply(input, at);
    }

    private void apply(Input input, Instant at) {
        SprayPolicy.Outcome outcome = SprayPolicy.apply(state, input, at);
        state = outcome.state();
        for (Decision decision : outcome.decisions()) {
            if (decision instanceof Decision.Record) {
                Event event = ((Decision.Record) decision).event();
                if (!(event instanceof HumidityChanged) && !(event instanceof TemperatureChanged)) {
                    out.add(event);
                }
            } else {
                open((Decision.OpenValve) decision, at);
            }
        }
    }

    private void open(Decision.OpenValve request, Instant at) {
        if (valveOpenUntil != null && at.isBefore(valveOpenUntil)) {
            apply(new Input.SprayRefused(request.reason(), request.commandId(), "valve already open", false), at);
            return;
        }
        valveOpenUntil = at.plusSeconds(request.durationS());
        out.add(new ValveOpened(agentId, SprayPolicy.DRAFT_SEQ, at, request.durationS(), request.reason(),
                request.commandId()));
        apply(new Input.SprayStarted(request.reason(), request.durationS(), request.commandId()), at);
    }

    /**
     * What a restart at {@code now} takes over from {@code record} (events in order), as the agent's recovery does
     * from its store: the mode, the last spray, the last evening decision within two days (dated in the rules' zone),
     * the alarms raised and not cleared, and the time of the last event.
     */
    public static PolicyState.Recovered memoryOf(List<Event> record, Rules rules, Instant now) {
        Mode mode = Mode.NORMAL;
        Instant downSince = null;
        ValveOpened lastSpray = null;
        LocalDate lastEvening = null;
        Set<AlarmKind> alarms = EnumSet.noneOf(AlarmKind.class);
        Instant eveningFrom = now.minus(EVENING_LOOKBACK);
        for (Event event : record) {
            if (event instanceof ModeChanged) {
                mode = ((ModeChanged) event).mode();
                downSince = event.at();
            } else if (event instanceof ValveOpened) {
                lastSpray = (ValveOpened) event;
            } else if (event instanceof HumidityAlarm) {
                alarms.add(((HumidityAlarm) event).kind());
            } else if (event instanceof HumidityAlarmCleared) {
                alarms.remove(((HumidityAlarmCleared) event).kind());
            }
            boolean evening = event instanceof ValveOpened && ((ValveOpened) event).reason() == SprayReason.EVENING
                    || event instanceof SpraySkipped && ((SpraySkipped) event).trigger() == SprayTrigger.EVENING;
            if (evening && !event.at().isBefore(eveningFrom)) {
                LocalDate date = event.at().atZone(rules.timeZone()).toLocalDate();
                lastEvening = lastEvening == null || date.isAfter(lastEvening) ? date : lastEvening;
            }
        }
        Instant lastEventAt = record.isEmpty() ? null : record.get(record.size() - 1).at();
        return new PolicyState.Recovered(mode, mode == Mode.SENSOR_DOWN ? downSince : null,
                lastSpray == null ? null : lastSpray.at(), lastSpray == null ? null : lastSpray.reason(),
                lastEvening, alarms, lastEventAt);
    }
}
