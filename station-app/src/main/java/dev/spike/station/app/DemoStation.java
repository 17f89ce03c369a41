package dev.spike.station.app;

import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.TankLevel;
import dev.spike.station.app.AlarmsModel.AlarmItem;
import dev.spike.station.app.EventLogModel.LogEntry;
import dev.spike.station.app.EventLogModel.Severity;
import dev.spike.station.chart.ChartData;
import dev.spike.station.chart.ReadingsPlot;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.ConnectionViewModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * A station with three made-up agents and up to 30 days of made-up history, behind the same {@link StationModel}
 * the real ViewModels serve: for trying the window without a broker or an agent ({@code --sample-data}), for
 * screenshots and for the UI tests. The terrarium "physics" is crude on purpose: humidity falls faster under the
 * day lamps, a spray lifts it by about 14 points, and the rules of docs/protocol.md decide when to spray.
 *
 * <p>FX thread only, like every model behind the views. {@link #start()} makes it live (a reading every 10 s,
 * ages and countdowns every second); without it, it stands still at the clock's time, which is what tests want.
 */
public final class DemoStation implements StationModel {

    private static final long STEP_MS = 10_000;
    private static final long DAY_MS = 86_400_000L;

    private final Clock clock;
    private final ZoneId zone;
    private final ObservableList<AgentItem> agents = FXCollections.observableArrayList();
    private final ObjectProperty<String> selected = new SimpleObjectProperty<>(this, "selectedAgent");
    private final ReadOnlyObjectWrapper<ConnectionState> connection =
            new ReadOnlyObjectWrapper<>(this, "connection", ConnectionState.connected("tcp://localhost:1883"));
    private final ReadOnlyIntegerWrapper unacknowledged = new ReadOnlyIntegerWrapper(this, "unacknowledged");
    private final Map<String, Agent> byId = new LinkedHashMap<>();
    private final Dashboard dashboard = new Dashboard();
    private final Alarms alarms = new Alarms();
    private final Log log = new Log();
    private final RulesPanel rules = new RulesPanel();
    private final Simulation simulation = new Simulation();
    private Timeline ticker;

    public DemoStation(Clock clock) {
        this.clock = clock;
        this.zone = ZoneId.systemDefault();
        long now = clock.millis();
        add(new Agent("terrarium-1", false, 30, now, 11));
        add(new Agent("rainforest-2", true, 7, now, 23));
        Agent gecko = new Agent("gecko-3", false, 2, now - 2 * 3_600_000L - 17 * 60_000L, 5);
        gecko.online = false;
        add(gecko);

        Instant at = clock.instant();
        // oldest first: raise() puts each on top
        alarms.raise(new AlarmItem(3, "gecko-3", "critical", "gecko-3", "humidity above 95 % for 60 min",
                TimeTexts.moment(at.minus(Duration.ofDays(1).plusHours(3)), zone), false,
                TimeTexts.moment(at.minus(Duration.ofDays(1)), zone), true, "yesterday by keeper"));
        alarms.raise(new AlarmItem(2, "terrarium-1", "critical", "terrarium-1", "humidity below 60 % for 15 min",
                TimeTexts.moment(at.minus(Duration.ofHours(5)), zone), false,
                TimeTexts.moment(at.minus(Duration.ofHours(4).plusMinutes(38)), zone), false, ""));
        alarms.raise(new AlarmItem(1, "rainforest-2", "critical", "rainforest-2",
                "no effect: humidity did not rise by 2 points within 3 min of a spray; check the tank and the nozzle",
                TimeTexts.moment(at.minus(Duration.ofMinutes(23)), zone), true, "", false, ""));
        log.add(new LogEntry(at.minus(Duration.ofHours(2).plusMinutes(17)), "gecko-3", "status",
                "offline (last will)", Severity.WARNING));
        log.add(new LogEntry(at.minus(Duration.ofMinutes(23)), "rainforest-2", "humidity_alarm",
                "no effect: humidity did not rise after a spray", Severity.ERROR));
        for (Agent agent : byId.values()) {
            refreshItem(agent);
        }
        selected.addListener((o, was, now2) -> showSelected());
        selected.set("terrarium-1");
    }

    /** Live: a reading every 10 s, ages and countdowns every second. */
    public void start() {
        if (ticker == null) {
            ticker = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> tick()));
            ticker.setCycleCount(Animation.INDEFINITE);
        }
        ticker.play();
    }

    public void stop() {
        if (ticker != null) {
            ticker.stop();
        }
    }

    /** Plays the connection states, for looking at the indicator. */
    public void setConnection(ConnectionState state) {
        connection.set(state);
        refreshSelected();
    }

    /** The made-up chart data of an agent, for tests. */
    public ChartData chartData(String agentId) {
        return byId.get(agentId).data;
    }

    @Override
    public ObservableList<AgentItem> agents() {
        return agents;
    }

    @Override
    public ObjectProperty<String> selectedAgentProperty() {
        return selected;
    }

    @Override
    public ReadOnlyObjectProperty<ConnectionState> connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    @Override
    public ReadOnlyIntegerProperty unacknowledgedAlarmsProperty() {
        return unacknowledged.getReadOnlyProperty();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** No broker in the demo. */
    @Override
    public ConnectionViewModel connectionSettings() {
        return null;
    }

    @Override
    public DashboardModel dashboard() {
        return dashboard;
    }

    @Override
    public AlarmsModel alarms() {
        return alarms;
    }

    @Override
    public EventLogModel eventLog() {
        return log;
    }

    @Override
    public RulesModel rules() {
        return rules;
    }

    @Override
    public SimulationModel simulation() {
        return simulation;
    }

    private void add(Agent agent) {
        byId.put(agent.id, agent);
        agents.add(new AgentItem(agent.id, agent.online, agent.simulated, false, 0, ""));
    }

    private void tick() {
        long now = clock.millis();
        for (Agent agent : byId.values()) {
            if (agent.online) {
                agent.advanceTo(now);
            }
            refreshItem(agent);
        }
        refreshSelected();
    }

    private Agent selectedAgent() {
        return selected.get() == null ? null : byId.get(selected.get());
    }

    private void showSelected() {
        Agent agent = selectedAgent();
        dashboard.chartData.set(agent == null ? null : agent.data);
        rules.rules.set(agent == null ? null : agent.rules);
        rules.status.set("");
        simulation.available.set(agent != null && agent.simulated);
        simulation.status.set("");
        refreshSelected();
    }

    private void refreshItem(Agent agent) {
        int active = (int) alarms.list.stream().filter(a -> a.agentId().equals(agent.id) && a.active()).count();
        String summary = agent.online
                ? (agent.sensorDown ? "sensor down"
                        : one(agent.humidity) + "\u00a0% · " + one(agent.temperature) + "\u00a0°C")
                : "offline since " + TimeTexts.clock(Instant.ofEpochMilli(agent.lastReadingMs), zone);
        AgentItem item = new AgentItem(agent.id, agent.online, agent.simulated, agent.sensorDown, active, summary);
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).agentId().equals(agent.id) && !agents.get(i).equals(item)) {
                agents.set(i, item);
            }
        }
    }

    private void refreshSelected() {
        Agent agent = selectedAgent();
        if (agent == null) {
            return;
        }
        long now = clock.millis();
        dashboard.agentId.set(agent.id);
        dashboard.online.set(agent.online);
        dashboard.simulated.set(agent.simulated);
        dashboard.humidity.set(agent.sensorDown ? "—" : one(agent.humidity));
        dashboard.temperature.set(agent.sensorDown ? "—" : one(agent.temperature));
        long ageMs = now - agent.lastReadingMs;
        dashboard.readingAge.set("updated " + age(ageMs) + (agent.online ? "" : " · agent offline"));
        dashboard.stale.set(!agent.online || agent.sensorDown || ageMs > 3 * agent.rules.readIntervalS() * 1000L);
        boolean open = agent.valveOpenUntilMs > now;
        dashboard.valveOpen.set(open);
        dashboard.valve.set(open ? "Open · " + ((agent.valveOpenUntilMs - now + 999) / 1000) + " s left" : "Closed");
        dashboard.cooldown.set(agent.cooldownUntilMs > now
                ? "No automatic spray before " + TimeTexts.clock(Instant.ofEpochMilli(agent.cooldownUntilMs), zone)
                : "Sprays below " + plain(agent.rules.lowHumidityPct()) + "\u00a0%");
        dashboard.mode.set(agent.sensorDown ? "Sensor down" : "Normal");
        dashboard.sensorDown.set(agent.sensorDown);
        dashboard.lastSpray.set(agent.lastSprayMs == 0 ? "never"
                : TimeTexts.clock(Instant.ofEpochMilli(agent.lastSprayMs), zone) + " · "
                + ReadingsPlot.describe(agent.lastSprayReason) + "\n" + age(now - agent.lastSprayMs));
        dashboard.nextSpray.set(TimeTexts.clock(agent.nextEvening(now), zone) + " · evening");
        dashboard.health.set(agent.online
                ? "OK · up " + uptime(now - agent.startedMs) + "\nCPU 48\u00a0°C · load 0.12"
                : "no health report for " + age(ageMs));
        dashboard.healthProblem.set(!agent.online);
        dashboard.sprayDurationS.set(agent.rules.sprayDurationS());
        dashboard.maxSprayS.set(agent.rules.maxSprayS());
        dashboard.canSpray.set(agent.online && connection.get().isConnected() && !open);
    }

    private static String one(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String age(long ms) {
        long s = Math.max(0, ms / 1000);
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 2 * 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min ago";
        }
        return s / 86_400 + " d ago";
    }

    private static String uptime(long ms) {
        long h = ms / 3_600_000L;
        return h >= 24 ? h / 24 + " d " + h % 24 + " h" : h + " h";
    }

    /** One made-up agent: its terrarium, its rules, and the history they produced. */
    private final class Agent {
        final String id;
        final boolean simulated;
        final ChartData data = new ChartData();
        final Random random;
        final long startedMs;
        Rules rules;
        boolean online = true;
        boolean sensorDown;
        double humidity = 82;
        double temperature = 25;
        double boost;
        long lastReadingMs;
        long lastSprayMs;
        SprayReason lastSprayReason;
        long cooldownUntilMs;
        long valveOpenUntilMs;
        long outageFromMs;
        long outageToMs;

        Agent(String id, boolean simulated, int days, long untilMs, long seed) {
            this.id = id;
            this.simulated = simulated;
            this.random = new Random(seed);
            this.rules = Rules.defaults(zone);
            long from = untilMs - days * DAY_MS;
            this.startedMs = untilMs - Math.min(days, 6) * DAY_MS - 4 * 3_600_000L;
            lastReadingMs = from - STEP_MS;
            if (days > 5) {
                // a sensor outage four days ago, to show the gap and the sensor-down sprays
                outageFromMs = untilMs - 4 * DAY_MS + 2 * 3_600_000L;
                outageToMs = outageFromMs + 7 * 3_600_000L;
            }
            data.setLowHumidityPct(rules.lowHumidityPct());
            data.update(() -> advanceTo(untilMs));
            if (days > 5) {
                manualSpray(untilMs - 2 * DAY_MS + 5 * 3_600_000L, 10);
                manualSpray(untilMs - 9 * DAY_MS + 3 * 3_600_000L, 8);
            }
        }

        void advanceTo(long untilMs) {
            for (long t = lastReadingMs + STEP_MS; t <= untilMs; t += STEP_MS) {
                step(t);
            }
        }

        private void step(long t) {
            ZonedDateTime local = Instant.ofEpochMilli(t).atZone(zone);
            double hour = local.getHour() + local.getMinute() / 60.0;
            boolean lamps = hour >= 8 && hour < 20;
            double ambient = lamps ? 50 : 63;
            double tauMs = (lamps ? 2.0 : 5.5) * 3_600_000;
            humidity += (ambient - humidity) * STEP_MS / tauMs;
            if (boost > 0) {
                double lift = Math.min(boost, 1.4);
                humidity = Math.min(99, humidity + lift);
                boost -= lift;
            }
            double target = lamps ? 28.5 : 23.5;
            temperature += (target - temperature) * STEP_MS / (40 * 60_000.0);

            boolean outage = t >= outageFromMs && t < outageToMs;
            if (outage) {
                long every = rules.sensorDownSprayEveryH() * 3_600_000L;
                if (t - lastSprayMs >= every && t - outageFromMs > 30 * 60_000L) {
                    spray(t, rules.sprayDurationS(), SprayReason.SENSOR_DOWN);
                }
                return;
            }
            double shownH = Math.round((humidity + random.nextGaussian() * 0.12) * 10) / 10.0;
            double shownT = Math.round((temperature + random.nextGaussian() * 0.03) * 100) / 100.0;
            data.humidity().append(t, Math.max(0, Math.min(100, shownH)));
            data.temperature().append(t, shownT);
            lastReadingMs = t;
            data.changed();

            LocalTime evening = rules.eveningTime();
            if (local.getHour() == evening.getHour() && local.getMinute() == evening.getMinute()
                    && local.getSecond() < STEP_MS / 1000
                    && t - lastSprayMs > rules.eveningSkipIfSprayedWithinMin() * 60_000L) {
                spray(t, rules.sprayDurationS(), SprayReason.EVENING);
            } else if (humidity < rules.lowHumidityPct() && t >= cooldownUntilMs) {
                spray(t, rules.sprayDurationS(), SprayReason.LOW_HUMIDITY);
            }
        }

        void spray(long t, int seconds, SprayReason reason) {
            data.addSpray(new SprayBand(t, t + seconds * 1000L + random.nextInt(20), reason));
            if (t > clock.millis() - 12 * 3_600_000L) {
                log.add(new LogEntry(Instant.ofEpochMilli(t), id, "valve_opened",
                        seconds + " s, " + ReadingsPlot.describe(reason), Severity.INFO));
            }
            boost += 14 * seconds / 6.0;
            lastSprayMs = t;
            lastSprayReason = reason;
            cooldownUntilMs = t + rules.minIntervalMin() * 60_000L;
            valveOpenUntilMs = t + seconds * 1000L;
        }

        void manualSpray(long t, int seconds) {
            data.addSpray(SprayBand.planned(t, seconds, SprayReason.MANUAL));
        }

        Instant nextEvening(long now) {
            ZonedDateTime local = Instant.ofEpochMilli(now).atZone(zone);
            ZonedDateTime next = local.with(rules.eveningTime());
            if (!next.isAfter(local)) {
                next = next.plusDays(1);
            }
            return next.toInstant();
        }
    }

    private final class Dashboard implements DashboardModel {
        final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId", "");
        final ReadOnlyBooleanWrapper online = new ReadOnlyBooleanWrapper(this, "online");
        final ReadOnlyBooleanWrapper simulated = new ReadOnlyBooleanWrapper(this, "simulated");
        final ReadOnlyStringWrapper humidity = new ReadOnlyStringWrapper(this, "humidity", "—");
        final ReadOnlyStringWrapper temperature = new ReadOnlyStringWrapper(this, "temperature", "—");
        final ReadOnlyStringWrapper readingAge = new ReadOnlyStringWrapper(this, "readingAge", "no reading yet");
        final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
        final ReadOnlyBooleanWrapper valveOpen = new ReadOnlyBooleanWrapper(this, "valveOpen");
        final ReadOnlyStringWrapper valve = new ReadOnlyStringWrapper(this, "valve", "Closed");
        final ReadOnlyStringWrapper cooldown = new ReadOnlyStringWrapper(this, "cooldown", "");
        final ReadOnlyStringWrapper mode = new ReadOnlyStringWrapper(this, "mode", "—");
        final ReadOnlyBooleanWrapper sensorDown = new ReadOnlyBooleanWrapper(this, "sensorDown");
        final ReadOnlyStringWrapper lastSpray = new ReadOnlyStringWrapper(this, "lastSpray", "never");
        final ReadOnlyStringWrapper nextSpray = new ReadOnlyStringWrapper(this, "nextSpray", "none planned");
        final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health", "");
        final ReadOnlyBooleanWrapper healthProblem = new ReadOnlyBooleanWrapper(this, "healthProblem");
        final ReadOnlyBooleanWrapper canSpray = new ReadOnlyBooleanWrapper(this, "canSpray");
        final ReadOnlyIntegerWrapper sprayDurationS = new ReadOnlyIntegerWrapper(this, "sprayDurationS", 6);
        final ReadOnlyIntegerWrapper maxSprayS = new ReadOnlyIntegerWrapper(this, "maxSprayS", 30);
        final ReadOnlyObjectWrapper<ChartData> chartData = new ReadOnlyObjectWrapper<>(this, "chartData");

        @Override
        public ReadOnlyStringProperty agentIdProperty() {
            return agentId.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty onlineProperty() {
            return online.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty simulatedProperty() {
            return simulated.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty humidityProperty() {
            return humidity.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty temperatureProperty() {
            return temperature.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty readingAgeProperty() {
            return readingAge.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty staleProperty() {
            return stale.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty valveOpenProperty() {
            return valveOpen.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty valveProperty() {
            return valve.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty cooldownProperty() {
            return cooldown.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty modeProperty() {
            return mode.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty sensorDownProperty() {
            return sensorDown.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty lastSprayProperty() {
            return lastSpray.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty nextSprayProperty() {
            return nextSpray.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty healthProperty() {
            return health.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty healthProblemProperty() {
            return healthProblem.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty canSprayProperty() {
            return canSpray.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyIntegerProperty sprayDurationSProperty() {
            return sprayDurationS.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyIntegerProperty maxSprayDurationSProperty() {
            return maxSprayS.getReadOnlyProperty();
        }

        @Override
        public void spray(int durationS) {
            Agent agent = selectedAgent();
            if (agent == null || !canSpray.get()) {
                return;
            }
            long now = clock.millis();
            agent.spray(now, durationS, SprayReason.MANUAL);
            refreshSelected();
        }

        @Override
        public ReadOnlyObjectProperty<ChartData> chartDataProperty() {
            return chartData.getReadOnlyProperty();
        }
    }

    private final class Alarms implements AlarmsModel {
        final ObservableList<AlarmItem> list = FXCollections.observableArrayList();

        void raise(AlarmItem alarm) {
            list.add(0, alarm);
            count();
        }

        @Override
        public ObservableList<AlarmItem> alarms() {
            return list;
        }

        @Override
        public void acknowledge(AlarmItem alarm) {
            int index = list.indexOf(alarm);
            if (index >= 0 && !alarm.acknowledged()) {
                list.set(index, alarm.acknowledgedAs(TimeTexts.clock(clock.instant(), zone) + " by "
                        + System.getProperty("user.name", "you")));
                count();
            }
        }

        @Override
        public void acknowledgeAll() {
            for (AlarmItem alarm : list.toArray(new AlarmItem[0])) {
                acknowledge(alarm);
            }
        }

        private void count() {
            unacknowledged.set((int) list.stream().filter(a -> !a.acknowledged()).count());
        }
    }

    private final class Log implements EventLogModel {
        final ObservableList<LogEntry> all = FXCollections.observableArrayList();
        final FilteredList<LogEntry> shown = new FilteredList<>(all);
        final StringProperty filter = new SimpleStringProperty(this, "filter", "");

        Log() {
            filter.addListener((o, was, now) -> {
                String needle = now == null ? "" : now.trim().toLowerCase(Locale.ROOT);
                shown.setPredicate(needle.isEmpty() ? null : e -> (e.agentId() + " " + e.type() + " " + e.detail())
                        .toLowerCase(Locale.ROOT).contains(needle));
            });
        }

        void add(LogEntry entry) {
            int i = 0;
            while (i < all.size() && all.get(i).at().isAfter(entry.at())) {
                i++;
            }
            all.add(i, entry);
        }

        @Override
        public ObservableList<LogEntry> entries() {
            return shown;
        }

        @Override
        public StringProperty filterProperty() {
            return filter;
        }
    }

    private final class RulesPanel implements RulesModel {
        final ReadOnlyObjectWrapper<Rules> rules = new ReadOnlyObjectWrapper<>(this, "rules");
        final ReadOnlyBooleanWrapper canApply = new ReadOnlyBooleanWrapper(this, "canApply", true);
        final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");

        @Override
        public ReadOnlyObjectProperty<Rules> rulesProperty() {
            return rules.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty canApplyProperty() {
            return canApply.getReadOnlyProperty();
        }

        @Override
        public void apply(Rules newRules) {
            Agent agent = selectedAgent();
            if (agent == null) {
                return;
            }
            agent.rules = newRules;
            agent.data.setLowHumidityPct(newRules.lowHumidityPct());
            rules.set(newRules);
            status.set("Applied at " + TimeTexts.clock(clock.instant(), zone) + " (demo: no agent asked)");
            log.add(new LogEntry(clock.instant(), agent.id, "config_applied", "rules replaced", Severity.INFO));
            refreshSelected();
        }

        @Override
        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }
    }

    private final class Simulation implements SimulationModel {
        final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available");
        final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");

        @Override
        public ReadOnlyBooleanProperty availableProperty() {
            return available.getReadOnlyProperty();
        }

        @Override
        public void setSensor(SensorFault fault) {
            Agent agent = selectedAgent();
            if (agent != null) {
                agent.sensorDown = fault != SensorFault.OK;
                status.set("Sensor set to " + fault.wire());
                refreshItem(agent);
                refreshSelected();
            }
        }

        @Override
        public void setTank(TankLevel level) {
            status.set("Tank set to " + level.wire());
        }

        @Override
        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }
    }
}
