package dev.spike.station.agents;

import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.Status;
import dev.spike.station.log.EventTexts;
import java.time.Instant;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
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
    private final ReadOnlyStringWrapper summaryText = new ReadOnlyStringWrapper(this, "summaryText", "");
    private final ReadOnlyObjectWrapper<Presence> presence = new ReadOnlyObjectWrapper<>(this, "presence",
            Presence.OFFLINE);
    private final ReadOnlyBooleanWrapper sensorDown = new ReadOnlyBooleanWrapper(this, "sensorDown");
    private final ReadOnlyIntegerWrapper activeAlarms = new ReadOnlyIntegerWrapper(this, "activeAlarms");
    // the latest reading and when it was taken, the mode, the status, the read interval; UI executor only
    private Status status;
    private Instant modeAt;
    private int readIntervalS = Rules.defaults().readIntervalS();
    private Double humidity;
    private Instant humidityAt;
    private Double temperature;
    private Instant temperatureAt;

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

    /**
     * What a list shows under the agent's name: its latest reading ("74.2 % · 27.4 °C") while it is online and the
     * station connected, else the status text.
     */
    public ReadOnlyStringProperty summaryTextProperty() {
        return summaryText.getReadOnlyProperty();
    }

    /** Online, offline or stale, as {@link Presence} decides it. */
    public ReadOnlyObjectProperty<Presence> presenceProperty() {
        return presence.getReadOnlyProperty();
    }

    /** In sensor-down mode. */
    public ReadOnlyBooleanProperty sensorDownProperty() {
        return sensorDown.getReadOnlyProperty();
    }

    /** Alarms raised for it and not cleared. */
    public ReadOnlyIntegerProperty activeAlarmsProperty() {
        return activeAlarms.getReadOnlyProperty();
    }

    void setStatus(Status value) {
        status = value;
        online.set(value.online());
    }

    Status status() {
        return status;
    }

    void setPresence(Presence value) {
        presence.set(value);
    }

    void setActiveAlarms(int count) {
        activeAlarms.set(count);
    }

    void setReadIntervalS(int seconds) {
        readIntervalS = seconds;
    }

    int readIntervalS() {
        return readIntervalS;
    }

    /** The newest reading's time, humidity or temperature, or null. */
    Instant readingAt() {
        if (humidityAt == null) {
            return temperatureAt;
        }
        return temperatureAt == null || humidityAt.isAfter(temperatureAt) ? humidityAt : temperatureAt;
    }

    /** The mode as of {@code at}, unless a newer one is known. */
    void mode(Mode value, Instant at) {
        if (at != null && (modeAt == null || !at.isBefore(modeAt))) {
            modeAt = at;
            sensorDown.set(value == Mode.SENSOR_DOWN);
        }
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

    /** A humidity reading, unless a newer one is known (a retained state may come after the event). */
    void humidity(double value, Instant at) {
        if (at != null && (humidityAt == null || !at.isBefore(humidityAt))) {
            humidity = value;
            humidityAt = at;
        }
    }

    /** A temperature reading, unless a newer one is known. */
    void temperature(double value, Instant at) {
        if (at != null && (temperatureAt == null || !at.isBefore(temperatureAt))) {
            temperature = value;
            temperatureAt = at;
        }
    }

    /** "74.2 % · 27.4 °C", either part alone, or "" before the first reading. */
    String readingText() {
        if (humidity == null) {
            return temperature == null ? "" : EventTexts.celsius(temperature);
        }
        return temperature == null ? EventTexts.percent(humidity)
                : EventTexts.percent(humidity) + " · " + EventTexts.celsius(temperature);
    }

    void setTexts(String lastSeenValue, String statusValue, String summaryValue) {
        lastSeenText.set(lastSeenValue);
        statusText.set(statusValue);
        summaryText.set(summaryValue);
    }

    @Override
    public String toString() {
        return agentId;
    }
}
