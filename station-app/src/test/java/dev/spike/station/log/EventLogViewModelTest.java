package dev.spike.station.log;

import dev.spike.station.agents.SelectedAgent;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.SprayReason;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private EventLogViewModel vm;
    private SelectedAgent selected;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new EventLogViewModel(selected, station.feed, TestStation.UI, new EventTexts(ZoneId.of("UTC")));
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void live(Event event) {
        station.gateway.receive(Topic.event(event.agentId(), event.type()), event);
    }

    private void aSprayEpisode() {
        live(TestEvents.humidity(1, T0, 74.0));
        live(TestEvents.low(2, T0.plusSeconds(10), 72.4, 75));
        live(TestEvents.opened(3, T0.plusSeconds(10), 6, SprayReason.LOW_HUMIDITY, null));
        live(TestEvents.closed(4, T0.plusSeconds(16), 6003));
        live(TestEvents.skipped(5, T0.plusSeconds(120), "cooldown until 18:10"));
        live(TestEvents.sensorError(6, T0.plusSeconds(130), "CRC mismatch on humidity word", 1));
    }

    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (LogEntry entry : vm.entries()) {
            texts.add(entry.text());
        }
        return texts;
    }

    @Test
    void showsEveryEventNewestFirstWithItsReason() {
        aSprayEpisode();

        selected.select(AGENT);

        assertThat(texts()).containsExactly(
                "sensor error: CRC mismatch on humidity word",
                "skipped: cooldown until 18:10",
                "valve closed after 6.0 s",
                "sprayed 6 s: humidity 72.4 % < 75 %",
                "humidity 72.4 % < 75 %",
                "humidity 74.0 %");
        LogEntry spray = vm.entries().get(3);
        assertThat(spray.seq()).isEqualTo(3);
        assertThat(spray.timeText()).isEqualTo("2026-05-01 18:00:10");
        assertThat(spray.typeText()).isEqualTo("valve opened");
        assertThat(vm.moreAvailableProperty().get()).isFalse();
    }

    @Test
    void filtersByTypeAndStillExplainsTheSpray() {
        aSprayEpisode();
        selected.select(AGENT);

        vm.setTypes(Set.of(EventType.VALVE_OPENED, EventType.SENSOR_ERROR));

        assertThat(texts()).containsExactly("sensor error: CRC mismatch on humidity word",
                "sprayed 6 s: humidity 72.4 % < 75 %");
        assertThat(vm.typesProperty().get()).containsExactlyInAnyOrder(EventType.VALVE_OPENED,
                EventType.SENSOR_ERROR);

        vm.setTypes(Set.of());
        assertThat(vm.entries()).hasSize(6);
    }

    @Test
    void searchesWhatThePersonReadsIgnoringCase() {
        aSprayEpisode();
        selected.select(AGENT);

        vm.searchProperty().set("crc");
        assertThat(texts()).containsExactly("sensor error: CRC mismatch on humidity word");

        vm.searchProperty().set("SPRAYED");
        assertThat(texts()).containsExactly("sprayed 6 s: humidity 72.4 % < 75 %");

        vm.searchProperty().set("valve closed");
        assertThat(vm.entries()).extracting(LogEntry::seq).containsExactly(4L);

        vm.searchProperty().set("");
        assertThat(vm.entries()).hasSize(6);
    }

    @Test
    void findsAMatchFarBackInTheHistory() {
        live(TestEvents.sensorError(1, T0, "stuck: raw words unchanged for 30 reads", 1));
        List<Event> readings = new ArrayList<>();
        for (int seq = 2; seq <= 12_000; seq++) {
            readings.add(new HumidityChanged(AGENT, seq, T0.plusSeconds(seq), 70));
        }
        station.store.append(readings);
        selected.select(AGENT);

        vm.searchProperty().set("stuck");

        assertThat(vm.entries()).extracting(LogEntry::seq).containsExactly(1L);
    }

    @Test
    void putsLiveEventsOnTopThatMatchTheFilter() {
        aSprayEpisode();
        selected.select(AGENT);
        vm.setTypes(Set.of(EventType.VALVE_OPENED, EventType.LOW_HUMIDITY));

        live(TestEvents.humidity(7, T0.plusSeconds(600), 71.0));
        live(TestEvents.low(8, T0.plusSeconds(600), 71.0, 75));
        live(TestEvents.opened(9, T0.plusSeconds(600), 6, SprayReason.LOW_HUMIDITY, null));
        live(new HumidityChanged("terrarium-2", 1, T0, 50));

        assertThat(texts()).containsExactly("sprayed 6 s: humidity 71.0 % < 75 %", "humidity 71.0 % < 75 %",
                "sprayed 6 s: humidity 72.4 % < 75 %", "humidity 72.4 % < 75 %");
    }

    @Test
    void pagesBackThroughALongHistory() {
        List<Event> readings = new ArrayList<>();
        for (int seq = 1; seq <= 1_200; seq++) {
            readings.add(new HumidityChanged(AGENT, seq, T0.plusSeconds(seq), 70));
        }
        station.store.append(readings);
        selected.select(AGENT);

        assertThat(vm.entries()).hasSize(EventLogViewModel.PAGE_SIZE);
        assertThat(vm.entries().get(0).seq()).isEqualTo(1_200);
        assertThat(vm.moreAvailableProperty().get()).isTrue();

        vm.loadMore();
        vm.loadMore();

        assertThat(vm.entries()).hasSize(1_200);
        assertThat(vm.entries().get(1_199).seq()).isEqualTo(1);
        assertThat(vm.moreAvailableProperty().get()).isFalse();
        assertThat(vm.loadingProperty().get()).isFalse();
    }

    @Test
    void backfilledEventsTakeTheirPlaceInOrder() {
        live(TestEvents.humidity(1, T0, 74.0));
        live(TestEvents.humidity(4, T0.plusSeconds(30), 73.0));
        selected.select(AGENT);

        station.gateway.receive(Topic.reply(AGENT, station.gateway.stationId()), new HistoryPage("history-1", AGENT,
                List.of(TestEvents.humidity(2, T0.plusSeconds(10), 73.8),
                        TestEvents.humidity(3, T0.plusSeconds(20), 73.5)), true));

        assertThat(vm.entries()).extracting(LogEntry::seq).containsExactly(4L, 3L, 2L, 1L);
    }

    @Test
    void showsNothingWithoutAnAgent() {
        aSprayEpisode();
        selected.select(AGENT);

        selected.select(null);

        assertThat(vm.entries()).isEmpty();
        assertThat(vm.agentIdProperty().get()).isNull();
    }
}
