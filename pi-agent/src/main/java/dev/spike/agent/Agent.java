package dev.spike.agent;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.SensorResult;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.Scheduler;
import dev.spike.agent.valve.Valve;
import dev.spike.agent.valve.ValveOutput;
import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.Calibration;
import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.rules.Decision;
import dev.spike.model.rules.Input;
import dev.spike.model.rules.PolicyState;
import dev.spike.model.rules.SensorPair;
import dev.spike.model.rules.SprayEffects;
import dev.spike.model.rules.SprayPolicy;
import dev.spike.model.rules.WaterBudget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's shell around the pure {@link SprayPolicy}: it feeds the policy sensor results, ticks and commands,
 * carries out its decisions on the fail-safe {@link Valve}, and records every event in the store.
 *
 * <p>Each sensor's raw reading is calibrated here, and with a second sensor both are read in one round and
 * {@link SensorPair} turns the round into the one input the policy sees (the mean, the valid one, or a failure when
 * both failed) and its own alarms; the policy's reading events get each sensor's values attached. With one sensor the
 * policy sees exactly what it always did.
 *
 * <p>Every method that touches state runs on the {@link Scheduler}'s thread; other threads hand work over with
 * {@link #submit}. Nothing here waits for the network: listeners get events after they are stored.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final Logger EVENTS = LoggerFactory.getLogger("event");

    /** How often the policy is asked about time-driven rules (evening, fallback, staleness, alarm timers). */
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration COMPACT_EVERY = Duration.ofDays(1);
    /** Raised and cleared outside the spray policy. */
    private static final Set<AlarmKind> WATER_AND_EFFECT_ALARMS = EnumSet.of(AlarmKind.LOW_WATER, AlarmKind.CLOGGING);
    /** A gap between inputs this long, with a tick every second, is worth a log line. */
    private static final Duration CLOCK_STEP = Duration.ofMinutes(1);

    private final AgentConfig config;
    private final Scheduler scheduler;
    private final Sht30 sensor;
    /** The second SHT30, or null. */
    private final Sht30 sensor2;
    /** Index 1 and 2: each sensor's calibration in force. */
    private final Calibration[] calibrations = new Calibration[3];
    private final boolean[] calibrationRecovered = new boolean[3];
    private SensorPair.State pair = SensorPair.State.INITIAL;
    /** The round being read: index 0 sensor 1, 1 sensor 2; a result of an older round is dropped. */
    private final SensorResult[] round = new SensorResult[2];
    private long roundNumber;
    /** The round whose agreed input the policy is taking, so its reading events get each sensor's values. */
    private SensorPair.Result[] applyingRound;
    private final Valve valve;
    private final ResilientEventStore store;
    private final String version;
    private final Codec codec = new Codec();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Events of the input being applied; stored together, after the valve got its command. */
    private final List<Event> pending = new ArrayList<>();
    /** Nesting of {@link #apply}: a valve outcome is fed back as an input while the first one is applied. */
    private int applying;
    private PolicyState state;
    /** The water budget, or null without a tank configured. */
    private WaterBudget.State water;
    /** The efficacy watch over every spray. */
    private SprayEffects.State effects;
    /** Set once on stop; every loop ends at its next turn and no input is applied any more. */
    private boolean stopped;
    /**
     * Whether the sensor's start-up (soft reset, heater off) has worked once. Until then every read starts it again:
     * a bus that opens late (see ReopeningI2cTransport) gets its heater turned off like one that was there at boot.
     */
    private boolean sensorStarted;
    private boolean sensor2Started;

    /**
     * Builds the agent; the valve is closed before this constructor returns.
     *
     * @param output the relay; the valve closes it first thing
     */
    public Agent(AgentConfig config, Scheduler scheduler, Sht30 sensor, ValveOutput output,
            ResilientEventStore store, String version) {
        this(config, scheduler, sensor, null, output, store, version);
    }

    /**
     * Builds the agent with a second sensor; the valve is closed before this constructor returns.
     *
     * @param sensor2 the second SHT30, or null for one sensor
     */
    public Agent(AgentConfig config, Scheduler scheduler, Sht30 sensor, Sht30 sensor2, ValveOutput output,
            ResilientEventStore store, String version) {
        this.config = config;
        this.scheduler = scheduler;
        this.sensor = sensor;
        this.sensor2 = sensor2;
        calibrations[1] = config.sensors().calibration(1);
        calibrations[2] = config.sensors().calibration(2);
        this.store = store;
        this.version = version;
        this.valve = new Valve(output, scheduler, new ValveEvents(), config.rules().maxSprayS(),
                config.runawayBudgetS());
    }

    /** Events are passed on after they are stored, on the agent thread; a listener must not block. */
    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Starts control on the agent thread: recover, announce, then read and tick. */
    public void start() {
        scheduler.execute(this::startOnAgentThread);
    }

    /** Hands an input to the agent thread, e.g. a manual spray from a command. */
    public void submit(Input input) {
        scheduler.execute(() -> {
            if (!stopped) {
                apply(input);
            }
        });
    }

    /** Runs on the agent thread; for the MQTT link and tests. */
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    private void startOnAgentThread() {
        Instant now = scheduler.now();
        // every humidity reading is recorded, so a replay of the store sees all the rules saw (issue 16)
        state = recover(now).recordingEveryReading();
        valve.setMaxSprayS(state.rules().maxSprayS());
        record(new AgentStarted(config.agentId(), SprayPolicy.DRAFT_SEQ, now, version));
        LOG.info("agent {} {} started: rules {}, mode {}, last spray {}", config.agentId(), version,
                describe(state.rules()), state.mode().wire(),
                state.lastSprayAt() == null ? "none" : state.lastSprayAt() + " (" + state.lastSprayReason().wire()
                        + ")");
        if (sensor2 == null) {
            sensor.start(this::onSensor);
        } else {
            readRound();
        }
        // the read interval is looked up each turn, so a cmd/config that changes it applies at the next read
        every(() -> Duration.ofSeconds(state.rules().readIntervalS()), this::read);
        every(() -> TICK, () -> {
            apply(new Input.Tick());
            effects(new SprayEffects.Input.Tick());
            flush();
        });
        every(() -> COMPACT_EVERY, this::compact);
    }

    /** Runs {@code task} every {@code period} until the agent stops; a failing turn is logged, the next one runs. */
    private void every(Supplier<Duration> period, Runnable task) {
        scheduler.repeat(period.get(), period, () -> stopped, task,
                e -> LOG.error("agent task failed, control goes on: {}", e.toString(), e));
    }

    private void read() {
        if (sensor2 != null) {
            readRound();
        } else if (sensorStarted) {
            sensor.measure(this::onSensor);
        } else {
            sensor.start(this::onSensor);
        }
    }

    private void onSensor(SensorResult result) {
        if (stopped) {
            return;
        }
        if (result instanceof SensorResult.Reading) {
            sensorStarted = true;
            SensorResult.Reading reading = (SensorResult.Reading) result;
            LOG.debug("reading {} %RH {} °C", reading.humidityPct(), reading.temperatureC());
        }
        SensorPair.Result first = calibrated(1, result);
        if (calibrations[1].isNone()) {
            apply(SensorPair.apply(pair, first, null, scheduler.now(), pairSettings(), config.agentId()).input());
        } else {
            applyRound(SensorPair.apply(pair, first, null, scheduler.now(), pairSettings(), config.agentId()),
                    first, null);
        }
    }

    /** Reads both sensors; the round is taken once both answered (each answers exactly once). */
    private void readRound() {
        long number = ++roundNumber;
        round[0] = null;
        round[1] = null;
        Consumer<SensorResult> first = result -> onRoundResult(number, 0, result);
        Consumer<SensorResult> second = result -> onRoundResult(number, 1, result);
        if (sensorStarted) {
            sensor.measure(first);
        } else {
            sensor.start(first);
        }
        if (sensor2Started) {
            sensor2.measure(second);
        } else {
            sensor2.start(second);
        }
    }

    private void onRoundResult(long number, int index, SensorResult result) {
        if (stopped || number != roundNumber) {
            return;
        }
        if (result instanceof SensorResult.Reading) {
            if (index == 0) {
                sensorStarted = true;
            } else {
                sensor2Started = true;
            }
        } else {
            LOG.info("sensor {}: {}", index + 1, ((SensorResult.Failure) result).reason());
        }
        round[index] = result;
        if (round[0] == null || round[1] == null) {
            return;
        }
        SensorPair.Result first = calibrated(1, round[0]);
        SensorPair.Result second = calibrated(2, round[1]);
        applyRound(SensorPair.apply(pair, first, second, scheduler.now(), pairSettings(), config.agentId()), first,
                second);
    }

    /** The pair's alarms are recorded with the policy's events of the same input, in one transaction. */
    private void applyRound(SensorPair.Outcome outcome, SensorPair.Result first, SensorPair.Result second) {
        pair = outcome.state();
        applying++;
        try {
            pending.addAll(outcome.events());
            applyingRound = new SensorPair.Result[] {first, second};
            apply(outcome.input());
        } finally {
            applyingRound = null;
            applying--;
            if (applying == 0) {
                flush();
            }
        }
    }

    private SensorPair.Result calibrated(int sensorNumber, SensorResult result) {
        if (result instanceof SensorResult.Failure) {
            return new SensorPair.Result.Failed(((SensorResult.Failure) result).reason());
        }
        SensorResult.Reading reading = (SensorResult.Reading) result;
        Calibration calibration = calibrations[sensorNumber];
        return new SensorPair.Result.Valid(calibration.humidityPct(reading.humidityPct()),
                calibration.temperatureC(reading.temperatureC()), reading.humidityPct(), reading.temperatureC());
    }

    private SensorPair.Settings pairSettings() {
        return new SensorPair.Settings(sensorLabel(1), sensorLabel(2), state.rules().sensorDownAfterFailures(),
                config.sensors().divergenceMarginPct(), config.sensors().divergenceAfter());
    }

    /** "sensor 2 (0x45 on bus 1)", for alarm messages. */
    private String sensorLabel(int sensorNumber) {
        int bus = sensorNumber == 1 ? config.i2cBus() : config.sensors().hasSecond() ? config.sensors().sensor2Bus()
                : config.i2cBus();
        int address = sensorNumber == 1 ? config.sensorAddress() : config.sensors().hasSecond()
                ? config.sensors().sensor2Address() : 0x45;
        return "sensor " + sensorNumber + " (0x" + Integer.toHexString(address) + " on bus " + bus + ")";
    }

    /**
     * Carries out a {@code cmd/calibration}: answers it, and when accepted records {@code calibration_applied} and
     * uses the new calibration from the next reading on. Call on the agent thread.
     */
    public void calibrate(CalibrationCommand command) {
        if (stopped) {
            return;
        }
        int number = command.sensorNumber();
        if (number == 2 && sensor2 == null) {
            recordCommandResult(command.id(), CommandKind.CALIBRATION, false, "this agent has one sensor; a second"
                    + " one needs sensor2.address in its config");
            return;
        }
        Calibration next;
        try {
            next = command.reset() ? config.sensors().calibration(number) : command.applyTo(calibrations[number]);
        } catch (InvalidFieldException e) {
            recordCommandResult(command.id(), CommandKind.CALIBRATION, false, e.getMessage());
            return;
        }
        LOG.info("command {}: sensor {} calibrated: {} (was {})", command.id(), number, next.describe(),
                calibrations[number].describe());
        calibrations[number] = next;
        applying++;
        try {
            recordCommandResult(command.id(), CommandKind.CALIBRATION, true, null);
            record(new CalibrationApplied(config.agentId(), SprayPolicy.DRAFT_SEQ, scheduler.now(), number, next,
                    command.id(), command.reset()));
        } finally {
            applying--;
            flush();
        }
    }

    /** Sensor 1's or 2's calibration in force. Call on the agent thread. */
    public Calibration calibration(int sensorNumber) {
        return calibrations[sensorNumber];
    }

    /** Whether a second sensor is read. */
    public boolean hasSecondSensor() {
        return sensor2 != null;
    }

    /**
     * Applies one input. The valve is commanded as soon as the policy decides, and the input's events are stored
     * afterwards in one transaction, in decision order: the relay never waits for the disk.
     */
    private void apply(Input input) {
        applying++;
        try {
            Instant now = scheduler.now();
            if (now.isBefore(state.seenAt())) {
                LOG.warn("the clock stepped back by {} (to {}); cooldowns, alarm timers and the evening spray keep"
                        + " what they had left", Duration.between(now, state.seenAt()), now);
            } else if (Duration.between(state.seenAt(), now).compareTo(CLOCK_STEP) > 0) {
                LOG.warn("the clock moved {} in one step (to {}): a clock correction, or the agent was suspended",
                        Duration.between(state.seenAt(), now), now);
            }
            SprayPolicy.Outcome outcome = SprayPolicy.apply(state, input, now);
            if (outcome.state().rules() != state.rules()) {
                valve.setMaxSprayS(outcome.state().rules().maxSprayS());
            }
            state = outcome.state();
            for (Decision decision : outcome.decisions()) {
                if (decision instanceof Decision.Record) {
                    Event event = ((Decision.Record) decision).event();
                    pending.add(applyingRound == null ? event
                            : SensorPair.withSensorValues(event, applyingRound[0], applyingRound[1]));
                } else {
                    open((Decision.OpenValve) decision);
                }
            }
        } finally {
            applying--;
            if (applying == 0) {
                flush();
            }
        }
    }

    private void open(Decision.OpenValve request) {
        Valve.Outcome outcome = valve.open(Duration.ofSeconds(request.durationS()));
        if (outcome instanceof Valve.Outcome.Opened) {
            pending.add(new ValveOpened(config.agentId(), SprayPolicy.DRAFT_SEQ, scheduler.now(), request.durationS(),
                    request.reason(), request.commandId()));
            apply(new Input.SprayStarted(request.reason(), request.durationS(), request.commandId()));
            return;
        }
        String why = outcome instanceof Valve.Outcome.Refused ? ((Valve.Outcome.Refused) outcome).reason()
                : "valve failed: " + ((Valve.Outcome.Failed) outcome).reason();
        apply(new Input.SprayRefused(request.reason(), request.commandId(), why, why.startsWith("runaway")));
    }

    private void record(Event draft) {
        pending.add(draft);
        if (applying == 0) {
            flush();
        }
    }

    /** Stores the pending events (the store assigns their seq), logs them and passes them on. */
    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        observe();
        List<Event> stored = store.appendAll(List.copyOf(pending));
        pending.clear();
        for (Event event : stored) {
            if (EVENTS.isInfoEnabled()) {
                EVENTS.info("#{} {}", event.seq(), new String(codec.encode(event), StandardCharsets.UTF_8));
            }
            for (Consumer<Event> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.error("event listener failed on #{}: {}", event.seq(), e.toString(), e);
                }
            }
        }
    }

    /**
     * Feeds the pending events to the water budget and the efficacy watch; what they record joins the pending
     * events. They read the policy's events rather than its inputs, so they need nothing from inside the policy.
     */
    private void observe() {
        for (int i = 0; i < pending.size(); i++) {
            Event event = pending.get(i);
            if (event instanceof ValveOpened) {
                effects(new SprayEffects.Input.SprayStarted(freshHumidity()));
            } else if (event instanceof HumidityChanged) {
                effects(new SprayEffects.Input.Reading(((HumidityChanged) event).humidityPct()));
            } else if (event instanceof ValveClosed) {
                water(new WaterBudget.Input.SprayEnded(((ValveClosed) event).openMs()));
            } else if (event instanceof HumidityAlarm && ((HumidityAlarm) event).kind() == AlarmKind.NO_EFFECT) {
                water(new WaterBudget.Input.NoEffect());
            }
        }
    }

    /** The latest reading if it is fresh enough to compare a spray's effect with, else null. */
    private Double freshHumidity() {
        Instant now = scheduler.now();
        boolean fresh = state != null && state.readingAt() != null && state.mode() == Mode.NORMAL
                && now.isBefore(state.readingAt().plusSeconds(3L * state.rules().readIntervalS()));
        return fresh ? state.humidityPct() : null;
    }

    private void effects(SprayEffects.Input input) {
        SprayEffects.Outcome outcome = SprayEffects.apply(effects, input, scheduler.now());
        effects = outcome.state();
        // stored by the flush under way, or by the caller's
        pending.addAll(outcome.events());
    }

    private void water(WaterBudget.Input input) {
        if (water == null) {
            return;
        }
        WaterBudget.Outcome outcome = WaterBudget.apply(water, input, scheduler.now());
        water = outcome.state();
        pending.addAll(outcome.events());
    }

    /**
     * The keeper refilled the tank ({@code cmd/refill}); answered with a {@code command_result}. Call on the agent
     * thread.
     *
     * @param levelL the litres in the tank now, or null for full
     * @return whether the refill was taken (a tank is configured and the level fits it)
     */
    public boolean refill(String commandId, Double levelL) {
        if (stopped) {
            return false;
        }
        if (water == null) {
            recordCommandResult(commandId, CommandKind.REFILL, false, WaterBudget.notConfigured());
            return false;
        }
        double before = water.levelL();
        water(new WaterBudget.Input.Refilled(commandId, levelL));
        flush();
        LOG.info("tank refilled: {} L (estimate was {} L)", water.levelL(), before);
        return levelL == null || levelL <= water.settings().capacityL();
    }

    /** Whether a water tank is configured; any thread (the config does not change). */
    public boolean hasTank() {
        return config.tank() != null;
    }

    /** The water budget, or null without a tank. Call on the agent thread. */
    public WaterBudget.State water() {
        return water;
    }

    private void compact() {
        Instant cutoff = scheduler.now().minus(Duration.ofDays(config.retentionDays()));
        int removed = store.compactReadings(cutoff);
        if (removed > 0) {
            LOG.info("compacted {} readings older than {}", removed, cutoff);
        }
    }

    /**
     * Records the answer to a command that the policy never sees: a broken payload, a {@code sim/set}, a history
     * request. Call on the agent thread; does nothing once the agent stopped.
     *
     * @param reason why it was rejected, for a person; null when accepted
     */
    public void recordCommandResult(String commandId, CommandKind command, boolean accepted, String reason) {
        if (stopped) {
            return;
        }
        record(new CommandResult(config.agentId(), SprayPolicy.DRAFT_SEQ, scheduler.now(), commandId, command,
                accepted, reason));
    }

    /** Whether the agent started and has not stopped: only then are inputs applied. Call on the agent thread. */
    public boolean isRunning() {
        return state != null && !stopped;
    }

    /** The state as published on {@code state}. Call on the agent thread. */
    public AgentState snapshot() {
        Instant now = scheduler.now();
        Optional<SprayPolicy.Planned> next = SprayPolicy.nextPlanned(state, now);
        Instant cooldown = state.cooldownUntil();
        return new AgentState(now, store.lastSeq(), state.humidityPct(), state.temperatureC(), state.readingAt(),
                valve.isOpen(), valve.closesAt().orElse(null), state.mode(), state.lastSprayAt(),
                state.lastSprayReason(), cooldown != null && cooldown.isAfter(now) ? cooldown : null,
                next.map(SprayPolicy.Planned::at).orElse(null), next.map(SprayPolicy.Planned::reason).orElse(null),
                activeAlarmsNow()).withTank(water == null ? null : water.levelL(),
                        water == null ? null : water.settings().capacityL(),
                        water == null ? null : water.daysLeft(now));
    }

    /**
     * The alarms raised and not cleared, in the order of their kinds: the policy's, the sensor pair's, the water
     * budget's and the efficacy watch's. Call on the agent thread.
     */
    public List<AlarmKind> activeAlarmsNow() {
        Set<AlarmKind> all = EnumSet.noneOf(AlarmKind.class);
        all.addAll(state.activeAlarms());
        all.addAll(pair.activeAlarms());
        if (water != null && water.lowAlarm()) {
            all.add(AlarmKind.LOW_WATER);
        }
        if (effects.clogging()) {
            all.add(AlarmKind.CLOGGING);
        }
        return List.copyOf(all);
    }

    /** The policy's state. Call on the agent thread. */
    public PolicyState policyState() {
        return state;
    }

    public Valve valve() {
        return valve;
    }

    public ResilientEventStore store() {
        return store;
    }

    /** Stops control and closes the valve. Call on the agent thread; {@link #close()} does it from any thread. */
    void stopOnAgentThread() {
        if (stopped) {
            return;
        }
        stopped = true;
        valve.closeNow();
        LOG.info("agent {} stopped; valve closed", config.agentId());
    }

    @Override
    public void close() {
        scheduler.execute(this::stopOnAgentThread);
    }

    // ---------------------------------------------------------------------------------------------- recovery

    /**
     * Rebuilds what the policy must not forget from the event store: rules, last spray, mode, the last evening
     * decision, open alarms and the valve's hourly budget. A spray cut off by a crash is closed in the record.
     */
    private PolicyState recover(Instant now) {
        Set<AlarmKind> active = storedActiveAlarms();
        recoverWaterAndEffects(active, now);
        Rules rules = store.latest(EventType.CONFIG_APPLIED).map(e -> ((ConfigApplied) e).rules()).orElse(null);
        if (rules == null) {
            rules = config.rules();
            record(new ConfigApplied(config.agentId(), SprayPolicy.DRAFT_SEQ, now, rules));
        }

        Optional<Event> lastOpened = store.latest(EventType.VALVE_OPENED);
        Optional<Event> lastClosed = store.latest(EventType.VALVE_CLOSED);
        if (lastOpened.isPresent() && lastClosed.map(c -> c.seq() < lastOpened.get().seq()).orElse(true)) {
            closeInterruptedSpray((ValveOpened) lastOpened.get(), now);
        }
        Instant lastSprayAt = lastOpened.map(Event::at).orElse(null);
        SprayReason lastReason = lastOpened.map(e -> ((ValveOpened) e).reason()).orElse(null);

        Optional<ModeChanged> mode = store.latest(EventType.MODE_CHANGED).map(ModeChanged.class::cast);
        boolean down = mode.map(m -> m.mode() == Mode.SENSOR_DOWN).orElse(false);

        Instant lastEventAt = store.read(store.lastSeq(), 1).stream().map(Event::at).findFirst().orElse(null);
        if (lastEventAt != null && lastEventAt.isAfter(now)) {
            LOG.warn("the clock ({}) is {} behind the last recorded event ({}): no network time yet? The rules count"
                    + " on from the last event until the clock is corrected", now,
                    Duration.between(now, lastEventAt), lastEventAt);
        }
        Set<AlarmKind> alarms = storedActiveAlarms();
        pair = SensorPair.State.recovered(alarms);
        if (sensor2 == null) {
            // the second sensor was removed from the config: nothing would ever clear its alarms
            for (AlarmKind kind : pair.activeAlarms()) {
                LOG.info("{} alarm cleared: this agent reads one sensor now", kind.wire());
                record(new HumidityAlarmCleared(config.agentId(), SprayPolicy.DRAFT_SEQ, now, kind));
            }
            pair = SensorPair.State.INITIAL;
        }
        alarms.removeAll(SensorPair.KINDS);
        recoverCalibrations();
        PolicyState.Recovered memory = new PolicyState.Recovered(down ? Mode.SENSOR_DOWN : Mode.NORMAL,
                down ? mode.get().at() : null, lastSprayAt, lastReason, lastEveningDate(rules, now),
                policyAlarms(alarms), lastEventAt);
        valve.restoreHistory(openingsSince(now.minus(Duration.ofHours(1))));
        return PolicyState.recovered(config.agentId(), rules, now, memory);
    }

    /** The alarms the spray policy raises and clears itself: not those of the water budget or the efficacy watch. */
    private static Set<AlarmKind> policyAlarms(Set<AlarmKind> active) {
        Set<AlarmKind> policy = EnumSet.noneOf(AlarmKind.class);
        policy.addAll(active);
        policy.removeAll(WATER_AND_EFFECT_ALARMS);
        return policy;
    }

    /**
     * The tank estimate and the recent rises from the store, before anything else is recorded: a spray cut off by a
     * crash is then taken off the tank like any other.
     */
    private void recoverWaterAndEffects(Set<AlarmKind> active, Instant now) {
        List<SprayEffect> rises = new ArrayList<>();
        for (Event event : store.since(now.minus(SprayEffects.WEEK.multipliedBy(2)),
                EnumSet.of(EventType.SPRAY_EFFECT))) {
            rises.add((SprayEffect) event);
        }
        effects = SprayEffects.start(config.agentId(), rises, active.contains(AlarmKind.CLOGGING));
        if (config.tank() == null) {
            water = null;
            return;
        }
        WaterLevel last = store.latest(EventType.WATER_LEVEL).map(WaterLevel.class::cast).orElse(null);
        List<WaterLevel> recent = new ArrayList<>();
        for (Event event : store.since(now.minus(WaterBudget.USE_WINDOW), EnumSet.of(EventType.WATER_LEVEL))) {
            recent.add((WaterLevel) event);
        }
        WaterBudget.Outcome outcome = WaterBudget.start(config.agentId(), config.tank(), last, recent,
                active.contains(AlarmKind.LOW_WATER), now);
        water = outcome.state();
        outcome.events().forEach(this::record);
        LOG.info("water tank: {} L of {} L{}", water.levelL(), water.settings().capacityL(),
                last == null ? " (taken as full: no estimate before)" : "");
    }

    /**
     * A calibration from a station wins over the config file's until a reset; the latest per sensor counts. A
     * calibration of sensor 2 on an agent that has none now is kept in the record and not used.
     */
    private void recoverCalibrations() {
        for (Event event : store.latest(EventType.CALIBRATION_APPLIED, 100)) {
            CalibrationApplied applied = (CalibrationApplied) event;
            int number = applied.sensorNumber();
            // latest() gives the newest first: the first one per sensor counts
            if (calibrationRecovered[number]) {
                continue;
            }
            calibrationRecovered[number] = true;
            if (!applied.reset()) {
                calibrations[number] = applied.calibration();
                LOG.info("sensor {}: calibration from #{} ({}): {}", number, applied.seq(), applied.at(),
                        applied.calibration().describe());
            }
        }
        for (int number = 1; number <= (sensor2 == null ? 1 : 2); number++) {
            if (!calibrationRecovered[number] && !calibrations[number].isNone()) {
                LOG.info("sensor {}: calibration from the config file: {}", number, calibrations[number].describe());
            }
        }
    }

    private void closeInterruptedSpray(ValveOpened opened, Instant now) {
        long openMs = Math.max(0, Math.min(opened.durationS() * 1000L,
                Duration.between(opened.at(), now).toMillis()));
        LOG.warn("the agent stopped while spraying (#{} at {}); the valve was closed at start, open at most {} ms",
                opened.seq(), opened.at(), openMs);
        record(new ValveClosed(config.agentId(), SprayPolicy.DRAFT_SEQ, now, openMs));
    }

    private LocalDate lastEveningDate(Rules rules, Instant now) {
        LocalDate latest = null;
        for (Event event : store.since(now.minus(Duration.ofDays(2)),
                EnumSet.of(EventType.VALVE_OPENED, EventType.SPRAY_SKIPPED))) {
            boolean evening = event instanceof ValveOpened
                    ? ((ValveOpened) event).reason() == SprayReason.EVENING
                    : ((SpraySkipped) event).trigger() == SprayTrigger.EVENING;
            if (evening) {
                LocalDate date = event.at().atZone(rules.timeZone()).toLocalDate();
                latest = latest == null || date.isAfter(latest) ? date : latest;
            }
        }
        return latest;
    }

    private Set<AlarmKind> storedActiveAlarms() {
        Map<AlarmKind, Long> raised = new EnumMap<>(AlarmKind.class);
        Map<AlarmKind, Long> cleared = new EnumMap<>(AlarmKind.class);
        for (Event event : store.latest(EventType.HUMIDITY_ALARM, 100)) {
            raised.merge(((HumidityAlarm) event).kind(), event.seq(), Math::max);
        }
        for (Event event : store.latest(EventType.HUMIDITY_ALARM_CLEARED, 100)) {
            cleared.merge(((HumidityAlarmCleared) event).kind(), event.seq(), Math::max);
        }
        Set<AlarmKind> active = EnumSet.noneOf(AlarmKind.class);
        raised.forEach((kind, seq) -> {
            if (seq > cleared.getOrDefault(kind, 0L)) {
                active.add(kind);
            }
        });
        return active;
    }

    private List<Valve.Opening> openingsSince(Instant from) {
        List<Valve.Opening> openings = new ArrayList<>();
        Instant openedAt = null;
        for (Event event : store.since(from.minus(Duration.ofMinutes(1)),
                EnumSet.of(EventType.VALVE_OPENED, EventType.VALVE_CLOSED))) {
            if (event instanceof ValveOpened) {
                openedAt = event.at();
            } else if (openedAt != null) {
                openings.add(new Valve.Opening(openedAt, ((ValveClosed) event).openMs()));
                openedAt = null;
            }
        }
        return openings;
    }

    private static String describe(Rules r) {
        return "low<" + r.lowHumidityPct() + "% spray " + r.sprayDurationS() + "s every>=" + r.minIntervalMin()
                + "min evening " + r.eveningTime() + " " + r.timeZone()
                + (r.program().isEmpty() ? "" : " program " + r.program().describe());
    }

    /** Turns the valve's own transitions into events. */
    private final class ValveEvents implements Valve.Listener {
        @Override
        public void opened(Instant at, Duration planned) {
            // recorded by open(), which knows the reason and the command
        }

        @Override
        public void closed(Instant at, long openMs) {
            record(new ValveClosed(config.agentId(), SprayPolicy.DRAFT_SEQ, at, openMs));
        }

        @Override
        public void refused(Instant at, Duration requested, String reason) {
            LOG.info("valve refused {} s: {}", requested.toSeconds(), reason);
        }

        @Override
        public void failed(Instant at, String reason) {
            LOG.error("VALVE FAILURE: {} — check the relay and its wiring now", reason);
        }
    }
}
