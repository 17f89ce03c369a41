package dev.spike.station.dashboard;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.agents.AgentClock;
import dev.spike.station.agents.Presence;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.log.EventTexts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The dashboard of the selected agent: current humidity and temperature with their age, the valve with its
 * countdown, the mode, the last and the next spray, the agent's health, its clock when it differs from the
 * station's, and above all the {@link Situation}.
 *
 * <p>Everything comes from the {@link SelectedAgent}'s snapshot: the agent's retained state (authoritative,
 * republished on every change), newer events where they say more (a {@code valve_opened} starts the countdown at
 * once), its config, status and health, and the station's connection. Ages and countdowns are on the agent's clock
 * ({@link AgentClock}); whether it is online, offline or stale is the snapshot's {@link Presence}. The snapshot is
 * renewed at least once a second, so ages move.
 *
 * <p>All properties change on the UI thread only (the snapshot's). Texts are "–" when there is nothing to show.
 */
public final class DashboardViewModel {

    public static final String NONE = "–";

    private final EventTexts texts;
    private final SelectedAgent agent;

    // The selected agent's snapshot, taken at each refresh; UI thread only.
    private ConnectionState connection;
    private Status status;
    private AgentState state;
    private Health health;
    private ConfigSnapshot config;
    private Instant lastSeen;
    private Map<EventType, Event> latest = Map.of();

    private final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId");
    private final ReadOnlyObjectWrapper<Situation> situation =
            new ReadOnlyObjectWrapper<>(this, "situation", Situation.NO_AGENT);
    private final ReadOnlyStringWrapper situationText = new ReadOnlyStringWrapper(this, "situationText", "");
    private final ReadOnlyBooleanWrapper online = new ReadOnlyBooleanWrapper(this, "online");
    private final ReadOnlyBooleanWrapper simulated = new ReadOnlyBooleanWrapper(this, "simulated");
    private final ReadOnlyStringWrapper versionText = new ReadOnlyStringWrapper(this, "versionText", NONE);
    private final ReadOnlyObjectWrapper<Double> humidity = new ReadOnlyObjectWrapper<>(this, "humidity");
    private final ReadOnlyStringWrapper humidityText = new ReadOnlyStringWrapper(this, "humidityText", NONE);
    private final ReadOnlyObjectWrapper<Double> temperature = new ReadOnlyObjectWrapper<>(this, "temperature");
    private final ReadOnlyStringWrapper temperatureText = new ReadOnlyStringWrapper(this, "temperatureText", NONE);
    private final ReadOnlyObjectWrapper<Instant> readingAt = new ReadOnlyObjectWrapper<>(this, "readingAt");
    private final ReadOnlyStringWrapper readingAgeText = new ReadOnlyStringWrapper(this, "readingAgeText", NONE);
    private final ReadOnlyBooleanWrapper readingStale = new ReadOnlyBooleanWrapper(this, "readingStale");
    private final ReadOnlyBooleanWrapper valveOpen = new ReadOnlyBooleanWrapper(this, "valveOpen");
    private final ReadOnlyIntegerWrapper valveRemainingS = new ReadOnlyIntegerWrapper(this, "valveRemainingS");
    private final ReadOnlyStringWrapper valveText = new ReadOnlyStringWrapper(this, "valveText", NONE);
    private final ReadOnlyObjectWrapper<Mode> mode = new ReadOnlyObjectWrapper<>(this, "mode");
    private final ReadOnlyStringWrapper modeText = new ReadOnlyStringWrapper(this, "modeText", NONE);
    private final ReadOnlyStringWrapper lastSprayText = new ReadOnlyStringWrapper(this, "lastSprayText", NONE);
    private final ReadOnlyStringWrapper nextSprayText = new ReadOnlyStringWrapper(this, "nextSprayText", NONE);
    private final ReadOnlyStringWrapper cooldownText = new ReadOnlyStringWrapper(this, "cooldownText", NONE);
    private final ReadOnlyStringWrapper cpuTemperatureText =
            new ReadOnlyStringWrapper(this, "cpuTemperatureText", NONE);
    private final ReadOnlyStringWrapper uptimeText = new ReadOnlyStringWrapper(this, "uptimeText", NONE);
    private final ReadOnlyStringWrapper diskFreeText = new ReadOnlyStringWrapper(this, "diskFreeText", NONE);
    private final ReadOnlyStringWrapper heapText = new ReadOnlyStringWrapper(this, "heapText", NONE);
    private final ReadOnlyStringWrapper healthAgeText = new ReadOnlyStringWrapper(this, "healthAgeText", NONE);
    private final ReadOnlyStringWrapper storeErrorText = new ReadOnlyStringWrapper(this, "storeErrorText", "");
    private final ReadOnlyStringWrapper clockText = new ReadOnlyStringWrapper(this, "clockText", "");
    private final ReadOnlyObjectWrapper<Rules> rules = new ReadOnlyObjectWrapper<>(this, "rules");

    /**
     * @param agent the selected agent: everything shown comes from its snapshot, ages on its clock
     * @param texts the station's texts
     */
    public DashboardViewModel(SelectedAgent agent, EventTexts texts) {
        this.agent = agent;
        this.texts = texts;
        agent.snapshotProperty().addListener((observable, old, now) -> show(now));
        show(agent.snapshot());
    }

    private void show(SelectedAgent.Snapshot now) {
        connection = now.connection();
        status = now.status();
        state = now.state();
        health = now.health();
        config = now.config();
        lastSeen = now.lastSeen();
        latest = now.latest();
        agentId.set(now.agentId());
        rules.set(config == null ? null : config.rules());
        online.set(now.online());
        simulated.set(now.simulated());
        versionText.set(status == null ? NONE : status.version());
        Instant at = now.agentNow();
        showReadings(now, at);
        showValve(at);
        showMode();
        showSprays(at);
        showHealth(at);
        showSituation(now, at);
        showClock(now);
    }

    private void showReadings(SelectedAgent.Snapshot snapshot, Instant now) {
        Double h = state == null ? null : state.humidityPct();
        Double t = state == null ? null : state.temperatureC();
        Instant at = state == null ? null : state.readingAt();
        Instant hAt = at;
        Instant tAt = at;
        Event humidityEvent = latest.get(EventType.HUMIDITY_CHANGED);
        if (humidityEvent != null && (hAt == null || humidityEvent.at().isAfter(hAt))) {
            h = ((HumidityChanged) humidityEvent).humidityPct();
            hAt = humidityEvent.at();
        }
        Event temperatureEvent = latest.get(EventType.TEMPERATURE_CHANGED);
        if (temperatureEvent != null && (tAt == null || temperatureEvent.at().isAfter(tAt))) {
            t = ((TemperatureChanged) temperatureEvent).temperatureC();
            tAt = temperatureEvent.at();
        }
        Instant newest = hAt == null ? tAt : tAt == null || hAt.isAfter(tAt) ? hAt : tAt;
        humidity.set(h);
        temperature.set(t);
        humidityText.set(h == null ? NONE : EventTexts.percent(h));
        temperatureText.set(t == null ? NONE : EventTexts.celsius(t));
        readingAt.set(newest);
        readingAgeText.set(newest == null ? "no reading yet" : EventTexts.ago(newest, now));
        readingStale.set(agentId.get() != null && Presence.stale(newest, snapshot.readIntervalS(), now));
    }

    private void showValve(Instant now) {
        // The newest word on the valve wins: the state, or a valve event after it.
        Instant infoAt = state == null ? null : state.at();
        boolean open = state != null && state.valveOpen();
        Instant closeAt = state == null ? null : state.valveCloseAt();
        Event opened = latest.get(EventType.VALVE_OPENED);
        Event closed = latest.get(EventType.VALVE_CLOSED);
        if (opened != null && (infoAt == null || !opened.at().isBefore(infoAt))) {
            infoAt = opened.at();
            open = true;
            closeAt = opened.at().plusSeconds(((ValveOpened) opened).durationS());
        }
        if (closed != null && (infoAt == null || !closed.at().isBefore(infoAt))
                && (opened == null || closed.seq() > opened.seq())) {
            open = false;
            closeAt = null;
        }
        valveOpen.set(open);
        if (agentId.get() == null || (state == null && opened == null && closed == null)) {
            valveRemainingS.set(0);
            valveText.set(NONE);
        } else if (open) {
            long remainingMs = closeAt == null ? 0 : Math.max(0, Duration.between(now, closeAt).toMillis());
            int remaining = (int) ((remainingMs + 999) / 1000);
            valveRemainingS.set(remaining);
            valveText.set(closeAt == null ? "open" : remaining > 0 ? "open, " + remaining + " s left"
                    : "open, closing");
        } else {
            valveRemainingS.set(0);
            valveText.set("closed");
        }
    }

    private void showMode() {
        Mode current = state == null ? null : state.mode();
        Event changed = latest.get(EventType.MODE_CHANGED);
        if (changed != null && (state == null || changed.at().isAfter(state.at()))) {
            current = ((ModeChanged) changed).mode();
        }
        mode.set(current);
        if (current == null) {
            modeText.set(NONE);
        } else if (current == Mode.SENSOR_DOWN) {
            modeText.set(config == null ? "sensor down: fallback sprays"
                    : "sensor down: spraying " + config.rules().sprayDurationS() + " s every "
                            + config.rules().sensorDownSprayEveryH() + " h");
        } else {
            modeText.set("normal");
        }
    }

    private void showSprays(Instant now) {
        Instant lastAt = state == null ? null : state.lastSprayAt();
        SprayReason lastReason = state == null ? null : state.lastSprayReason();
        Integer lastDuration = null;
        Event opened = latest.get(EventType.VALVE_OPENED);
        if (opened != null && (lastAt == null || !opened.at().isBefore(lastAt))) {
            lastAt = opened.at();
            lastReason = ((ValveOpened) opened).reason();
            lastDuration = ((ValveOpened) opened).durationS();
        }
        lastSprayText.set(lastAt == null ? "never" : texts.clockTime(lastAt, now) + " (" + EventTexts.ago(lastAt, now)
                + ")" + (lastReason == null ? "" : ", " + EventTexts.reasonName(lastReason))
                + (lastDuration == null ? "" : ", " + lastDuration + " s"));

        Instant nextAt = state == null ? null : state.nextSprayAt();
        if (nextAt == null) {
            nextSprayText.set(state == null ? NONE : "none planned");
        } else {
            SprayReason reason = state.nextSprayReason();
            String what = reason == SprayReason.EVENING ? "evening spray"
                    : reason == SprayReason.SENSOR_DOWN ? "sensor-down fallback spray"
                    : reason == null ? "spray" : EventTexts.reasonName(reason) + " spray";
            nextSprayText.set(what + " at " + texts.clockTime(nextAt, now) + " (" + EventTexts.until(nextAt, now)
                    + ")");
        }
        Instant cooldown = state == null ? null : state.cooldownUntil();
        if (state == null) {
            cooldownText.set(NONE);
        } else if (cooldown == null || !cooldown.isAfter(now)) {
            cooldownText.set("no cooldown");
        } else {
            cooldownText.set("no automatic spray before " + texts.clockTime(cooldown, now) + " ("
                    + EventTexts.until(cooldown, now) + ")");
        }
    }

    private void showHealth(Instant now) {
        if (health == null) {
            cpuTemperatureText.set(NONE);
            uptimeText.set(NONE);
            diskFreeText.set(NONE);
            heapText.set(NONE);
            healthAgeText.set(NONE);
            storeErrorText.set("");
            return;
        }
        cpuTemperatureText.set(health.cpuTemperatureC() == null ? NONE
                : EventTexts.celsius(health.cpuTemperatureC()));
        uptimeText.set(EventTexts.age(Duration.ofSeconds(health.uptimeS())));
        diskFreeText.set(EventTexts.bytes(health.diskFreeBytes()) + " free");
        heapText.set(EventTexts.bytes(health.heapUsedBytes()) + " of " + EventTexts.bytes(health.heapMaxBytes()));
        healthAgeText.set("updated " + EventTexts.ago(health.at(), now));
        storeErrorText.set(health.storeError() == null ? "" : "agent store error: " + health.storeError());
    }

    private void showSituation(SelectedAgent.Snapshot snapshot, Instant now) {
        String agent = agentId.get();
        switch (snapshot.presence()) {
            case NO_AGENT:
                situation.set(Situation.NO_AGENT);
                situationText.set("No agent selected");
                return;
            case STATION_DISCONNECTED:
                situation.set(Situation.STATION_DISCONNECTED);
                situationText.set("Station " + (connection == null ? "disconnected" : connection.text())
                        + (lastSeen == null ? "" : "; last heard from " + agent + " " + EventTexts.ago(lastSeen, now)));
                return;
            case OFFLINE:
                situation.set(Situation.AGENT_OFFLINE);
                situationText.set(agent + " is offline" + (lastSeen == null ? ""
                        : "; last seen " + texts.clockTime(lastSeen, now) + " (" + EventTexts.ago(lastSeen, now)
                                + ")"));
                return;
            default:
                break;
        }
        if (mode.get() == Mode.SENSOR_DOWN) {
            situation.set(Situation.SENSOR_DOWN);
            situationText.set("Sensor down on " + agent + ": " + modeText.get());
        } else if (snapshot.presence() == Presence.STALE) {
            situation.set(Situation.READING_STALE);
            situationText.set(readingAt.get() == null ? "No reading from " + agent + " yet"
                    : "No reading from " + agent + " for " + EventTexts.age(Duration.between(readingAt.get(), now))
                            + " (expected every " + snapshot.readIntervalS() + " s)");
        } else {
            situation.set(Situation.ALL_FINE);
            situationText.set("All fine");
        }
    }

    /** The agent's clock against the station's, when they differ by more than a minute. */
    private void showClock(SelectedAgent.Snapshot snapshot) {
        Duration skew = snapshot.skew();
        if (snapshot.agentId() == null || skew.abs().compareTo(AgentClock.NOTABLE_SKEW) <= 0) {
            clockText.set("");
            return;
        }
        // to the nearest minute: the estimate is the skew less a delivery delay
        String amount = EventTexts.age(Duration.ofMinutes(Math.round(skew.abs().toSeconds() / 60.0)));
        clockText.set((snapshot.simulated() ? "simulated clock " : "agent clock ") + amount
                + (skew.isNegative() ? " behind" : " ahead of") + " this computer's; times shown are the agent's");
    }

    /** "agent clock 3 h 12 min ahead of this computer's; ...", or "" while they agree within a minute. */
    public ReadOnlyStringProperty clockTextProperty() {
        return clockText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Situation> situationProperty() {
        return situation.getReadOnlyProperty();
    }

    /** "All fine", "terrarium-1 is offline; last seen 14:02 (12 min ago)", "Sensor down on ...". */
    public ReadOnlyStringProperty situationTextProperty() {
        return situationText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty onlineProperty() {
        return online.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty simulatedProperty() {
        return simulated.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty versionTextProperty() {
        return versionText.getReadOnlyProperty();
    }

    /** %RH, or null when unknown. */
    public ReadOnlyObjectProperty<Double> humidityProperty() {
        return humidity.getReadOnlyProperty();
    }

    /** "72.4 %". */
    public ReadOnlyStringProperty humidityTextProperty() {
        return humidityText.getReadOnlyProperty();
    }

    /** °C, or null when unknown. */
    public ReadOnlyObjectProperty<Double> temperatureProperty() {
        return temperature.getReadOnlyProperty();
    }

    /** "27.4 °C". */
    public ReadOnlyStringProperty temperatureTextProperty() {
        return temperatureText.getReadOnlyProperty();
    }

    /** When the shown reading was taken (agent clock), or null. */
    public ReadOnlyObjectProperty<Instant> readingAtProperty() {
        return readingAt.getReadOnlyProperty();
    }

    /** "23 s ago", "no reading yet". */
    public ReadOnlyStringProperty readingAgeTextProperty() {
        return readingAgeText.getReadOnlyProperty();
    }

    /** Older than 3 read intervals (or none at all): grey the values out. */
    public ReadOnlyBooleanProperty readingStaleProperty() {
        return readingStale.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty valveOpenProperty() {
        return valveOpen.getReadOnlyProperty();
    }

    /** Seconds until the open valve closes; 0 while closed. */
    public ReadOnlyIntegerProperty valveRemainingSProperty() {
        return valveRemainingS.getReadOnlyProperty();
    }

    /** "closed", "open, 4 s left". */
    public ReadOnlyStringProperty valveTextProperty() {
        return valveText.getReadOnlyProperty();
    }

    /** Normal or sensor down; null when unknown. */
    public ReadOnlyObjectProperty<Mode> modeProperty() {
        return mode.getReadOnlyProperty();
    }

    /** "normal", "sensor down: spraying 6 s every 6 h". */
    public ReadOnlyStringProperty modeTextProperty() {
        return modeText.getReadOnlyProperty();
    }

    /** "14:02 (12 min ago), low humidity, 6 s", "never". */
    public ReadOnlyStringProperty lastSprayTextProperty() {
        return lastSprayText.getReadOnlyProperty();
    }

    /** "evening spray at 20:00 (in 5 h 58 min)", "none planned". */
    public ReadOnlyStringProperty nextSprayTextProperty() {
        return nextSprayText.getReadOnlyProperty();
    }

    /** "no automatic spray before 14:12 (in 8 min)", "no cooldown". */
    public ReadOnlyStringProperty cooldownTextProperty() {
        return cooldownText.getReadOnlyProperty();
    }

    /** "48.3 °C". */
    public ReadOnlyStringProperty cpuTemperatureTextProperty() {
        return cpuTemperatureText.getReadOnlyProperty();
    }

    /** "1 d 2 h". */
    public ReadOnlyStringProperty uptimeTextProperty() {
        return uptimeText.getReadOnlyProperty();
    }

    /** "25.8 GB free". */
    public ReadOnlyStringProperty diskFreeTextProperty() {
        return diskFreeText.getReadOnlyProperty();
    }

    /** "21 MB of 67 MB". */
    public ReadOnlyStringProperty heapTextProperty() {
        return heapText.getReadOnlyProperty();
    }

    /** "updated 40 s ago". */
    public ReadOnlyStringProperty healthAgeTextProperty() {
        return healthAgeText.getReadOnlyProperty();
    }

    /** The agent's own store error ("agent store error: disk full"), empty while it works. */
    public ReadOnlyStringProperty storeErrorTextProperty() {
        return storeErrorText.getReadOnlyProperty();
    }

    /** The rules in force on the agent (e.g. the chart's threshold line), or null. */
    public ReadOnlyObjectProperty<Rules> rulesProperty() {
        return rules.getReadOnlyProperty();
    }
}
