package dev.spike.station.agents;

import dev.spike.model.AgentState;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.store.AlarmRecord;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents the station knows: every agent that ever sent a message (the retained {@code spike/+/status} makes
 * each one known on connect), from the store at start, then live. Sorted by id. Each has its online state, whether
 * it is simulated, when it was last seen and its latest reading (from its events and its retained state).
 *
 * <p>Selection: {@link #select(String)} selects in the one {@link SelectedAgent} the per-agent ViewModels follow; the
 * first agent known is selected when nothing is. Online, offline or stale is {@link Presence}'s decision. Each row
 * also knows its agent's mode and active alarms (for its icon).
 *
 * <p>Ages ("last seen 12 s ago", "no reading since 2 min ago") and staleness are reckoned on each agent's own clock as
 * {@link SelectedAgent} learned it ({@link AgentClocks}), since the times are the agent's. {@link #refresh()} once a
 * second (from the app's timer) keeps them current. Properties change on the UI executor only.
 */
public final class AgentsViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(AgentsViewModel.class);

    private final Clock clock;

    private final ObservableList<AgentItem> agents = FXCollections.observableArrayList();
    private final ObservableList<AgentItem> readOnlyAgents = FXCollections.unmodifiableObservableList(agents);
    private final Map<String, AgentItem> byId = new HashMap<>();
    private final SelectedAgent selection;
    private final ReadOnlyObjectWrapper<AgentItem> selectedAgent = new ReadOnlyObjectWrapper<>(this, "selectedAgent");
    /** UI thread only. */
    private ConnectionState connection;

    /**
     * @param feed    the station feed: agents from the store, then updates
     * @param gateway for the connection state (an agent's "online" means little while the station is disconnected)
     * @param ui      {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param clock   the station's clock; "last seen" texts read it through each agent's clock
     */
    public AgentsViewModel(SelectedAgent selection, StationFeed feed, MqttGateway gateway, AlarmTracker alarms,
                           Executor ui, Clock clock) {
        this.clock = clock;
        this.selection = selection;
        selection.agentIdProperty().addListener((o, was, now) -> selectedAgent.set(now == null ? null : byId.get(now)));
        alarms.addListener(list -> {
            Map<String, Integer> active = new HashMap<>();
            for (AlarmRecord alarm : list) {
                if (alarm.active()) {
                    active.merge(alarm.agentId(), 1, Integer::sum);
                }
            }
            ui.execute(() -> showAlarms(active));
        });
        this.connection = gateway.state();
        gateway.addStateListener(state -> ui.execute(() -> {
            connection = state;
            refresh();
        }));
        feed.addListener(updates -> ui.execute(() -> apply(updates)));
        feed.read(StationStore::agents).thenAcceptAsync(this::load, ui).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.error("cannot read the known agents from the store: {}", error.toString());
            }
        });
    }

    /** Selects an agent by id; null selects none. */
    public void select(String agentId) {
        if (!java.util.Objects.equals(agentId, selection.agentId())) {
            selection.select(agentId);
        }
    }

    private void showAlarms(Map<String, Integer> active) {
        for (AgentItem item : agents) {
            item.setActiveAlarms(active.getOrDefault(item.agentId(), 0));
        }
    }

    /** Updates the time texts; call once a second. */
    public void refresh() {
        Instant now = clock.instant();
        for (AgentItem item : agents) {
            updateTexts(item, now);
        }
    }

    private void load(List<AgentSnapshot> snapshots) {
        for (AgentSnapshot snapshot : snapshots) {
            AgentItem item = item(snapshot.agentId());
            if (snapshot.status() != null) {
                applyStatus(item, snapshot.status());
            }
            if (snapshot.state() != null) {
                applyReading(item, snapshot.state());
            }
            if (snapshot.config() != null) {
                item.setReadIntervalS(snapshot.config().rules().readIntervalS());
            }
            item.seen(snapshot.lastSeen());
        }
        refresh();
    }

    private void apply(List<FeedUpdate> updates) {
        // Only the agents in this batch get new texts; the others change with time alone, once a second in
        // refresh(). With 50 agents the feed delivers about 150 batches a second, each about one agent: formatting
        // all 50 agents' texts for each was 50 times the work.
        Set<AgentItem> touched = new LinkedHashSet<>();
        for (FeedUpdate update : updates) {
            AgentItem item = item(update.agentId());
            touched.add(item);
            if (update instanceof FeedUpdate.StatusChanged) {
                applyStatus(item, ((FeedUpdate.StatusChanged) update).status());
            } else if (update instanceof FeedUpdate.StateChanged) {
                AgentState state = ((FeedUpdate.StateChanged) update).state();
                item.seen(state.at());
                applyReading(item, state);
            } else if (update instanceof FeedUpdate.ConfigChanged) {
                item.setReadIntervalS(((FeedUpdate.ConfigChanged) update).config().rules().readIntervalS());
            } else if (update instanceof FeedUpdate.HealthChanged) {
                item.seen(((FeedUpdate.HealthChanged) update).health().at());
            } else if (update instanceof FeedUpdate.EventsAdded) {
                List<Event> events = ((FeedUpdate.EventsAdded) update).events();
                for (Event event : events) {
                    item.seen(event.at());
                    if (event instanceof HumidityChanged) {
                        item.humidity(((HumidityChanged) event).humidityPct(), event.at());
                    } else if (event instanceof TemperatureChanged) {
                        item.temperature(((TemperatureChanged) event).temperatureC(), event.at());
                    } else if (event instanceof ModeChanged) {
                        item.mode(((ModeChanged) event).mode(), event.at());
                    }
                }
            }
        }
        Instant now = clock.instant();
        for (AgentItem item : touched) {
            updateTexts(item, now);
        }
    }

    private static void applyReading(AgentItem item, AgentState state) {
        item.mode(state.mode(), state.at());
        if (state.humidityPct() != null) {
            item.humidity(state.humidityPct(), state.readingAt());
        }
        if (state.temperatureC() != null) {
            item.temperature(state.temperatureC(), state.readingAt());
        }
    }

    private static void applyStatus(AgentItem item, Status status) {
        item.setStatus(status);
        item.setSimulated(status.simulated());
        item.setVersion(status.version());
        item.seen(status.at());
    }

    private AgentItem item(String agentId) {
        AgentItem item = byId.get(agentId);
        if (item != null) {
            return item;
        }
        item = new AgentItem(agentId);
        byId.put(agentId, item);
        int index = 0;
        while (index < agents.size() && agents.get(index).agentId().compareTo(agentId) < 0) {
            index++;
        }
        agents.add(index, item);
        if (selection.agentId() == null) {
            select(agentId);
        } else if (agentId.equals(selection.agentId())) {
            selectedAgent.set(item);
        }
        return item;
    }

    /** @param stationNow the station's now; ages and staleness are reckoned on the item's agent's clock */
    private void updateTexts(AgentItem item, Instant stationNow) {
        // the agent's timestamps against the agent's clock: a simulated agent at x60, or one whose clock is off,
        // is not "last seen in 2 h" nor stale because of it
        Instant now = selection.agentNow(item.agentId(), stationNow);
        Instant seen = item.lastSeen();
        String seenText = seen == null ? "never" : EventTexts.ago(seen, now);
        Presence presence = Presence.of(item.agentId(), connection, item.status(), item.readingAt(),
                item.readIntervalS(), now);
        item.setPresence(presence);
        String status;
        switch (presence) {
            case STATION_DISCONNECTED:
                status = "last known " + (item.onlineProperty().get() ? "online" : "offline")
                        + " (station disconnected)";
                break;
            case OFFLINE:
                status = "offline, last seen " + seenText;
                break;
            case STALE:
                status = item.readingAt() == null ? "online"
                        : "online, no reading since " + EventTexts.ago(item.readingAt(), now);
                break;
            default:
                status = "online";
                break;
        }
        String reading = item.readingText();
        item.setTexts(seenText, status, presence == Presence.ONLINE && !reading.isEmpty() ? reading : status);
    }

    /** The agents, sorted by id; read-only. */
    public ObservableList<AgentItem> agents() {
        return readOnlyAgents;
    }

    public ReadOnlyObjectProperty<String> selectedAgentIdProperty() {
        return selection.agentIdProperty();
    }

    public ReadOnlyObjectProperty<AgentItem> selectedAgentProperty() {
        return selectedAgent.getReadOnlyProperty();
    }
}
