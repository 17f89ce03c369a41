package dev.spike.station.agents;

import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.log.EventTexts;
import java.time.ZoneId;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Status;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentsViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private AgentsViewModel vm;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        vm = agents(station);
        station.gateway.connect();
    }

    private static AgentsViewModel agents(TestStation station) {
        AlarmTracker tracker = new AlarmTracker(station.feed, station.clock, new EventTexts(ZoneId.of("UTC")));
        tracker.start(station.gateway);
        return new AgentsViewModel(new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock),
                station.feed, station.gateway, tracker, TestStation.UI, station.clock);
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void status(String agent, Status status) {
        station.gateway.receive(Topic.status(agent), status);
    }

    @Test
    void discoversAgentsFromTheirRetainedStatusSortedById() {
        status("terrarium-2", TestEvents.offline(T0.minusSeconds(3600)));
        status(AGENT, TestEvents.onlineSimulated(T0));

        assertThat(vm.agents()).extracting(AgentItem::agentId).containsExactly(AGENT, "terrarium-2");
        AgentItem first = vm.agents().get(0);
        assertThat(first.onlineProperty().get()).isTrue();
        assertThat(first.simulatedProperty().get()).isTrue();
        assertThat(first.versionProperty().get()).isEqualTo("0.1.0");
        assertThat(first.statusTextProperty().get()).isEqualTo("online");
        assertThat(vm.agents().get(1).statusTextProperty().get()).isEqualTo("offline, last seen 1 h ago");
    }

    @Test
    void selectsTheFirstAgentItHearsOfUntilThePersonChooses() {
        status("terrarium-2", TestEvents.online(T0));
        status(AGENT, TestEvents.online(T0));

        assertThat(vm.selectedAgentIdProperty().get()).isEqualTo("terrarium-2");

        vm.select(AGENT);
        assertThat(vm.selectedAgentProperty().get().agentId()).isEqualTo(AGENT);
    }

    @Test
    void lastSeenFollowsTheAgentsNewestMessageAndTheClock() {
        status(AGENT, TestEvents.online(T0.minusSeconds(100)));
        station.gateway.receive(Topic.health(AGENT), TestEvents.health(T0.minusSeconds(12)));

        AgentItem item = vm.agents().get(0);
        assertThat(item.lastSeenProperty().get()).isEqualTo(T0.minusSeconds(12));
        assertThat(item.lastSeenTextProperty().get()).isEqualTo("12 s ago");

        station.clock.advanceSeconds(60);
        vm.refresh();
        assertThat(item.lastSeenTextProperty().get()).isEqualTo("1 min ago");
    }

    /** The sidebar reads the agent's times on the agent's clock: one that is off by hours reads as one that is not. */
    @ParameterizedTest(name = "agent clock {0} off the station's")
    @ValueSource(strings = {"PT2H", "-PT2H", "PT0S"})
    void agesAndStalenessInTheListAreOnEachAgentsClock(String off) {
        Duration skew = Duration.parse(off);
        status(AGENT, TestEvents.online(T0.plus(skew)));
        // a live event: the station learns the agent's clock from it
        station.gateway.receive(Topic.event(AGENT, EventType.HUMIDITY_CHANGED),
                TestEvents.humidity(1, T0.plus(skew), 74.2));
        AgentItem item = vm.agents().get(0);
        assertThat(item.presenceProperty().get()).isEqualTo(Presence.ONLINE);
        assertThat(item.lastSeenTextProperty().get()).isEqualTo("just now");

        station.clock.advanceSeconds(60);
        vm.refresh();
        assertThat(item.lastSeenTextProperty().get()).isEqualTo("1 min ago");
        assertThat(item.presenceProperty().get()).isEqualTo(Presence.STALE);
        assertThat(item.summaryTextProperty().get()).isEqualTo("online, no reading since 1 min ago");

        status(AGENT, TestEvents.offline(T0.plus(skew).plusSeconds(60)));
        station.clock.advanceSeconds(3600);
        vm.refresh();
        assertThat(item.summaryTextProperty().get()).isEqualTo("offline, last seen 1 h ago");
    }

    @Test
    void saysTheStatusIsOnlyTheLastKnownWhileTheStationIsDisconnected() {
        status(AGENT, TestEvents.online(T0));

        station.gateway.dropConnection();

        assertThat(vm.agents().get(0).statusTextProperty().get())
                .isEqualTo("last known online (station disconnected)");
    }

    @Test
    void summaryShowsTheNewestReadingWhileTheAgentIsOnline() {
        status(AGENT, TestEvents.online(T0));
        station.gateway.receive(Topic.state(AGENT), TestEvents.state(T0, 0).reading(74.2, 27.35, T0).build());
        AgentItem item = vm.agents().get(0);
        assertThat(item.summaryTextProperty().get()).isEqualTo("74.2 % · 27.4 °C");

        station.gateway.receive(Topic.event(AGENT, EventType.HUMIDITY_CHANGED),
                TestEvents.humidity(1, T0.plusSeconds(1), 73.9));
        assertThat(item.summaryTextProperty().get()).isEqualTo("73.9 % · 27.4 °C");

        // a state computed before that reading does not take it back
        station.gateway.receive(Topic.state(AGENT), TestEvents.state(T0, 0).reading(74.2, 27.35, T0).build());
        assertThat(item.summaryTextProperty().get()).isEqualTo("73.9 % · 27.4 °C");

        status(AGENT, TestEvents.offline(T0.plusSeconds(2)));
        assertThat(item.summaryTextProperty().get()).isEqualTo("offline, last seen just now");
    }

    @Test
    void summaryOfAnOnlineAgentWithoutAReadingIsItsStatus() {
        status(AGENT, TestEvents.online(T0));

        assertThat(vm.agents().get(0).summaryTextProperty().get()).isEqualTo("online");
    }

    @Test
    void knowsTheAgentsOfEarlierRunsAtStart() {
        status(AGENT, TestEvents.offline(T0));
        station = station.restart();

        AgentsViewModel restarted = agents(station);

        assertThat(restarted.agents()).extracting(AgentItem::agentId).containsExactly(AGENT);
        assertThat(restarted.agents().get(0).onlineProperty().get()).isFalse();
        assertThat(restarted.selectedAgentIdProperty().get()).isEqualTo(AGENT);
    }
}
