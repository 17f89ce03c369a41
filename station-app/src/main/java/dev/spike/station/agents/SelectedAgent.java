package dev.spike.station.agents;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Rules;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one selected agent, and everything the station knows of it as one {@link Snapshot}: the station's connection,
 * the agent's status, state, health and config, its newest event of each type that matters, its clock
 * ({@link AgentClock}) and its {@link Presence}. From the store when selected, then live. Every per-agent ViewModel
 * follows this one object; nothing else loads or decides these things.
 *
 * <p>UI thread only: the feed's and the gateway's callbacks come in through the UI executor. Listeners hear, in
 * this order, a new selection, then every new snapshot, and the selected agent's new events (live and backfilled).
 */
public final class SelectedAgent {

    private static final Logger LOG = LoggerFactory.getLogger(SelectedAgent.class);

    /** The event types whose newest one is kept in the snapshot. */
    public static final List<EventType> LATEST_TYPES = List.of(EventType.HUMIDITY_CHANGED,
            EventType.TEMPERATURE_CHANGED, EventType.VALVE_OPENED, EventType.VALVE_CLOSED, EventType.MODE_CHANGED,
            EventType.SENSOR_ERROR, EventType.SENSOR_RECOVERED, EventType.HUMIDITY_ALARM);

    /**
     * What is known of the selected agent at one moment. Null fields are unknown.
     *
     * @param agentNow now on the agent's clock (the station's while it never spoke)
     * @param clock    the agent's clock estimate (its skew)
     */
    public record Snapshot(String agentId, ConnectionState connection, Status status, AgentState state,
                           Health health, ConfigSnapshot config, Map<EventType, Event> latest, Instant lastSeen,
                           Instant readingAt, Instant agentNow, Presence presence, java.time.Duration skew) {

        public Event latest(EventType type) {
            return latest.get(type);
        }

        public Rules rules() {
            return config == null ? null : config.rules();
        }

        public int readIntervalS() {
            return config == null ? Rules.defaults().readIntervalS() : config.rules().readIntervalS();
        }

        public boolean simulated() {
            return status != null && status.simulated();
        }

        public boolean online() {
            return status != null && status.online();
        }

        /** Why no command can go to the agent now, or null if one can. */
        public String whyNoCommand() {
            if (agentId == null) {
                return "Select an agent first";
            }
            if (connection == null || !connection.isConnected()) {
                return "The station is not connected to the broker";
            }
            if (!online()) {
                return agentId + " is offline";
            }
            return null;
        }
    }

    private final StationFeed feed;
    private final Clock clock;
    private final List<Consumer<String>> selectionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> eventListeners = new CopyOnWriteArrayList<>();
    private final ReadOnlyObjectWrapper<String> agentId = new ReadOnlyObjectWrapper<>(this, "agentId");
    private final ReadOnlyObjectWrapper<Snapshot> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");

    // UI thread only.
    private int selection;
    private ConnectionState connection;
    private Status status;
    private AgentState state;
    private Health health;
    private ConfigSnapshot config;
    private Instant lastSeen;
    private final Map<EventType, Event> latest = new EnumMap<>(EventType.class);
    /** Every agent's clock, learned from all that agents say live, selected or not. */
    private final AgentClocks clocks = new AgentClocks();
    private AgentClock agentClock = new AgentClock();

    /**
     * @param ui    {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param clock the station's clock
     */
    public SelectedAgent(StationFeed feed, MqttGateway gateway, Executor ui, Clock clock) {
        this.feed = feed;
        this.clock = clock;
        this.uiExecutor = ui;
        this.connection = gateway.state();
        gateway.addStateListener(next -> ui.execute(() -> {
            connection = next;
            publish();
        }));
        feed.addListener(updates -> ui.execute(() -> apply(updates)));
        publish();
    }

    /** Selects this agent (null for none): its stored snapshot at once, live updates after. */
    public void select(String agent) {
        selection++;
        int mine = selection;
        status = null;
        state = null;
        health = null;
        config = null;
        lastSeen = null;
        latest.clear();
        agentClock = agent == null ? new AgentClock() : clocks.clock(agent);
        agentId.set(agent);
        for (Consumer<String> listener : selectionListeners) {
            listener.accept(agent);
        }
        publish();
        if (agent == null) {
            return;
        }
        feed.read(store -> load(store, agent)).thenAccept(loaded -> ui(() -> {
            if (mine == selection) {
                show(loaded);
            }
        })).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.error("cannot read {} from the store: {}", agent, error.toString());
            }
        });
    }

    // the store's answer comes on the feed thread
    private final Executor uiExecutor;

    private void ui(Runnable task) {
        uiExecutor.execute(task);
    }

    private record Loaded(AgentSnapshot snapshot, Map<EventType, Event> latest) {
    }

    private static Loaded load(StationStore store, String agent) {
        AgentSnapshot snapshot = store.agent(agent).orElse(null);
        Map<EventType, Event> found = new EnumMap<>(EventType.class);
        for (EventType type : LATEST_TYPES) {
            store.latestEvent(agent, type).ifPresent(event -> found.put(type, event));
        }
        return new Loaded(snapshot, found);
    }

    private void show(Loaded loaded) {
        AgentSnapshot stored = loaded.snapshot();
        if (stored != null) {
            // updates that arrived while loading are newer than the stored snapshot: keep them
            status = status != null ? status : stored.status();
            state = newer(state, stored.state());
            health = health != null ? health : stored.health();
            config = config != null ? config : stored.config();
            seen(stored.lastSeen());
        }
        for (Event event : loaded.latest().values()) {
            remember(event);
        }
        publish();
    }

    private static AgentState newer(AgentState a, AgentState b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.at().isAfter(a.at()) ? a : b;
    }

    private void apply(List<FeedUpdate> updates) {
        clocks.observe(updates, clock.instant());
        String agent = agentId.get();
        if (agent == null) {
            return;
        }
        boolean changed = false;
        List<Event> newEvents = new java.util.ArrayList<>();
        for (FeedUpdate update : updates) {
            if (!agent.equals(update.agentId())) {
                continue;
            }
            changed = true;
            if (update instanceof FeedUpdate.StatusChanged) {
                status = ((FeedUpdate.StatusChanged) update).status();
                seen(status.at());
            } else if (update instanceof FeedUpdate.StateChanged) {
                state = ((FeedUpdate.StateChanged) update).state();
                seen(state.at());
            } else if (update instanceof FeedUpdate.HealthChanged) {
                health = ((FeedUpdate.HealthChanged) update).health();
                seen(health.at());
            } else if (update instanceof FeedUpdate.ConfigChanged) {
                config = ((FeedUpdate.ConfigChanged) update).config();
            } else if (update instanceof FeedUpdate.EventsAdded) {
                FeedUpdate.EventsAdded added = (FeedUpdate.EventsAdded) update;
                for (Event event : added.events()) {
                    remember(event);
                    seen(event.at());
                }
                newEvents.addAll(added.events());
            }
        }
        if (changed) {
            publish();
        }
        for (Event event : newEvents) {
            for (Consumer<Event> listener : eventListeners) {
                listener.accept(event);
            }
        }
    }

    private void remember(Event event) {
        if (!LATEST_TYPES.contains(event.type())) {
            return;
        }
        Event known = latest.get(event.type());
        if (known == null || event.seq() > known.seq()) {
            latest.put(event.type(), event);
        }
    }

    private void seen(Instant at) {
        if (at != null && (lastSeen == null || at.isAfter(lastSeen))) {
            lastSeen = at;
        }
    }

    /** Recomputes the snapshot for the clock's now (ages, presence); the app calls it once a second. */
    public void refresh() {
        publish();
    }

    private void publish() {
        String agent = agentId.get();
        Instant agentNow = agentClock.now(clock.instant());
        Instant readingAt = newestReading();
        int interval = config == null ? Rules.defaults().readIntervalS() : config.rules().readIntervalS();
        snapshot.set(new Snapshot(agent, connection, status, state, health, config,
                Collections.unmodifiableMap(new EnumMap<>(latest)), lastSeen, readingAt, agentNow,
                Presence.of(agent, connection, status, readingAt, interval, agentNow), agentClock.skew()));
    }

    private Instant newestReading() {
        Instant at = state == null ? null : state.readingAt();
        for (EventType type : List.of(EventType.HUMIDITY_CHANGED, EventType.TEMPERATURE_CHANGED)) {
            Event event = latest.get(type);
            if (event != null && (at == null || event.at().isAfter(at))) {
                at = event.at();
            }
        }
        return at;
    }

    /** Now on the selected agent's clock (the station's while it never spoke): this instant, not the snapshot's. */
    public Instant agentNow() {
        return agentClock.now(clock.instant());
    }

    /**
     * Now on any agent's clock as this station heard it (the station's while that agent never spoke), for views that
     * show every agent (the sidebar's ages): at the station's {@code stationNow}.
     */
    public Instant agentNow(String agent, Instant stationNow) {
        return clocks.now(agent, stationNow);
    }

    /** The selected agent's id, or null. */
    public String agentId() {
        return agentId.get();
    }

    public ReadOnlyObjectProperty<String> agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    /** Never null once constructed. */
    public Snapshot snapshot() {
        return snapshot.get();
    }

    public ReadOnlyObjectProperty<Snapshot> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    /** Called with the new agent id (or null) before the first snapshot of the new selection. */
    public void onSelect(Consumer<String> listener) {
        selectionListeners.add(listener);
    }

    /** Called with each new event of the selected agent, after the snapshot took it in. */
    public void onEvent(Consumer<Event> listener) {
        eventListeners.add(listener);
    }
}
