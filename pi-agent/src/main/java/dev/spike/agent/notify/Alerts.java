package dev.spike.agent.notify;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.NotifySettings;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.Scheduler;
import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.rules.PolicyState;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin shell around the pure {@link AlertPolicy}: it turns the agent's events into the policy's inputs, keeps
 * the policy's state, and hands the decided notifications to the {@link Dispatcher}, which delivers them on threads
 * of its own. It also drives the {@link Heartbeat}.
 *
 * <p>Everything here runs on the agent thread (events come from the agent's listener, ticks from its scheduler) and
 * none of it waits: recording and delivery happen on the dispatcher's threads, pings on the heartbeat's.
 */
public final class Alerts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    /** How often reminders and the store are looked at; reminders are hours apart, so a minute is plenty. */
    static final Duration TICK = Duration.ofMinutes(1);

    private final AgentConfig config;
    private final Scheduler scheduler;
    private final ResilientEventStore store;
    private final AlertPolicy policy;
    private final Outbox outbox;
    private final Dispatcher dispatcher;
    private final Heartbeat heartbeat;
    private final Duration heartbeatEvery;
    /** The event store's last event before this run: the previous run's last sign of life. */
    private final Instant lastSignOfLife;

    /** Agent thread only. */
    private AlertPolicy.State state;
    private Agent agent;
    private String lastSensorError;
    private Duration lastDownFor;
    private volatile boolean stopped;

    Alerts(AgentConfig config, List<Notifier> notifiers, Scheduler scheduler, ResilientEventStore store, Clock clock,
            Duration firstRetry, Duration maxRetry, Http http) {
        NotifySettings settings = config.alerts();
        this.config = config;
        this.scheduler = scheduler;
        this.store = store;
        ZoneId zone = config.rules().timeZone();
        this.policy = new AlertPolicy(config.agentId(), zone, Duration.ofHours(settings.remindEveryH()));
        if (notifiers.isEmpty()) {
            this.outbox = null;
            this.dispatcher = null;
            this.state = AlertPolicy.State.EMPTY;
        } else {
            this.outbox = Outbox.open(outboxFile(config), notifiers.stream().map(Notifier::name).toList());
            this.dispatcher = new Dispatcher(outbox, notifiers, clock, Duration.ofHours(settings.maxAgeH()),
                    firstRetry, maxRetry);
            this.state = outbox.loadState();
        }
        this.heartbeat = settings.heartbeatUrl() == null ? null
                : new Heartbeat(URI.create(settings.heartbeatUrl().strip()), http);
        this.heartbeatEvery = Duration.ofMinutes(settings.heartbeatEveryMin());
        this.lastSignOfLife = store.read(store.lastSeq(), 1).stream().map(Event::at).findFirst().orElse(null);
    }

    /**
     * Alerts for the agent of {@code config}, or none without a notifier and a heartbeat.
     *
     * @param notifiers the configured notifiers, secrets read (see {@link Notifiers#of})
     * @param clock     agent time, for the age of notifications; read from the delivery threads
     */
    public static Optional<Alerts> open(AgentConfig config, List<Notifier> notifiers, Scheduler scheduler,
            ResilientEventStore store, Clock clock) {
        if (notifiers.isEmpty() && config.alerts().heartbeatUrl() == null) {
            return Optional.empty();
        }
        return Optional.of(new Alerts(config, notifiers, scheduler, store, clock, Dispatcher.FIRST_RETRY,
                Dispatcher.MAX_RETRY, new Http()));
    }

    /** Agent time as a {@link Clock}, for the delivery threads (a scheduler's {@code now()} may be read anywhere). */
    public static Clock agentClock(Scheduler scheduler) {
        return agentClock(scheduler, java.time.ZoneOffset.UTC);
    }

    private static Clock agentClock(Scheduler scheduler, ZoneId zone) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return agentClock(scheduler, other);
            }

            @Override
            public Instant instant() {
                return scheduler.now();
            }
        };
    }

    /** The outbox of an agent: next to its event store. */
    public static Path outboxFile(AgentConfig config) {
        return config.dataDir().resolve(config.agentId() + "-notify.db");
    }

    /**
     * Listens to {@code agent}'s events; call before the agent starts. Then, once it has started, {@link #start} on
     * the agent thread.
     */
    public void attach(Agent agent) {
        this.agent = agent;
        agent.addListener(this::onEvent);
    }

    /**
     * Call on the agent thread after the agent started: tells of an unclean stop before this run, catches up with
     * alarms raised or cleared while no notifier was listening, delivers what an earlier run left owed, and starts
     * the reminders and the heartbeat.
     */
    public void start() {
        Instant now = scheduler.now();
        if (outbox != null && outbox.previousRunEndedUncleanly()) {
            LOG.warn("the previous run did not stop cleanly (last sign of life {}); telling the keeper",
                    lastSignOfLife);
            apply(new AlertPolicy.Input.Notice(Subject.UNCLEAN_RESTART, now, Descriptions.uncleanRestart(
                    lastSignOfLife == null ? null : policy.time(lastSignOfLife, now))));
        }
        sync(now);
        if (dispatcher != null) {
            dispatcher.start();
        }
        scheduler.repeat(TICK, () -> TICK, () -> stopped, this::tick,
                e -> LOG.error("alerts: a tick failed, alerts go on: {}", e.toString(), e));
        if (heartbeat != null) {
            heartbeat.ping(Heartbeat.Kind.START);
            scheduler.repeat(heartbeatEvery, () -> heartbeatEvery, () -> stopped,
                    () -> heartbeat.ping(state.anyActive() ? Heartbeat.Kind.FAIL : Heartbeat.Kind.OK),
                    e -> LOG.error("heartbeat: a ping failed to start: {}", e.toString(), e));
        }
    }

    /** The outbox, or null without notifiers; for tests. */
    Outbox outbox() {
        return outbox;
    }

    /** The policy's state. Agent thread only. */
    public AlertPolicy.State state() {
        return state;
    }

    private void onEvent(Event event) {
        if (stopped) {
            return;
        }
        PolicyState policyState = agent.policyState();
        if (event instanceof SensorError) {
            lastSensorError = ((SensorError) event).error();
        } else if (event instanceof SensorRecovered) {
            lastDownFor = Duration.ofSeconds(((SensorRecovered) event).downForS());
        } else if (event instanceof ModeChanged) {
            if (((ModeChanged) event).mode() == Mode.SENSOR_DOWN) {
                apply(new AlertPolicy.Input.Raised(Subject.SENSOR_DOWN, event.at(),
                        Descriptions.sensorDown(policyState.rules(), lastSensorError)));
            } else {
                apply(new AlertPolicy.Input.Cleared(Subject.SENSOR_DOWN, event.at(),
                        Descriptions.sensorBack(lastDownFor)));
            }
        } else if (event instanceof HumidityAlarm) {
            HumidityAlarm alarm = (HumidityAlarm) event;
            apply(new AlertPolicy.Input.Raised(Subject.of(alarm.kind()), event.at(),
                    Descriptions.alarm(alarm.kind(), alarm.humidityPct(), alarm.message(), policyState.rules())));
        } else if (event instanceof HumidityAlarmCleared) {
            AlarmKind kind = ((HumidityAlarmCleared) event).kind();
            apply(new AlertPolicy.Input.Cleared(Subject.of(kind), event.at(),
                    Descriptions.alarmCleared(kind, policyState.humidityPct())));
        }
    }

    private void tick() {
        Instant now = scheduler.now();
        Optional<String> storeError = store.lastError();
        boolean storeTold = state.track(Subject.STORE_FAILING).active();
        if (storeError.isPresent() && !storeTold) {
            apply(new AlertPolicy.Input.Raised(Subject.STORE_FAILING, now, Descriptions.storeFailing(
                    storeError.get())));
        } else if (storeError.isEmpty() && storeTold) {
            apply(new AlertPolicy.Input.Cleared(Subject.STORE_FAILING, now, Descriptions.storeBack()));
        }
        apply(new AlertPolicy.Input.Tick());
    }

    /** Brings the policy in line with the agent's alarms: raised or cleared while alerts were off or lost. */
    private void sync(Instant now) {
        PolicyState s = agent.policyState();
        boolean down = s.mode() == Mode.SENSOR_DOWN;
        if (down != state.track(Subject.SENSOR_DOWN).active()) {
            apply(down ? new AlertPolicy.Input.Raised(Subject.SENSOR_DOWN,
                    s.sensorDownSince() == null ? now : s.sensorDownSince(),
                    Descriptions.sensorDown(s.rules(), lastSensorError))
                    : new AlertPolicy.Input.Cleared(Subject.SENSOR_DOWN, now, Descriptions.sensorBack(null)));
        }
        for (AlarmKind kind : AlarmKind.values()) {
            boolean active = agent.activeAlarmsNow().contains(kind);
            Subject subject = Subject.of(kind);
            if (active != state.track(subject).active()) {
                apply(active ? new AlertPolicy.Input.Raised(subject, now, Descriptions.alarm(kind, s.humidityPct(),
                        null, s.rules()))
                        : new AlertPolicy.Input.Cleared(subject, now, Descriptions.alarmCleared(kind,
                        s.humidityPct())));
            }
        }
    }

    private void apply(AlertPolicy.Input input) {
        AlertPolicy.Outcome outcome = policy.apply(state, input, scheduler.now());
        if (outcome.state() == state && outcome.notifications().isEmpty()) {
            return;
        }
        state = outcome.state();
        if (dispatcher != null) {
            dispatcher.submit(state, outcome.notifications());
        }
    }

    /**
     * Stops reminders and pings and, within bounded waits, the delivery threads; what is owed stays in the outbox.
     * A clean stop is recorded, so the next start does not report an unclean one. Call after the agent stopped.
     */
    @Override
    public void close() {
        stopped = true;
        if (heartbeat != null) {
            heartbeat.close();
        }
        if (dispatcher != null) {
            dispatcher.close();
            try {
                outbox.markCleanStop();
            } catch (OutboxException e) {
                LOG.error("notifications: {}; the next start will report an unclean stop", e.getMessage());
            }
            outbox.close();
        }
    }
}
