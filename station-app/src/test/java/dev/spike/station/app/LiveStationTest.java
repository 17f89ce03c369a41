package dev.spike.station.app;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.chart.ChartData;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.connection.BrokerSettingsFile;
import dev.spike.station.connection.ConnectionViewModel;
import dev.spike.station.control.RulesViewModel;
import dev.spike.station.control.SimulationViewModel;
import dev.spike.station.control.SprayViewModel;
import dev.spike.station.dashboard.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The views' model over the station's real ViewModels, without FX and without a broker. */
class LiveStationTest {

    @TempDir
    Path dir;

    private TestStation station;
    private LiveStation live;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        EventTexts texts = new EventTexts(station.clock.getZone());
        AlarmTracker tracker = new AlarmTracker(station.feed, station.clock, texts);
        tracker.start(station.gateway);
        live = new LiveStation(station.feed, TestStation.UI, station.clock,
                new ConnectionViewModel(station.gateway, BrokerSettingsFile.inDir(dir), TestStation.UI),
                new AgentsViewModel(station.feed, station.gateway, TestStation.UI, station.clock),
                new DashboardViewModel(station.feed, station.gateway, TestStation.UI, station.clock, texts),
                new SprayViewModel(station.feed, station.gateway, tracker, TestStation.UI, station.clock),
                new AlarmsViewModel(tracker, TestStation.UI, texts, "keeper"),
                new EventLogViewModel(station.feed, TestStation.UI, texts),
                new RulesViewModel(station.feed, station.gateway, TestStation.UI, station.clock),
                new SimulationViewModel(station.feed, station.gateway, TestStation.UI, station.clock));
        station.gateway.connect();
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void receive(Event event) {
        station.gateway.receive(Topic.event(AGENT, event.type()), event);
    }

    @Test
    void anAgentThatAnnouncesItselfAppearsSelectedWithItsReadingsAndSprays() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        receive(TestEvents.humidity(1, T0, 74.2));
        receive(TestEvents.temperature(2, T0, 27.35));
        receive(TestEvents.opened(3, T0.plusSeconds(1), 6, SprayReason.LOW_HUMIDITY, null));
        receive(TestEvents.closed(4, T0.plusSeconds(7), 6_003));
        live.refresh();

        assertThat(live.agents()).extracting(AgentItem::agentId).containsExactly(AGENT);
        assertThat(live.agents().get(0).online()).isTrue();
        assertThat(live.agents().get(0).simulated()).isTrue();
        assertThat(live.selectedAgentProperty().get()).isEqualTo(AGENT);
        assertThat(live.dashboard().humidityProperty().get()).isEqualTo("74.2");
        assertThat(live.simulation().availableProperty().get()).isTrue();

        ChartData chart = live.dashboard().chartDataProperty().get();
        assertThat(chart.humidity().size()).isEqualTo(1);
        assertThat(chart.temperature().valueAt(0)).isEqualTo(27.35);
        assertThat(chart.lowHumidityPct()).isEqualTo(RULES.lowHumidityPct());
        long opened = T0.plusSeconds(1).toEpochMilli();
        assertThat(chart.sprays()).containsExactly(
                new SprayBand(opened, T0.plusSeconds(7).toEpochMilli(), SprayReason.LOW_HUMIDITY));
    }

    @Test
    void oneRefreshOfManyAgentsRebuildsTheSidebarOnce() {
        // a UI thread that runs what was queued when the test says, like Platform.runLater between pulses
        Deque<Runnable> queued = new ArrayDeque<>();
        Executor ui = queued::add;
        EventTexts texts = new EventTexts(station.clock.getZone());
        AlarmTracker tracker = new AlarmTracker(station.feed, station.clock, texts);
        tracker.start(station.gateway);
        LiveStation queuedLive = new LiveStation(station.feed, ui, station.clock,
                new ConnectionViewModel(station.gateway, BrokerSettingsFile.inDir(dir), ui),
                new AgentsViewModel(station.feed, station.gateway, ui, station.clock),
                new DashboardViewModel(station.feed, station.gateway, ui, station.clock, texts),
                new SprayViewModel(station.feed, station.gateway, tracker, ui, station.clock),
                new AlarmsViewModel(tracker, ui, texts, "keeper"),
                new EventLogViewModel(station.feed, ui, texts),
                new RulesViewModel(station.feed, station.gateway, ui, station.clock),
                new SimulationViewModel(station.feed, station.gateway, ui, station.clock));
        for (int i = 0; i < 200; i++) {
            station.gateway.receive(Topic.status("agent-" + i), TestEvents.online(T0));
        }
        runAll(queued);
        assertThat(queuedLive.agents()).hasSize(200);
        List<ListChangeListener.Change<? extends AgentItem>> changes = new ArrayList<>();
        queuedLive.agents().addListener((ListChangeListener<AgentItem>) changes::add);

        // every agent's status text changes at once
        station.gateway.dropConnection();
        runAll(queued);

        assertThat(queuedLive.agents()).allMatch(agent -> agent.summary().contains("station disconnected"));
        assertThat(changes).hasSize(1);
    }

    private static void runAll(Deque<Runnable> queued) {
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
    }

    @Test
    void readingsArrivingLaterExtendTheChart() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        receive(TestEvents.humidity(1, T0, 74.2));
        station.clock.advance(Duration.ofSeconds(10));

        receive(TestEvents.humidity(2, T0.plusSeconds(10), 73.9));

        ChartData chart = live.dashboard().chartDataProperty().get();
        assertThat(chart.humidity().size()).isEqualTo(2);
        assertThat(chart.humidity().valueAt(1)).isEqualTo(73.9);
    }

    @Test
    void theSidebarShowsEachAgentsNewestReadingAndChangesOnlyItsRow() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.status("terrarium-2"), TestEvents.online(T0));
        receive(TestEvents.humidity(1, T0, 74.2));
        receive(TestEvents.temperature(2, T0, 27.35));
        AgentItem other = live.agents().get(1);

        receive(TestEvents.humidity(3, T0.plusSeconds(1), 73.9));

        assertThat(live.agents()).extracting(AgentItem::agentId).containsExactly(AGENT, "terrarium-2");
        assertThat(live.agents().get(0).summary()).isEqualTo("73.9 % · 27.4 °C");
        assertThat(live.agents().get(1)).isSameAs(other);
        assertThat(other.summary()).isEqualTo("online");
    }

    @Test
    void liveEventsJoinTheLogWithoutRebuildingTheRowsAlreadyThere() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        receive(TestEvents.humidity(1, T0, 74.2));
        receive(TestEvents.temperature(2, T0, 27.35));
        List<EventLogModel.LogEntry> before = List.copyOf(live.eventLog().entries());
        assertThat(before).hasSize(2);

        receive(TestEvents.humidity(3, T0.plusSeconds(1), 73.9));

        List<EventLogModel.LogEntry> after = live.eventLog().entries();
        assertThat(after).hasSize(3);
        assertThat(after.get(0).agentId()).isEqualTo(AGENT);
        assertThat(after.get(0).detail()).contains("73.9");
        assertThat(after.get(1)).isSameAs(before.get(0));
        assertThat(after.get(2)).isSameAs(before.get(1));
    }
}
