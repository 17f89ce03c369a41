package dev.spike.station.app;

import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.alarms.AlarmRow;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.app.AlarmsModel.AlarmItem;
import dev.spike.station.app.EventLogModel.LogEntry;
import dev.spike.station.app.EventLogModel.Severity;
import dev.spike.station.chart.ChartData;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.ConnectionViewModel;
import dev.spike.station.control.RulesViewModel;
import dev.spike.station.control.SimulationViewModel;
import dev.spike.station.control.SprayViewModel;
import dev.spike.station.dashboard.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.ReadingPoints;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The station's real ViewModels behind the views' {@link StationModel}: a thin mapping, no state of its own beyond
 * what the views need in their shape (texts, lists of records), kept in step with bindings and listeners on the UI
 * thread. Selecting an agent in the sidebar selects it in every per-agent ViewModel.
 *
 * <p>The chart: until the station has a chart ViewModel, {@link #loadChart} fills the {@link ChartData} here, from
 * the store (30 days of readings and valve events, one query on the feed thread) and then live from the feed.
 */
public final class LiveStation implements StationModel {

    private static final EnumSet<EventType> CHART_EVENTS = EnumSet.of(EventType.HUMIDITY_CHANGED,
            EventType.TEMPERATURE_CHANGED, EventType.VALVE_OPENED, EventType.VALVE_CLOSED);

    private final StationFeed feed;
    private final Executor ui;
    private final Clock clock;
    private final ConnectionViewModel connection;
    private final AgentsViewModel agentsVm;
    private final DashboardViewModel dashboardVm;
    private final SprayViewModel sprayVm;
    private final AlarmsViewModel alarmsVm;
    private final EventLogViewModel logVm;
    private final RulesViewModel rulesVm;
    private final SimulationViewModel simulationVm;

    private final ObservableList<AgentItem> agents = FXCollections.observableArrayList();
    private final ObjectProperty<String> selected = new SimpleObjectProperty<>(this, "selectedAgent");
    private final Alarms alarms = new Alarms();
    private final Log log = new Log();
    // these bind to the ViewModels, so they are made in the constructor, after them
    private final Dashboard dashboard;
    private final RulesPanel rules;
    private final Simulation simulation;
    private int chartLoad;
    /** UI thread only. */
    private boolean mirrorQueued;
    private boolean chartLoaded;
    private final Map<Long, ValveOpened> openValves = new HashMap<>();
    private final Set<dev.spike.station.dashboard.AgentItem> watched =
            Collections.newSetFromMap(new IdentityHashMap<>());

    /** Call on the UI thread, with ViewModels that run their updates on {@code ui}. */
    public LiveStation(StationFeed feed, Executor ui, Clock clock, ConnectionViewModel connection,
                       AgentsViewModel agents, DashboardViewModel dashboard, SprayViewModel spray,
                       AlarmsViewModel alarms, EventLogViewModel log, RulesViewModel rules,
                       SimulationViewModel simulation) {
        this.feed = feed;
        this.ui = ui;
        this.clock = clock;
        this.connection = connection;
        this.agentsVm = agents;
        this.dashboardVm = dashboard;
        this.sprayVm = spray;
        this.alarmsVm = alarms;
        this.logVm = log;
        this.rulesVm = rules;
        this.simulationVm = simulation;
        this.dashboard = new Dashboard();
        this.rules = new RulesPanel();
        this.simulation = new Simulation();

        agents.agents().addListener((ListChangeListener<dev.spike.station.dashboard.AgentItem>) c -> mirrorAgents());
        alarms.alarms().addListener((ListChangeListener<AlarmRow>) c -> mirrorAlarms());
        log.entries().addListener(this::mirrorLog);
        mirrorAgents();
        mirrorAlarms();
        this.log.list.setAll(entries(log.entries()));

        selected.addListener((o, was, now) -> select(now));
        agents.selectedAgentIdProperty().addListener((o, was, now) -> selected.set(now));
        selected.set(agents.selectedAgentIdProperty().get());
        dashboard.rulesProperty().addListener((o, was, now) -> showThreshold(now));
        dashboard.modeProperty().addListener(o -> mirrorAgents());
        feed.addListener(updates -> ui.execute(() -> onFeed(updates)));
    }

    /** Ages, countdowns and timeouts: every ViewModel's {@code refresh}, once a second from the app's timer. */
    public void refresh() {
        agentsVm.refresh();
        dashboardVm.refresh();
        sprayVm.refresh();
        alarmsVm.refresh();
        rulesVm.refresh();
        simulationVm.refresh();
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
        return connection.stateProperty();
    }

    @Override
    public ReadOnlyIntegerProperty unacknowledgedAlarmsProperty() {
        return alarmsVm.unacknowledgedCountProperty();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ConnectionViewModel connectionSettings() {
        return connection;
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

    private void select(String agentId) {
        if (agentId != null && !agentId.equals(agentsVm.selectedAgentIdProperty().get())) {
            agentsVm.select(agentId);
        }
        dashboardVm.select(agentId);
        sprayVm.select(agentId);
        logVm.select(agentId);
        rulesVm.select(agentId);
        simulationVm.select(agentId);
        loadChart(agentId);
    }

    // --- sidebar

    private void mirrorAgents() {
        // counted once, not once per agent
        Map<String, Integer> activeAlarms = new HashMap<>();
        for (AlarmRow row : alarmsVm.alarms()) {
            if (row.active()) {
                activeAlarms.merge(row.agentId(), 1, Integer::sum);
            }
        }
        List<AgentItem> items = new ArrayList<>();
        for (dev.spike.station.dashboard.AgentItem agent : agentsVm.agents()) {
            // the ViewModel keeps each agent's object and changes its properties: follow them, one row each
            if (watched.add(agent)) {
                agent.onlineProperty().addListener(o -> mirrorAgentsLater());
                agent.simulatedProperty().addListener(o -> mirrorAgentsLater());
                agent.summaryTextProperty().addListener(o -> mirrorAgentsLater());
            }
            AgentItem item = item(agent, activeAlarms.getOrDefault(agent.agentId(), 0));
            // an unchanged row keeps its object, so the list view has nothing to redraw there
            AgentItem before = items.size() < agents.size() ? agents.get(items.size()) : null;
            items.add(item.equals(before) ? before : item);
        }
        if (!items.equals(agents)) {
            agents.setAll(items);
        }
    }

    /**
     * The sidebar follows every agent's texts, and its summary changes with every reading. Mirroring the whole list
     * for each change went quadratic with many agents (made-up ones included) and the UI thread fell behind for good;
     * now the changes of one UI turn share one mirror, queued after them, in which unchanged rows stay as they are.
     */
    private void mirrorAgentsLater() {
        if (!mirrorQueued) {
            mirrorQueued = true;
            ui.execute(() -> {
                mirrorQueued = false;
                mirrorAgents();
            });
        }
    }

    private AgentItem item(dev.spike.station.dashboard.AgentItem agent, int active) {
        boolean sensorDown = agent.agentId().equals(selected.get())
                && dashboardVm.modeProperty().get() == Mode.SENSOR_DOWN;
        return new AgentItem(agent.agentId(), agent.onlineProperty().get(), agent.simulatedProperty().get(),
                sensorDown, active, agent.summaryTextProperty().get());
    }

    // --- alarms and log

    private void mirrorAlarms() {
        List<AlarmItem> items = new ArrayList<>();
        for (AlarmRow row : alarmsVm.alarms()) {
            items.add(new AlarmItem(row.id(), row.agentId(), row.severity().name().toLowerCase(Locale.ROOT),
                    row.sourceText(), row.message(), row.raisedText(), row.active(), row.clearedText(),
                    row.acknowledged(), row.acknowledgedText()));
        }
        alarms.list.setAll(items);
        mirrorAgents();
    }

    /**
     * Applies each change of the log's rows to the mirror, row for row. Rebuilding all of them (up to
     * {@link EventLogViewModel#MAX_ROWS}) for every live event made each event cost the whole list, on the FX thread
     * and in the table.
     */
    private void mirrorLog(ListChangeListener.Change<? extends dev.spike.station.log.LogEntry> change) {
        while (change.next()) {
            if (change.wasPermutated()) {
                log.list.setAll(entries(logVm.entries()));
                return;
            }
            if (change.wasRemoved()) {
                log.list.remove(change.getFrom(), change.getFrom() + change.getRemovedSize());
            }
            if (change.wasAdded()) {
                log.list.addAll(change.getFrom(), entries(change.getAddedSubList()));
            }
        }
    }

    private List<LogEntry> entries(List<? extends dev.spike.station.log.LogEntry> rows) {
        String agent = logVm.agentIdProperty().get();
        List<LogEntry> entries = new ArrayList<>(rows.size());
        for (dev.spike.station.log.LogEntry entry : rows) {
            entries.add(new LogEntry(entry.at(), agent == null ? "" : agent, entry.typeText(), entry.text(),
                    severity(entry.type())));
        }
        return entries;
    }

    private static Severity severity(EventType type) {
        switch (type) {
            case HUMIDITY_ALARM:
            case SENSOR_ERROR:
                return Severity.ERROR;
            case SPRAY_SKIPPED:
            case MODE_CHANGED:
            case COMMAND_RESULT:
                return Severity.WARNING;
            default:
                return Severity.INFO;
        }
    }

    // --- chart (until the station has a chart ViewModel)

    private void loadChart(String agentId) {
        int mine = ++chartLoad;
        chartLoaded = false;
        openValves.clear();
        ChartData data = new ChartData();
        showThresholdOn(data, dashboardVm.rulesProperty().get());
        dashboard.chartData.set(data);
        if (agentId == null) {
            return;
        }
        Instant to = clock.instant().plus(StationStore.FULL_RESOLUTION);
        Instant from = clock.instant().minus(StationStore.FULL_RESOLUTION);
        feed.read(store -> new ChartSnapshot(
                store.readings(agentId, EventType.HUMIDITY_CHANGED, from, to),
                store.readings(agentId, EventType.TEMPERATURE_CHANGED, from, to),
                store.events(agentId, EventQuery.newest(EventQuery.MAX_LIMIT)
                        .withTypes(EnumSet.of(EventType.VALVE_OPENED, EventType.VALVE_CLOSED)).between(from, to))))
                .thenAcceptAsync(snapshot -> {
                    if (mine != chartLoad) {
                        return;
                    }
                    data.update(() -> {
                        append(data, snapshot.humidity(), true);
                        append(data, snapshot.temperature(), false);
                        List<Event> valves = new ArrayList<>(snapshot.valves());
                        valves.sort(Comparator.comparingLong(Event::seq));
                        for (Event event : valves) {
                            addValve(data, event);
                        }
                    });
                    chartLoaded = true;
                }, ui);
    }

    private record ChartSnapshot(ReadingPoints humidity, ReadingPoints temperature, List<Event> valves) {
    }

    private static void append(ChartData data, ReadingPoints points, boolean humidity) {
        for (int i = 0; i < points.size(); i++) {
            if (humidity) {
                data.humidity().append(points.timesMs()[i], points.values()[i]);
            } else {
                data.temperature().append(points.timesMs()[i], points.values()[i]);
            }
        }
        data.changed();
    }

    private void onFeed(List<FeedUpdate> updates) {
        String agentId = selected.get();
        ChartData data = dashboard.chartData.get();
        if (!chartLoaded || agentId == null || data == null) {
            // not loaded yet: whatever was stored before the snapshot query is in it
            return;
        }
        for (FeedUpdate update : updates) {
            if (!(update instanceof FeedUpdate.EventsAdded) || !update.agentId().equals(agentId)) {
                continue;
            }
            FeedUpdate.EventsAdded added = (FeedUpdate.EventsAdded) update;
            if (added.backfilled() && added.events().stream().anyMatch(e -> CHART_EVENTS.contains(type(e)))) {
                // missed history filled in behind the live end: read it again in order
                loadChart(agentId);
                return;
            }
            data.update(() -> {
                for (Event event : added.events()) {
                    addLive(data, event);
                }
            });
        }
    }

    private void addLive(ChartData data, Event event) {
        long at = event.at().toEpochMilli();
        try {
            if (event instanceof HumidityChanged) {
                data.appendHumidity(at, ((HumidityChanged) event).humidityPct());
            } else if (event instanceof TemperatureChanged) {
                data.appendTemperature(at, ((TemperatureChanged) event).temperatureC());
            } else {
                addValve(data, event);
            }
        } catch (IllegalArgumentException e) {
            // a reading older than the newest shown (agent clock stepped back): the next reload has it in order
        }
    }

    private void addValve(ChartData data, Event event) {
        if (event instanceof ValveOpened) {
            ValveOpened opened = (ValveOpened) event;
            openValves.put(opened.seq(), opened);
            data.addSpray(SprayBand.planned(opened.at().toEpochMilli(), opened.durationS(), opened.reason()));
        } else if (event instanceof ValveClosed) {
            ValveClosed closed = (ValveClosed) event;
            ValveOpened opened = null;
            for (ValveOpened candidate : openValves.values()) {
                if (candidate.seq() < closed.seq() && (opened == null || candidate.seq() > opened.seq())) {
                    opened = candidate;
                }
            }
            if (opened != null) {
                openValves.remove(opened.seq());
                long start = opened.at().toEpochMilli();
                data.addSpray(new SprayBand(start, Math.max(start, closed.at().toEpochMilli()), opened.reason()));
            }
        }
    }

    private static EventType type(Event event) {
        if (event instanceof HumidityChanged) {
            return EventType.HUMIDITY_CHANGED;
        }
        if (event instanceof TemperatureChanged) {
            return EventType.TEMPERATURE_CHANGED;
        }
        if (event instanceof ValveOpened) {
            return EventType.VALVE_OPENED;
        }
        if (event instanceof ValveClosed) {
            return EventType.VALVE_CLOSED;
        }
        return EventType.AGENT_STARTED;
    }

    private void showThreshold(Rules rules) {
        ChartData data = dashboard.chartData.get();
        if (data != null) {
            showThresholdOn(data, rules);
        }
    }

    private static void showThresholdOn(ChartData data, Rules rules) {
        data.setLowHumidityPct(rules == null ? Double.NaN : rules.lowHumidityPct());
    }

    // --- the views' models

    private static String capitalized(String text) {
        return text == null || text.isEmpty() ? "" : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static ObservableValue<String> number(ReadOnlyObjectProperty<Double> value) {
        return Bindings.createStringBinding(() -> value.get() == null ? "—"
                : String.format(Locale.ROOT, "%.1f", value.get()), value);
    }

    private final class Dashboard implements DashboardModel {
        final ReadOnlyStringWrapper humidity = new ReadOnlyStringWrapper(this, "humidity");
        final ReadOnlyStringWrapper temperature = new ReadOnlyStringWrapper(this, "temperature");
        final ReadOnlyStringWrapper valve = new ReadOnlyStringWrapper(this, "valve");
        final ReadOnlyStringWrapper mode = new ReadOnlyStringWrapper(this, "mode");
        final ReadOnlyBooleanWrapper sensorDown = new ReadOnlyBooleanWrapper(this, "sensorDown");
        final ReadOnlyBooleanWrapper stale = new ReadOnlyBooleanWrapper(this, "stale");
        final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper(this, "health");
        final ReadOnlyBooleanWrapper healthProblem = new ReadOnlyBooleanWrapper(this, "healthProblem");
        final ReadOnlyObjectWrapper<ChartData> chartData = new ReadOnlyObjectWrapper<>(this, "chartData");

        Dashboard() {
            humidity.bind(number(dashboardVm.humidityProperty()));
            temperature.bind(number(dashboardVm.temperatureProperty()));
            valve.bind(Bindings.createStringBinding(() -> capitalized(dashboardVm.valveTextProperty().get()),
                    dashboardVm.valveTextProperty()));
            mode.bind(Bindings.createStringBinding(() -> capitalized(dashboardVm.modeTextProperty().get()),
                    dashboardVm.modeTextProperty()));
            sensorDown.bind(Bindings.createBooleanBinding(() -> dashboardVm.modeProperty().get() == Mode.SENSOR_DOWN,
                    dashboardVm.modeProperty()));
            stale.bind(dashboardVm.readingStaleProperty().or(dashboardVm.onlineProperty().not()).or(sensorDown));
            healthProblem.bind(dashboardVm.storeErrorTextProperty().isNotEmpty());
            health.bind(Bindings.createStringBinding(() -> {
                if (!dashboardVm.storeErrorTextProperty().get().isEmpty()) {
                    return dashboardVm.storeErrorTextProperty().get();
                }
                return "up " + dashboardVm.uptimeTextProperty().get() + " · CPU "
                        + dashboardVm.cpuTemperatureTextProperty().get() + "\n"
                        + dashboardVm.healthAgeTextProperty().get();
            }, dashboardVm.storeErrorTextProperty(), dashboardVm.uptimeTextProperty(),
                    dashboardVm.cpuTemperatureTextProperty(), dashboardVm.healthAgeTextProperty()));
        }

        @Override
        public ReadOnlyStringProperty agentIdProperty() {
            return dashboardVm.agentIdProperty();
        }

        @Override
        public ReadOnlyBooleanProperty onlineProperty() {
            return dashboardVm.onlineProperty();
        }

        @Override
        public ReadOnlyBooleanProperty simulatedProperty() {
            return dashboardVm.simulatedProperty();
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
            return dashboardVm.readingAgeTextProperty();
        }

        @Override
        public ReadOnlyBooleanProperty staleProperty() {
            return stale.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyBooleanProperty valveOpenProperty() {
            return dashboardVm.valveOpenProperty();
        }

        @Override
        public ReadOnlyStringProperty valveProperty() {
            return valve.getReadOnlyProperty();
        }

        @Override
        public ReadOnlyStringProperty cooldownProperty() {
            return dashboardVm.cooldownTextProperty();
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
            return dashboardVm.lastSprayTextProperty();
        }

        @Override
        public ReadOnlyStringProperty nextSprayProperty() {
            return dashboardVm.nextSprayTextProperty();
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
            return sprayVm.canSprayProperty();
        }

        @Override
        public ReadOnlyIntegerProperty sprayDurationSProperty() {
            return sprayVm.durationSProperty();
        }

        @Override
        public ReadOnlyIntegerProperty maxSprayDurationSProperty() {
            return sprayVm.maxDurationSProperty();
        }

        @Override
        public void spray(int durationS) {
            sprayVm.durationSProperty().set(durationS);
            sprayVm.spray();
        }

        @Override
        public ReadOnlyObjectProperty<ChartData> chartDataProperty() {
            return chartData.getReadOnlyProperty();
        }
    }

    private final class Alarms implements AlarmsModel {
        final ObservableList<AlarmItem> list = FXCollections.observableArrayList();

        @Override
        public ObservableList<AlarmItem> alarms() {
            return list;
        }

        @Override
        public void acknowledge(AlarmItem alarm) {
            alarmsVm.acknowledge(alarm.id());
        }

        @Override
        public void acknowledgeAll() {
            alarmsVm.acknowledgeAll();
        }
    }

    private final class Log implements EventLogModel {
        final ObservableList<LogEntry> list = FXCollections.observableArrayList();

        @Override
        public ObservableList<LogEntry> entries() {
            return list;
        }

        @Override
        public StringProperty filterProperty() {
            return logVm.searchProperty();
        }
    }

    private final class RulesPanel implements RulesModel {
        final ReadOnlyBooleanWrapper canApply = new ReadOnlyBooleanWrapper(this, "canApply");
        final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");

        RulesPanel() {
            // the editor may always try: the ViewModel refuses (and says why) when it cannot send
            canApply.bind(rulesVm.rulesInForceProperty().isNotNull());
            status.bind(Bindings.createStringBinding(() -> rulesVm.resultTextProperty().get().isEmpty()
                    ? rulesVm.whyNotProperty().get() : rulesVm.resultTextProperty().get(),
                    rulesVm.resultTextProperty(), rulesVm.whyNotProperty()));
        }

        @Override
        public ReadOnlyObjectProperty<Rules> rulesProperty() {
            return rulesVm.rulesInForceProperty();
        }

        @Override
        public ReadOnlyBooleanProperty canApplyProperty() {
            return canApply.getReadOnlyProperty();
        }

        @Override
        public void apply(Rules edited) {
            text("lowHumidityPct", plain(edited.lowHumidityPct()));
            text("sprayDurationS", Integer.toString(edited.sprayDurationS()));
            text("minIntervalMin", Integer.toString(edited.minIntervalMin()));
            text("sensorDownSprayEveryH", Integer.toString(edited.sensorDownSprayEveryH()));
            text("sensorDownAfterFailures", Integer.toString(edited.sensorDownAfterFailures()));
            text("eveningTime", edited.eveningTime().toString());
            text("eveningSkipIfSprayedWithinMin", Integer.toString(edited.eveningSkipIfSprayedWithinMin()));
            text("timeZone", edited.timeZone().getId());
            text("maxSprayS", Integer.toString(edited.maxSprayS()));
            text("readIntervalS", Integer.toString(edited.readIntervalS()));
            text("alarmLowPct", plain(edited.alarmLowPct()));
            text("alarmHighPct", plain(edited.alarmHighPct()));
            rulesVm.apply();
        }

        private void text(String field, String value) {
            rulesVm.field(field).textProperty().set(value);
        }

        @Override
        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private final class Simulation implements SimulationModel {
        final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status");

        Simulation() {
            status.bind(Bindings.createStringBinding(() -> simulationVm.resultTextProperty().get().isEmpty()
                    ? simulationVm.whyNotProperty().get() : simulationVm.resultTextProperty().get(),
                    simulationVm.resultTextProperty(), simulationVm.whyNotProperty()));
        }

        @Override
        public ReadOnlyBooleanProperty availableProperty() {
            return simulationVm.simulatedProperty();
        }

        @Override
        public void setSensor(SensorFault fault) {
            simulationVm.setSensor(fault);
        }

        @Override
        public void setTank(TankLevel level) {
            simulationVm.setTank(level);
        }

        @Override
        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }
    }
}
