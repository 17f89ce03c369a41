package dev.spike.station.chart;

import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.ReadingPoints;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chart of the selected agent: its readings, sprays (a band each, from {@code valve_opened} to
 * {@code valve_closed}) and spray threshold, as one {@link ChartData}. On selection one query reads the last 30 days
 * from the store (on the feed thread), then the feed's live events extend it; backfilled history behind the live end
 * makes it read again, in order. The chart's "now" is the agent's clock ({@link #clock()}), so a simulated agent at
 * x60 and an agent whose clock is off end their line at "now".
 *
 * <p>Properties and the data change on the UI executor only.
 */
public final class ChartViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(ChartViewModel.class);
    private static final EnumSet<EventType> CHART_EVENTS = EnumSet.of(EventType.HUMIDITY_CHANGED,
            EventType.TEMPERATURE_CHANGED, EventType.VALVE_OPENED, EventType.VALVE_CLOSED);

    private final SelectedAgent agent;
    private final StationFeed feed;
    private final Executor ui;
    private final Clock agentClock;

    private final ReadOnlyObjectWrapper<ChartData> data = new ReadOnlyObjectWrapper<>(this, "data", new ChartData());
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper fileStem = new ReadOnlyStringWrapper(this, "fileStem", "spike");

    // UI thread only.
    private int load;
    private boolean loaded;
    /** Backfilled history arrived while the query ran: it may have missed it, so read again after. */
    private boolean readAgain;
    private final Map<Long, ValveOpened> openValves = new HashMap<>();

    /**
     * @param agent the selected agent
     * @param feed  the store's history and live events
     * @param ui    {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     */
    public ChartViewModel(SelectedAgent agent, StationFeed feed, Executor ui, ZoneId zone) {
        this.agent = agent;
        this.feed = feed;
        this.ui = ui;
        this.agentClock = new AgentClockView(agent, zone);
        agent.onSelect(this::reload);
        agent.snapshotProperty().addListener((o, was, now) -> showThreshold(now.rules()));
        feed.addListener(updates -> ui.execute(() -> onFeed(updates)));
        reload(agent.agentId());
    }

    /** The agent's clock, for the chart's "now". */
    public Clock clock() {
        return agentClock;
    }

    /** The selected agent's chart data; a new object for each selection. */
    public ReadOnlyObjectProperty<ChartData> dataProperty() {
        return data.getReadOnlyProperty();
    }

    /** The history is being read from the store. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The start of exported file names: the agent's id. */
    public ReadOnlyStringProperty fileStemProperty() {
        return fileStem.getReadOnlyProperty();
    }

    private void reload(String agentId) {
        int mine = ++load;
        loaded = false;
        readAgain = false;
        openValves.clear();
        ChartData fresh = new ChartData();
        showThresholdOn(fresh, agent.snapshot() == null || agentId == null ? null : agent.snapshot().rules());
        data.set(fresh);
        fileStem.set(agentId == null ? "spike" : agentId);
        if (agentId == null) {
            loading.set(false);
            return;
        }
        loading.set(true);
        Instant now = agentClock.instant();
        Instant to = now.plus(StationStore.FULL_RESOLUTION);
        Instant from = now.minus(StationStore.FULL_RESOLUTION);
        feed.read(store -> new History(
                store.readings(agentId, EventType.HUMIDITY_CHANGED, from, to),
                store.readings(agentId, EventType.TEMPERATURE_CHANGED, from, to),
                store.humidityBySensor(agentId, from, to),
                store.events(agentId, EventQuery.newest(EventQuery.MAX_LIMIT)
                        .withTypes(EnumSet.of(EventType.VALVE_OPENED, EventType.VALVE_CLOSED)).between(from, to))))
                .thenAcceptAsync(history -> {
                    if (mine != load) {
                        return;
                    }
                    fresh.update(() -> {
                        append(fresh, history.humidity(), true);
                        append(fresh, history.temperature(), false);
                        for (HumidityChanged reading : history.bySensor()) {
                            appendSensors(fresh, reading);
                        }
                        List<Event> valves = new ArrayList<>(history.valves());
                        valves.sort(Comparator.comparingLong(Event::seq));
                        for (Event event : valves) {
                            addValve(fresh, event);
                        }
                    });
                    loaded = true;
                    loading.set(false);
                    if (readAgain) {
                        reload(agentId);
                    }
                }, ui).whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.error("cannot read {}'s chart from the store: {}", agentId, error.toString());
                    }
                });
    }

    private record History(ReadingPoints humidity, ReadingPoints temperature, List<HumidityChanged> bySensor,
            List<Event> valves) {
    }

    /** Each sensor's value of a reading that carries them, on the sensors' own lines. */
    private static void appendSensors(ChartData chart, HumidityChanged reading) {
        long at = reading.at().toEpochMilli();
        if (reading.humidity1Pct() != null) {
            chart.sensor1Humidity().append(at, reading.humidity1Pct());
        }
        if (reading.humidity2Pct() != null) {
            chart.sensor2Humidity().append(at, reading.humidity2Pct());
        }
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
        String agentId = agent.agentId();
        ChartData chart = data.get();
        if (agentId == null) {
            return;
        }
        if (!loaded) {
            // not loaded yet: whatever was stored before the history query is in it; backfilled pages may not be
            readAgain |= updates.stream().anyMatch(update -> update instanceof FeedUpdate.EventsAdded
                    && update.agentId().equals(agentId) && ((FeedUpdate.EventsAdded) update).backfilled());
            return;
        }
        for (FeedUpdate update : updates) {
            if (!(update instanceof FeedUpdate.EventsAdded) || !update.agentId().equals(agentId)) {
                continue;
            }
            FeedUpdate.EventsAdded added = (FeedUpdate.EventsAdded) update;
            if (added.backfilled() && added.events().stream().anyMatch(e -> CHART_EVENTS.contains(e.type()))) {
                // missed history filled in behind the live end: read it again in order
                reload(agentId);
                return;
            }
            chart.update(() -> {
                for (Event event : added.events()) {
                    addLive(chart, event);
                }
            });
        }
    }

    private void addLive(ChartData chart, Event event) {
        long at = event.at().toEpochMilli();
        try {
            if (event instanceof HumidityChanged) {
                appendSensors(chart, (HumidityChanged) event);
                chart.appendHumidity(at, ((HumidityChanged) event).humidityPct());
            } else if (event instanceof TemperatureChanged) {
                chart.appendTemperature(at, ((TemperatureChanged) event).temperatureC());
            } else {
                addValve(chart, event);
            }
        } catch (IllegalArgumentException e) {
            // a reading older than the newest shown (agent clock stepped back): the next reload has it in order
        }
    }

    private void addValve(ChartData chart, Event event) {
        if (event instanceof ValveOpened) {
            ValveOpened opened = (ValveOpened) event;
            openValves.put(opened.seq(), opened);
            chart.addSpray(SprayBand.planned(opened.at().toEpochMilli(), opened.durationS(), opened.reason()));
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
                chart.addSpray(new SprayBand(start, Math.max(start, closed.at().toEpochMilli()), opened.reason()));
            }
        }
    }

    private void showThreshold(Rules rules) {
        showThresholdOn(data.get(), rules);
    }

    private static void showThresholdOn(ChartData chart, Rules rules) {
        double pct = rules == null ? Double.NaN : rules.lowHumidityPct();
        if (Double.compare(pct, chart.lowHumidityPct()) != 0) {
            chart.setLowHumidityPct(pct);
        }
        // the rules in force now, over the whole window: an older program is not looked up in the history
        chart.setProgram(rules == null ? Program.NONE : rules.program(),
                rules == null ? ZoneOffset.UTC : rules.timeZone());
    }

    /** The selected agent's clock as a {@link Clock}. */
    private static final class AgentClockView extends Clock {
        private final SelectedAgent agent;
        private final ZoneId zone;

        AgentClockView(SelectedAgent agent, ZoneId zone) {
            this.agent = agent;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new AgentClockView(agent, other);
        }

        @Override
        public Instant instant() {
            return agent.agentNow();
        }
    }
}
