package dev.spike.station.alarms;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.Status;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.agents.AgentClocks;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.connection.Registration;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.AlarmRecord.Severity;
import dev.spike.station.store.AlarmRecord.Source;
import dev.spike.station.store.FeedListener;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import dev.spike.station.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which alarms are raised and cleared, keeps them in the store (they survive restarts) and tells its
 * listeners the list after every change. No JavaFX: it runs on the feed thread; {@link AlarmsViewModel} shows it.
 *
 * <table>
 *   <caption>alarms</caption>
 *   <tr><th>key</th><th>raised</th><th>cleared</th><th>severity</th></tr>
 *   <tr><td>{@code humidity:<kind>}</td><td>{@code humidity_alarm}, or the kind listed in the retained state's
 *       {@code activeAlarms}</td><td>{@code humidity_alarm_cleared} of that kind, or a state that no longer lists it
 *       </td><td>critical; {@code high}: warning</td></tr>
 *   <tr><td>{@code sensor}</td><td>{@code sensor_error} (one alarm per episode, its text follows the latest
 *       live error; backfilled errors of an episode already shown join it)</td><td>the next good reading (a reading event or a state whose {@code readingAt} is after the
 *       error) or {@code sensor_recovered}: a single failed read should not stay red once the sensor answers again
 *       </td><td>warning</td></tr>
 *   <tr><td>{@code offline}</td><td>the agent's status says offline for {@value #OFFLINE_AFTER_S} s, as seen by the
 *       station (the will's own time may be older than the agent's end)</td><td>status online</td>
 *       <td>critical</td></tr>
 *   <tr><td>{@code no_reading}</td><td>an online agent's newest reading ({@code readingAt} or reading event) is older
 *       than 3 read intervals on the agent's clock ({@link AgentClocks})</td><td>a fresh reading</td>
 *       <td>warning</td></tr>
 *   <tr><td>{@code spray_unconfirmed:<id>}</td><td>no {@code valve_opened} with that command id 5 s after the
 *       station sent a manual spray (and no rejection)</td><td>a late {@code valve_opened} for it</td>
 *       <td>warning</td></tr>
 *   <tr><td>{@code rejected:<id>}</td><td>a {@code command_result} with {@code accepted=false}</td><td>when
 *       acknowledged (nothing to wait for)</td><td>warning</td></tr>
 * </table>
 *
 * <p>Events older than {@value #EVENT_HORIZON_H} h raise nothing: a new station backfilling months of history would
 * otherwise drown in alarms that ended long ago (the event log shows them; the state's {@code activeAlarms} still
 * raises what is active now). Station-side checks (offline, no reading) pause while the station is disconnected:
 * it cannot tell then. The time-based checks run on {@link #tick()}, which the app calls once a second through
 * {@link AlarmsViewModel#refresh()}. The station's own alarms (offline, no reading, unconfirmed spray) are decided by
 * the pure {@link StationAlarmPolicy}; this class feeds it, stores what it decides and keeps the agents' alarms.
 */
public final class AlarmTracker implements FeedListener {

    static final long OFFLINE_AFTER_S = 120;
    public static final Duration OFFLINE_AFTER = StationAlarmPolicy.OFFLINE_AFTER;
    public static final Duration SPRAY_CONFIRM_TIMEOUT = StationAlarmPolicy.SPRAY_CONFIRM_TIMEOUT;
    public static final int NO_READING_INTERVALS = dev.spike.station.agents.Presence.STALE_INTERVALS;
    static final long EVENT_HORIZON_H = 24;
    public static final Duration EVENT_HORIZON = Duration.ofHours(EVENT_HORIZON_H);
    /** Cleared and acknowledged alarms stay in the list this long. */
    public static final Duration SHOWN_FOR = Duration.ofDays(30);
    static final int MAX_SHOWN = 1_000;
    /** A spray without confirmation is still matched with a late valve_opened this long. */
    static final Duration EXPECTATION_KEPT = StationAlarmPolicy.EXPECTATION_KEPT;

    private static final Logger LOG = LoggerFactory.getLogger(AlarmTracker.class);

    private final StationFeed feed;
    private final Clock clock;
    private final EventTexts texts;
    private final List<Consumer<List<AlarmRecord>>> listeners = new CopyOnWriteArrayList<>();

    // Feed thread only.
    private final Map<Long, AlarmRecord> shown = new HashMap<>();
    private final Map<String, AlarmRecord> active = new HashMap<>();
    /** The station's own alarms' state: {@link StationAlarmPolicy} decides, this shell stores. */
    private StationAlarmPolicy.State policy = StationAlarmPolicy.State.initial(false);
    /** Every agent's clock, for the no-reading check: the feed thread's own, fed what the feed delivers. */
    private final AgentClocks clocks = new AgentClocks();
    private boolean changed;
    private long unsavedIds;

    public AlarmTracker(StationFeed feed, Clock clock, EventTexts texts) {
        this.feed = feed;
        this.clock = clock;
        this.texts = texts;
    }

    /**
     * Loads the stored alarms and what the store knows of the agents, then follows the feed and the connection.
     */
    public void start(MqttGateway gateway) {
        feed.execute(() -> {
            decide(new StationAlarmPolicy.Connection(gateway.state().isConnected()));
            load(feed.store());
            feed.addListener(this);
            publish();
        });
        gateway.addStateListener(state -> feed.execute(() -> onConnection(state)));
    }

    /** Told the alarm list (newest first) on the feed thread: now, and after every change. */
    public Registration addListener(Consumer<List<AlarmRecord>> listener) {
        listeners.add(listener);
        feed.execute(() -> listener.accept(list()));
        return () -> listeners.remove(listener);
    }

    /** Runs the time-based checks (offline, no reading, unconfirmed sprays); any thread. */
    public void tick() {
        feed.execute(this::evaluate);
    }

    /**
     * The station sent a manual spray: unless a {@code valve_opened} with this command id (or a rejection) arrives
     * within 5 s, raise an alarm. Any thread.
     */
    public void expectSprayConfirmation(String agentId, String commandId, int durationS, Instant sentAt) {
        feed.execute(() -> decide(new StationAlarmPolicy.SprayExpected(agentId, commandId, durationS, sentAt)));
    }

    /** A person acknowledged the alarm; any thread. */
    public void acknowledge(long alarmId, String by) {
        feed.execute(() -> {
            AlarmRecord alarm = shown.get(alarmId);
            if (alarm != null && !alarm.acknowledged()) {
                acknowledge(alarm, by);
            }
            publishIfChanged();
        });
    }

    /** Acknowledges every unacknowledged alarm; any thread. */
    public void acknowledgeAll(String by) {
        feed.execute(() -> {
            for (AlarmRecord alarm : new ArrayList<>(shown.values())) {
                if (!alarm.acknowledged()) {
                    acknowledge(alarm, by);
                }
            }
            publishIfChanged();
        });
    }

    private void acknowledge(AlarmRecord alarm, String by) {
        Instant now = clock.instant();
        AlarmRecord acked = alarm.acknowledged(now, by);
        if (acked.active() && acked.key().startsWith("rejected:")) {
            acked = acked.cleared(now);
            active.remove(activeKey(acked.agentId(), acked.key()));
        }
        save(acked);
        LOG.info("alarm acknowledged by {}: {} ({})", by, alarm.message(), alarm.agentId());
    }

    private void load(StationStore store) {
        Instant now = clock.instant();
        for (AlarmRecord alarm : store.alarms(now.minus(SHOWN_FOR), MAX_SHOWN)) {
            shown.put(alarm.id(), alarm);
            if (alarm.active()) {
                active.put(activeKey(alarm.agentId(), alarm.key()), alarm);
            }
        }
        for (AgentSnapshot agent : store.agents()) {
            String agentId = agent.agentId();
            if (agent.config() != null) {
                decide(new StationAlarmPolicy.ReadInterval(agentId, agent.config().rules().readIntervalS()));
            }
            if (agent.status() != null) {
                decide(new StationAlarmPolicy.StatusSeen(agentId, agent.status().online()));
            }
            if (agent.state() != null && agent.state().readingAt() != null) {
                decide(new StationAlarmPolicy.ReadingSeen(agentId, agent.state().readingAt()));
            }
        }
    }

    private void onConnection(ConnectionState state) {
        decide(new StationAlarmPolicy.Connection(state.isConnected()));
    }

    /** Runs the policy on one input and carries out what it decides. Feed thread. */
    private void decide(StationAlarmPolicy.Input input) {
        Instant now = clock.instant();
        StationAlarmPolicy.Result result = StationAlarmPolicy.decide(policy, input, now, texts);
        policy = result.state();
        for (StationAlarmPolicy.Decision decision : result.decisions()) {
            if (decision instanceof StationAlarmPolicy.Raise) {
                StationAlarmPolicy.Raise raise = (StationAlarmPolicy.Raise) decision;
                raise(AlarmRecord.raise(raise.agentId(), raise.key(), Source.STATION, raise.severity(),
                        raise.message(), now, null));
            } else {
                StationAlarmPolicy.Clear clear = (StationAlarmPolicy.Clear) decision;
                clear(clear.agentId(), clear.key(), clear.at());
            }
        }
    }

    @Override
    public void onUpdates(List<FeedUpdate> updates) {
        clocks.observe(updates, clock.instant());
        for (FeedUpdate update : updates) {
            Duration skew = clocks.skew(update.agentId());
            if (!skew.equals(policy.watch(update.agentId()).skew())) {
                decide(new StationAlarmPolicy.ClockSkew(update.agentId(), skew));
            }
        }
        for (FeedUpdate update : updates) {
            String agentId = update.agentId();
            if (update instanceof FeedUpdate.StatusChanged) {
                onStatus(agentId, ((FeedUpdate.StatusChanged) update).status());
            } else if (update instanceof FeedUpdate.StateChanged) {
                onState(agentId, ((FeedUpdate.StateChanged) update).state());
            } else if (update instanceof FeedUpdate.ConfigChanged) {
                decide(new StationAlarmPolicy.ReadInterval(agentId,
                        ((FeedUpdate.ConfigChanged) update).config().rules().readIntervalS()));
            } else if (update instanceof FeedUpdate.EventsAdded) {
                for (Event event : ((FeedUpdate.EventsAdded) update).events()) {
                    onEvent(event);
                }
            }
        }
        publishIfChanged();
    }

    private void onStatus(String agentId, Status status) {
        decide(new StationAlarmPolicy.StatusSeen(agentId, status.online()));
    }

    private void onState(String agentId, AgentState state) {
        if (state.readingAt() != null) {
            readingSeen(agentId, state.readingAt());
        }
        // The retained state lists the alarms active now: the truth when events were missed or came late.
        for (AlarmKind kind : AlarmKind.values()) {
            AlarmRecord alarm = active.get(activeKey(agentId, humidityKey(kind)));
            boolean listed = state.activeAlarms().contains(kind);
            if (alarm != null && !listed && (alarm.raisedSeq() == null || alarm.raisedSeq() <= state.lastSeq())) {
                clear(agentId, humidityKey(kind), state.at());
            } else if (alarm == null && listed) {
                raise(AlarmRecord.raise(agentId, humidityKey(kind), Source.AGENT, severity(kind),
                        EventTexts.alarmName(kind) + " alarm (reported active by the agent)", state.at(), null));
            }
        }
    }

    private void onEvent(Event event) {
        String agentId = event.agentId();
        boolean recent = !event.at().isBefore(clock.instant().minus(EVENT_HORIZON));
        switch (event.type()) {
            case HUMIDITY_CHANGED:
            case TEMPERATURE_CHANGED:
                readingSeen(agentId, event.at());
                break;
            case SENSOR_RECOVERED:
                clear(agentId, "sensor", event.at());
                break;
            case SENSOR_ERROR:
                if (recent) {
                    onSensorError((SensorError) event);
                }
                break;
            case HUMIDITY_ALARM:
                if (recent) {
                    onHumidityAlarm((HumidityAlarm) event);
                }
                break;
            case HUMIDITY_ALARM_CLEARED: {
                HumidityAlarmCleared cleared = (HumidityAlarmCleared) event;
                AlarmRecord alarm = active.get(activeKey(agentId, humidityKey(cleared.kind())));
                if (alarm != null && (alarm.raisedSeq() == null || alarm.raisedSeq() < cleared.seq())) {
                    clear(agentId, humidityKey(cleared.kind()), cleared.at());
                }
                break;
            }
            case COMMAND_RESULT: {
                CommandResult result = (CommandResult) event;
                if (!result.accepted()) {
                    decide(new StationAlarmPolicy.SprayAnswered(agentId, result.commandId(), false, result.at()));
                    if (recent) {
                        onRejected(result);
                    }
                }
                break;
            }
            case VALVE_OPENED: {
                ValveOpened opened = (ValveOpened) event;
                if (opened.commandId() != null) {
                    decide(new StationAlarmPolicy.SprayAnswered(agentId, opened.commandId(), true, opened.at()));
                }
                break;
            }
            default:
                break;
        }
    }

    private void onSensorError(SensorError error) {
        String agentId = error.agentId();
        String message = "sensor error on " + agentId + ": " + error.error() + (error.consecutiveFailures() > 1
                ? " (" + error.consecutiveFailures() + " failures in a row)" : "");
        AlarmRecord current = active.get(activeKey(agentId, "sensor"));
        if (current != null) {
            if (current.raisedSeq() == null || error.seq() > current.raisedSeq()) {
                save(current.withMessage(message));
            }
            return;
        }
        // A backfilled error may already be over: the first reading after it ends it.
        Instant goodAfter = null;
        Instant readingAt = policy.watch(agentId).readingAt();
        if (readingAt != null && readingAt.isAfter(error.at())) {
            goodAfter = readingAt;
        }
        for (Event reading : feed.store().eventsAfter(agentId, EventType.HUMIDITY_CHANGED, error.seq(), 1)) {
            goodAfter = goodAfter == null || reading.at().isBefore(goodAfter) ? reading.at() : goodAfter;
        }
        AlarmRecord episode = goodAfter == null ? null : sensorEpisode(agentId, error.at(), goodAfter);
        if (episode != null) {
            // one outage is one alarm, however many failed reads the history brings (a day's backfill held
            // hundreds); an earlier error moves its start back
            if (error.at().isBefore(episode.raisedAt())) {
                save(episode.withRaise(episode.message(), error.at(), error.seq()));
            }
            return;
        }
        AlarmRecord alarm = AlarmRecord.raise(agentId, "sensor", Source.AGENT, Severity.WARNING, message,
                error.at(), error.seq());
        if (goodAfter != null) {
            save(alarm.cleared(goodAfter));
        } else {
            raise(alarm);
        }
    }

    /**
     * The cleared sensor alarm of the outage an error at {@code errorAt} belongs to: no good reading lies between
     * them (the first one after the error, {@code goodAfter}, is not before the alarm was raised, and the alarm was
     * not cleared before the error). Null if there is none.
     */
    private AlarmRecord sensorEpisode(String agentId, Instant errorAt, Instant goodAfter) {
        for (AlarmRecord alarm : shown.values()) {
            if (alarm.agentId().equals(agentId) && alarm.key().equals("sensor") && alarm.clearedAt() != null
                    && !errorAt.isAfter(alarm.clearedAt()) && !goodAfter.isBefore(alarm.raisedAt())) {
                return alarm;
            }
        }
        return null;
    }

    private void onHumidityAlarm(HumidityAlarm event) {
        String agentId = event.agentId();
        String key = humidityKey(event.kind());
        String message = EventTexts.alarmName(event.kind()) + " on " + agentId + ": " + event.message();
        AlarmRecord current = active.get(activeKey(agentId, key));
        if (current != null) {
            if (current.raisedSeq() == null) {
                // Raised from the state before the event came: now we know when and why.
                save(current.withRaise(message, event.at(), event.seq()));
            }
            return;
        }
        AlarmRecord alarm = AlarmRecord.raise(agentId, key, Source.AGENT, severity(event.kind()), message,
                event.at(), event.seq());
        // Backfill may bring the raise after its clear; the clear is in the store then.
        for (Event later : feed.store().eventsAfter(agentId, EventType.HUMIDITY_ALARM_CLEARED, event.seq(), 100)) {
            if (((HumidityAlarmCleared) later).kind() == event.kind()) {
                save(alarm.cleared(later.at()));
                return;
            }
        }
        raise(alarm);
    }

    private void onRejected(CommandResult result) {
        String key = "rejected:" + result.commandId();
        for (AlarmRecord alarm : shown.values()) {
            if (alarm.key().equals(key) && alarm.agentId().equals(result.agentId())) {
                return;
            }
        }
        raise(AlarmRecord.raise(result.agentId(), key, Source.STATION, Severity.WARNING,
                EventTexts.commandName(result.command()) + " command " + result.commandId() + " rejected by "
                        + result.agentId() + ": " + result.reason(), result.at(), result.seq()));
    }

    private void readingSeen(String agentId, Instant at) {
        AlarmRecord sensor = active.get(activeKey(agentId, "sensor"));
        if (sensor != null && at.isAfter(sensor.raisedAt())) {
            clear(agentId, "sensor", at);
        }
        decide(new StationAlarmPolicy.ReadingSeen(agentId, at));
    }

    private void evaluate() {
        decide(new StationAlarmPolicy.Tick());
        publishIfChanged();
    }

    private void raise(AlarmRecord alarm) {
        String key = activeKey(alarm.agentId(), alarm.key());
        if (active.containsKey(key)) {
            return;
        }
        AlarmRecord saved = save(alarm);
        active.put(key, saved);
        LOG.warn("alarm raised ({}): {}", saved.severity(), saved.message());
    }

    private void clear(String agentId, String alarmKey, Instant at) {
        AlarmRecord alarm = active.remove(activeKey(agentId, alarmKey));
        if (alarm != null) {
            save(alarm.cleared(at));
            LOG.info("alarm cleared: {}", alarm.message());
        }
    }

    /** Stores the alarm (insert or update) and shows it; keeps it in memory if the store fails. */
    private AlarmRecord save(AlarmRecord alarm) {
        AlarmRecord saved;
        try {
            saved = feed.store().saveAlarm(alarm.id() < 0 ? alarm.withId(0) : alarm);
            if (alarm.id() < 0) {
                shown.remove(alarm.id());
            }
        } catch (StoreException e) {
            LOG.error("alarm not stored, shown until the station stops: {} ({})", alarm.message(), e.getMessage());
            saved = alarm.id() == 0 ? alarm.withId(--unsavedIds) : alarm;
        }
        shown.put(saved.id(), saved);
        String key = activeKey(saved.agentId(), saved.key());
        if (saved.active() && active.containsKey(key)) {
            active.put(key, saved);
        }
        changed = true;
        return saved;
    }

    private void publishIfChanged() {
        if (changed) {
            publish();
        }
    }

    private void publish() {
        changed = false;
        Instant horizon = clock.instant().minus(SHOWN_FOR);
        shown.values().removeIf(alarm -> !alarm.active() && alarm.acknowledged()
                && alarm.raisedAt().isBefore(horizon));
        List<AlarmRecord> list = list();
        for (Consumer<List<AlarmRecord>> listener : listeners) {
            try {
                listener.accept(list);
            } catch (RuntimeException e) {
                LOG.error("an alarm listener failed: {}", e.toString(), e);
            }
        }
    }

    private List<AlarmRecord> list() {
        List<AlarmRecord> list = new ArrayList<>(shown.values());
        list.sort(Comparator.comparing(AlarmRecord::raisedAt).thenComparingLong(AlarmRecord::id).reversed());
        return List.copyOf(list.size() > MAX_SHOWN ? list.subList(0, MAX_SHOWN) : list);
    }

    static String humidityKey(AlarmKind kind) {
        return "humidity:" + kind.wire();
    }

    private static String activeKey(String agentId, String key) {
        return agentId + "|" + key;
    }

    static Severity severity(AlarmKind kind) {
        // one failed or drifting sensor of two: the other one still controls, so it is worth a look, not a run
        return kind == AlarmKind.HIGH || kind == AlarmKind.SENSOR_FAILED || kind == AlarmKind.SENSOR_DIVERGENCE
                ? Severity.WARNING : Severity.CRITICAL;
    }
}
