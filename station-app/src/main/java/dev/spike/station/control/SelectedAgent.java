package dev.spike.station.control;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the control ViewModels need to know about the selected agent, kept on the UI thread: the station's
 * connection and the agent's status, state and config, from the store when selected, then live. Calls back on
 * every change, and hands over the agent's new events (live and backfilled).
 */
final class SelectedAgent {

    private static final Logger LOG = LoggerFactory.getLogger(SelectedAgent.class);

    private final StationFeed feed;
    private final Executor ui;
    private final Runnable changed;
    private final Consumer<Event> events;

    private String agentId;
    private int selection;
    private ConnectionState connection;
    private Status status;
    private AgentState state;
    private ConfigSnapshot config;

    SelectedAgent(StationFeed feed, MqttGateway gateway, Executor ui, Runnable changed, Consumer<Event> events) {
        this.feed = feed;
        this.ui = ui;
        this.changed = changed;
        this.events = events;
        this.connection = gateway.state();
        gateway.addStateListener(next -> ui.execute(() -> {
            connection = next;
            changed.run();
        }));
        feed.addListener(updates -> ui.execute(() -> apply(updates)));
    }

    void select(String agent) {
        selection++;
        int mine = selection;
        agentId = agent;
        status = null;
        state = null;
        config = null;
        changed.run();
        if (agent == null) {
            return;
        }
        feed.read(store -> store.agent(agent)).thenAcceptAsync(found -> {
            if (mine != selection || found.isEmpty()) {
                return;
            }
            AgentSnapshot snapshot = found.get();
            status = status != null ? status : snapshot.status();
            // Updates that came while loading are newer than the snapshot; keep them.
            state = state != null ? state : snapshot.state();
            config = config != null ? config : snapshot.config();
            changed.run();
        }, ui).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.error("cannot read {} from the store: {}", agent, error.toString());
            }
        });
    }

    private void apply(List<FeedUpdate> updates) {
        if (agentId == null) {
            return;
        }
        boolean any = false;
        for (FeedUpdate update : updates) {
            if (!agentId.equals(update.agentId())) {
                continue;
            }
            any = true;
            if (update instanceof FeedUpdate.StatusChanged) {
                status = ((FeedUpdate.StatusChanged) update).status();
            } else if (update instanceof FeedUpdate.StateChanged) {
                state = ((FeedUpdate.StateChanged) update).state();
            } else if (update instanceof FeedUpdate.ConfigChanged) {
                config = ((FeedUpdate.ConfigChanged) update).config();
            } else if (update instanceof FeedUpdate.EventsAdded) {
                for (Event event : ((FeedUpdate.EventsAdded) update).events()) {
                    events.accept(event);
                }
            }
        }
        if (any) {
            changed.run();
        }
    }

    String agentId() {
        return agentId;
    }

    ConnectionState connection() {
        return connection;
    }

    Status status() {
        return status;
    }

    AgentState state() {
        return state;
    }

    ConfigSnapshot config() {
        return config;
    }

    boolean online() {
        return status != null && status.online();
    }

    /** Why no command can go to the agent now, or null if one can. */
    String whyNoCommand() {
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
