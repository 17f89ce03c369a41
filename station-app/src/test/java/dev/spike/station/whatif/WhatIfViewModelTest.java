package dev.spike.station.whatif;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.WaterChange;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhatIfViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private SelectedAgent selected;
    private final SimpleObjectProperty<Rules> edited = new SimpleObjectProperty<>(RULES);
    private WhatIfViewModel vm;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new WhatIfViewModel(selected, station.feed, edited, TestStation.UI, Runnable::run);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        selected.select(AGENT);
    }

    @AfterEach
    void close() {
        station.close();
    }

    /**
     * Two days before T0 (18:00 UTC): the agent started, then read 77 % every 10 s; the rules in force (below 75 %)
     * never sprayed for it, only each evening at 20:00.
     */
    private void recordTwoDaysAt77() {
        Instant start = T0.minus(Duration.ofDays(2));
        List<Event> events = new ArrayList<>();
        events.add(new ConfigApplied(AGENT, 1, start, RULES));
        events.add(new AgentStarted(AGENT, 2, start, "test"));
        List<Instant> evenings = List.of(Instant.parse("2026-04-29T20:00:00Z"), Instant.parse("2026-04-30T20:00:00Z"));
        for (int i = 1; i <= 2 * 8_640; i++) {
            Instant at = start.plusSeconds(i * 10L);
            events.add(TestEvents.humidity(events.size() + 1, at, 77));
            if (evenings.contains(at)) {
                events.add(TestEvents.opened(events.size() + 1, at, 6, SprayReason.EVENING, null));
            }
        }
        station.store.append(events);
    }

    private String row(String label, boolean proposed) {
        return vm.rows().stream().filter(r -> r.label().equals(label)).findFirst()
                .map(r -> proposed ? r.proposed() : r.current()).orElseThrow();
    }

    @Test
    void aHigherThresholdSpraysOncePerCooldownOverTheRecordedReadings() {
        recordTwoDaysAt77();
        edited.set(RULES.withLowHumidityPct(80));
        vm.periodProperty().set(WhatIfViewModel.Period.DAY_1);

        vm.preview();

        // the last day, 18:00 to 18:00: the evening spray only
        assertThat(row("Sprays", false)).isEqualTo("1");
        assertThat(row("   evening", false)).isEqualTo("1");
        // every 10 min: 144 a day, less the evening's, which the low-humidity sprays always come within 60 min of
        assertThat(row("   low humidity", true)).isEqualTo("144");
        assertThat(row("   evening", true)).isEqualTo("0");
        assertThat(row("Skipped sprays", true)).isEqualTo("145");
        assertThat(row("Valve open", true)).isEqualTo("864 s");
        assertThat(row("Sensor-down mode", true)).isEqualTo("0 min");
        assertThat(vm.noteProperty().get()).isEqualTo(WhatIfViewModel.NOTE);
        assertThat(vm.statusProperty().get()).startsWith("8,640 readings of 1 day replayed in ")
                .contains("The rules in force, replayed, make the same 1 sprays as recorded.");
        assertThat(vm.outcomeProperty().get().faithful()).isTrue();
        assertThat(vm.chartProperty().get().proposedSprays()).hasSize(144);
        assertThat(vm.chartProperty().get().humidity().size()).isEqualTo(8_640);
        assertThat(vm.chartProperty().get().lowHumidityPct()).isEqualTo(80);
        assertThat(vm.runningProperty().get()).isFalse();
    }

    @Test
    void theRealSpraysAreBandsAndTheWeekHoldsThem() {
        recordTwoDaysAt77();
        edited.set(RULES);
        vm.periodProperty().set(WhatIfViewModel.Period.DAYS_7);

        vm.preview();

        assertThat(row("   evening", false)).isEqualTo("2");
        assertThat(vm.chartProperty().get().sprays()).extracting(SprayBand::reason)
                .containsExactly(SprayReason.EVENING, SprayReason.EVENING);
        // the rules in force replayed over their own record: the same two evening sprays
        assertThat(vm.outcomeProperty().get().proposedSprays()).extracting(e -> e.at().toString())
                .containsExactly("2026-04-29T20:00:00Z", "2026-04-30T20:00:00Z");
    }

    @Test
    void aRecordThatLacksReadingsIsSaidToBeApproximate() {
        recordTwoDaysAt77();
        // a spray the rules in force would not make over these readings: at 03:00, at 77 %
        station.store.append(List.of(TestEvents.opened(1_000_000, Instant.parse("2026-04-30T03:00:00Z"), 6,
                SprayReason.LOW_HUMIDITY, null)));
        vm.periodProperty().set(WhatIfViewModel.Period.DAYS_7);

        vm.preview();

        assertThat(vm.outcomeProperty().get().faithful()).isFalse();
        assertThat(vm.statusProperty().get()).contains("make 2 sprays where 3 are recorded")
                .contains("the proposed column is approximate");
    }

    @Test
    void invalidRulesAreNotReplayed() {
        recordTwoDaysAt77();
        edited.set(null);

        vm.preview();

        assertThat(vm.statusProperty().get()).startsWith("Correct the marked fields first");
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.noteProperty().get()).isEmpty();
    }

    @Test
    void anotherAgentClearsThePreview() {
        recordTwoDaysAt77();
        vm.preview();
        assertThat(vm.rows()).isNotEmpty();

        selected.select("terrarium-2");

        assertThat(vm.rows()).isEmpty();
        assertThat(vm.chartProperty().get().humidity().size()).isZero();
    }

    @Test
    void countsWaterAtTheFlowTheRecordShowsOnlyForAnAgentWithATank() {
        List<Event> sprays = List.of(new ValveClosed(AGENT, 10, T0.plusSeconds(6), 6_000),
                new WaterLevel(AGENT, 11, T0.plusSeconds(6), 9.97, 10, WaterChange.SPRAY, 0.03, 30.0),
                new ValveClosed(AGENT, 12, T0.plusSeconds(606), 4_000),
                new WaterLevel(AGENT, 13, T0.plusSeconds(606), 9.95, 10, WaterChange.SPRAY, 0.02, 30.0));

        WhatIfViewModel.Row row = WhatIfViewModel.water(sprays, 30).orElseThrow();

        assertThat(row.current()).isEqualTo("0.05 L"); // as recorded
        assertThat(row.proposed()).isEqualTo("0.15 L"); // 30 s at the recorded 5 ml/s
        assertThat(WhatIfViewModel.water(List.of(sprays.get(0), sprays.get(2)), 30)).isEmpty();
    }
}
