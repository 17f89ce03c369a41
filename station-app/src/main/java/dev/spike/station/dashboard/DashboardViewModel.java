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
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard of the selected agent: current humidity and temperature with their age, the valve with its
 * countdown, the mode, the last and the next spray, the agent's health, and above all the {@link Situation}.
 *
 * <p>Sources: the agent's retained state (authoritative, republished on every change), newer events where they
 * say more (a {@code valve_opened} starts the countdown at once, a reading event is as good as a state), its
 * config (the read interval decides when a reading is stale: after {@value #STALE_INTERVALS} intervals), its
 * status and health, and the station's connection. Time comes from the injected {@link Clock}; the app calls
 * {@link #refresh()} once a second so ages and countdowns move.
 *
 * <p>All properties change on the UI executor only. Texts are "–" when there is nothing to show.
 */
public final class DashboardViewModel {

    /** A reading older than this many read intervals is stale, like the agent's own sensor-down rule. */
    public static final int STALE_INTERVALS = 3;
    static final String NONE = "–";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardViewModel.class);

    private static final List<EventType> LATEST_TYPES = List.of(EventType.HUMIDITY_CHANGED,
            EventType.TEMPERATURE_CHANGED, EventType.VALVE_OPENED, EventType.VALVE_CLOSED, EventType.MODE_CHANGED);

    private record Loaded(AgentSnapshot snapshot, Map<EventType, Event> latest) {
    }

    private final StationFeed feed;
    private final Executor ui;
    private final Clock clock;
    private final EventTexts texts;

    // What is known about the selected agent; UI thread only.
    private ConnectionState connection;
    private Status status;
    private AgentState state;
    private Health health;
    private ConfigSnapshot config;
    private Instant lastSeen;
    private final Map<EventType, Event> latest = new EnumMap<>(EventType.class);
    private int selection;

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
    private final ReadOnlyObjectWrapper<Rules> rules = new ReadOnlyObjectWrapper<>(this, "rules");

    /**
     * @param feed    the station feed
     * @param gateway for the connection state
     * @param ui      {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param clock   the station's clock (its zone is the display zone)
     * @param texts   the station's texts
     */
    public DashboardViewModel(StationFeed feed, MqttGateway gateway, Executor ui, Clock clock, EventTexts texts) {
        this.feed = feed;
        this.ui = ui;
        this.clock = clock;
        this.texts = texts;
        this.connection = gateway.state();
        gateway.addStateListener(next -> ui.execute(() -> {
            connection = next;
            refresh();
        }));
        feed.addListener(updates -> ui.execute(() -> apply(updates)));
        refresh();
    }

    /** Shows this agent (null for none): its stored snapshot at once, live updates after. */
    public void select(String agent) {
        selection++;
        int mine = selection;
        agentId.set(agent);
        status = null;
        state = null;
        health = null;
        config = null;
        lastSeen = null;
        latest.clear();
        refresh();
        if (agent == null) {
            return;
        }
        feed.read(store -> load(store, agent)).thenAcceptAsync(loaded -> {
            if (mine == selection) {
                show(loaded);
            }
        }, ui).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.error("cannot read {} from the store: {}", agent, error.toString());
            }
        });
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
        AgentSnapshot snapshot = loaded.snapshot();
        if (snapshot != null) {
            // Updates that arrived while loading are newer than the snapshot: keep them.
            status = status != null ? status : snapshot.status();
            state = newer(state, snapshot.state());
            health = health != null ? health : snapshot.health();
            config = config != null ? config : snapshot.config();
            seen(snapshot.lastSeen());
        }
        for (Event event : loaded.latest().values()) {
            remember(event);
        }
        refresh();
    }

    private static AgentState newer(AgentState a, AgentState b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.at().isAfter(a.at()) ? a : b;
    }

    private void apply(List<FeedUpdate> updates) {
        String agent = agentId.get();
        if (agent == null) {
            return;
        }
        boolean changed = false;
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
                for (Event event : ((FeedUpdate.EventsAdded) update).events()) {
                    remember(event);
                    seen(event.at());
                }
            }
        }
        if (changed) {
            refresh();
        }
    }

    /** Keeps the newest event of each type the dashboard uses. */
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

    /** Recomputes every property for the clock's now; call once a second. */
    public void refresh() {
        Instant now = clock.instant();
        rules.set(config == null ? null : config.rules());
        online.set(status != null && status.online());
        simulated.set(status != null && status.simulated());
        versionText.set(status == null ? NONE : status.version());
        showReadings(now);
        showValve(now);
        showMode();
        showSprays(now);
        showHealth(now);
        showSituation(now);
    }

    private void showReadings(Instant now) {
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
        readingStale.set(agentId.get() != null && (newest == null || stale(newest, now)));
    }

    private boolean stale(Instant reading, Instant now) {
        return Duration.between(reading, now).compareTo(staleAfter()) > 0;
    }

    private Duration staleAfter() {
        int interval = config == null ? Rules.defaults().readIntervalS() : config.rules().readIntervalS();
        return Duration.ofSeconds((long) interval * STALE_INTERVALS);
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

    private void showSituation(Instant now) {
        String agent = agentId.get();
        if (agent == null) {
            situation.set(Situation.NO_AGENT);
            situationText.set("No agent selected");
        } else if (connection == null || !connection.isConnected()) {
            situation.set(Situation.STATION_DISCONNECTED);
            situationText.set("Station " + (connection == null ? "disconnected" : connection.text())
                    + (lastSeen == null ? "" : "; last heard from " + agent + " " + EventTexts.ago(lastSeen, now)));
        } else if (status == null || !status.online()) {
            situation.set(Situation.AGENT_OFFLINE);
            situationText.set(agent + " is offline" + (lastSeen == null ? ""
                    : "; last seen " + texts.clockTime(lastSeen, now) + " (" + EventTexts.ago(lastSeen, now) + ")"));
        } else if (mode.get() == Mode.SENSOR_DOWN) {
            situation.set(Situation.SENSOR_DOWN);
            situationText.set("Sensor down on " + agent + ": " + modeText.get());
        } else if (readingStale.get()) {
            situation.set(Situation.READING_STALE);
            situationText.set(readingAt.get() == null ? "No reading from " + agent + " yet"
                    : "No reading from " + agent + " for " + EventTexts.age(Duration.between(readingAt.get(), now))
                            + " (expected every " + staleAfter().dividedBy(STALE_INTERVALS).toSeconds() + " s)");
        } else {
            situation.set(Situation.ALL_FINE);
            situationText.set("All fine");
        }
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
