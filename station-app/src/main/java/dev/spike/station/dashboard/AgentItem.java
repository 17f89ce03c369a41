package dev.spike.station.dashboard;

import java.time.Instant;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One agent in the agent list. The object stays the same while its properties change (a list cell can bind to
 * them); they change on the UI executor only.
 */
public final class AgentItem {

    private final String agentId;
    private final ReadOnlyBooleanWrapper online = new ReadOnlyBooleanWrapper(this, "online");
    private final ReadOnlyBooleanWrapper simulated = new ReadOnlyBooleanWrapper(this, "simulated");
    private final ReadOnlyStringWrapper version = new ReadOnlyStringWrapper(this, "version", "");
    private final ReadOnlyObjectWrapper<Instant> lastSeen = new ReadOnlyObjectWrapper<>(this, "lastSeen");
    private final ReadOnlyStringWrapper lastSeenText = new ReadOnlyStringWrapper(this, "lastSeenText", "");
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "");

    AgentItem(String agentId) {
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }

    /** Online by its latest status; false when no status arrived yet. */
    public ReadOnlyBooleanProperty onlineProperty() {
        return online.getReadOnlyProperty();
    }

    /** A simulated agent ({@code --simulate}): the simulation panel applies. */
    public ReadOnlyBooleanProperty simulatedProperty() {
        return simulated.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty versionProperty() {
        return version.getReadOnlyProperty();
    }

    /** The newest of the agent's own timestamps (status, state, health, events), or null. */
    public ReadOnlyObjectProperty<Instant> lastSeenProperty() {
        return lastSeen.getReadOnlyProperty();
    }

    /** "12 s ago". */
    public ReadOnlyStringProperty lastSeenTextProperty() {
        return lastSeenText.getReadOnlyProperty();
    }

    /** "online", "offline, last seen 3 h ago", "last known online (station disconnected)". */
    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    void setOnline(boolean value) {
        online.set(value);
    }

    void setSimulated(boolean value) {
        simulated.set(value);
    }

    void setVersion(String value) {
        version.set(value);
    }

    Instant lastSeen() {
        return lastSeen.get();
    }

    void seen(Instant at) {
        if (at != null && (lastSeen.get() == null || at.isAfter(lastSeen.get()))) {
            lastSeen.set(at);
        }
    }

    void setTexts(String lastSeenValue, String statusValue) {
        lastSeenText.set(lastSeenValue);
        statusText.set(statusValue);
    }

    @Override
    public String toString() {
        return agentId;
    }
}
