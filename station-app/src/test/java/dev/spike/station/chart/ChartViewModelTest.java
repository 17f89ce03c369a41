package dev.spike.station.chart;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's data without FX and without a broker: a real store, the fake gateway through the codec. */
class ChartViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private SelectedAgent selected;
    private ChartViewModel vm;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new ChartViewModel(selected, station.feed, TestStation.UI, ZoneId.of("UTC"));
        station.gateway.connect();
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void receive(Event event) {
        station.gateway.receive(Topic.event(event.agentId(), event.type()), event);
    }

    @Test
    void theStoredHistoryIsReadOnSelectionWithItsSpraysAndThreshold() {
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        receive(TestEvents.humidity(1, T0, 74.2));
        receive(TestEvents.temperature(2, T0, 27.35));
        receive(TestEvents.opened(3, T0.plusSeconds(1), 6, SprayReason.LOW_HUMIDITY, null));
        receive(TestEvents.closed(4, T0.plusSeconds(7), 6_003));

        selected.select(AGENT);

        ChartData chart = vm.dataProperty().get();
        assertThat(vm.loadingProperty().get()).isFalse();
        assertThat(chart.humidity().size()).isEqualTo(1);
        assertThat(chart.temperature().valueAt(0)).isEqualTo(27.35);
        assertThat(chart.lowHumidityPct()).isEqualTo(RULES.lowHumidityPct());
        assertThat(chart.sprays()).containsExactly(new SprayBand(T0.plusSeconds(1).toEpochMilli(),
                T0.plusSeconds(7).toEpochMilli(), SprayReason.LOW_HUMIDITY));
        assertThat(vm.fileStemProperty().get()).isEqualTo(AGENT);
    }

    @Test
    void twoSensorsGetTheirOwnLinesFromTheStoreAndLive() {
        receive(new HumidityChanged(AGENT, 1, T0, 75.1, 76.2, 74.7, 74.0, 73.6));
        receive(TestEvents.humidity(2, T0.plusSeconds(5), 75.0)); // an agent before the second sensor
        selected.select(AGENT);
        ChartData chart = vm.dataProperty().get();

        assertThat(chart.hasTwoSensors()).isTrue();
        assertThat(chart.humidity().size()).isEqualTo(2);
        assertThat(chart.sensor1Humidity().valueAt(0)).isEqualTo(76.2);
        assertThat(chart.sensor2Humidity().valueAt(0)).isEqualTo(74.0);

        receive(new HumidityChanged(AGENT, 3, T0.plusSeconds(10), 76.0, 76.0, 75.5, null, null));
        assertThat(chart.sensor1Humidity().size()).isEqualTo(2);
        assertThat(chart.sensor2Humidity().size()).isEqualTo(1); // sensor 2 failed that round
        assertThat(chart.humidity().valueAt(2)).isEqualTo(76.0);
    }

    @Test
    void oneSensorDrawsNoSensorLines() {
        receive(TestEvents.humidity(1, T0, 74.2));
        receive(new HumidityChanged(AGENT, 2, T0.plusSeconds(5), 75.0, 75.0, 73.5, null, null));
        selected.select(AGENT);

        assertThat(vm.dataProperty().get().hasTwoSensors()).isFalse();
    }

    @Test
    void liveReadingsAndSpraysExtendTheChart() {
        selected.select(AGENT);
        ChartData chart = vm.dataProperty().get();

        receive(TestEvents.humidity(1, T0, 74.2));
        receive(TestEvents.humidity(2, T0.plusSeconds(10), 73.9));
        receive(TestEvents.opened(3, T0.plusSeconds(11), 6, SprayReason.MANUAL, "spray-1"));

        assertThat(chart.humidity().size()).isEqualTo(2);
        assertThat(chart.humidity().valueAt(1)).isEqualTo(73.9);
        assertThat(chart.sprays()).containsExactly(SprayBand.planned(T0.plusSeconds(11).toEpochMilli(), 6,
                SprayReason.MANUAL));
    }

    @Test
    void anotherAgentsEventsStayOutAndANewSelectionGetsNewData() {
        selected.select(AGENT);
        ChartData first = vm.dataProperty().get();

        receive(new dev.spike.model.event.HumidityChanged("terrarium-2", 1, T0, 60.0));
        assertThat(first.humidity().size()).isZero();

        selected.select("terrarium-2");
        assertThat(vm.dataProperty().get()).isNotSameAs(first);
        assertThat(vm.dataProperty().get().humidity().size()).isEqualTo(1);
    }

    @Test
    void theThresholdFollowsTheRulesInForce() {
        selected.select(AGENT);
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        Rules wetter = new Rules(80, 6, 10, 6, 3, RULES.eveningTime(), 60, RULES.timeZone(), 30, 10, 60, 95);

        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0.plusSeconds(1), wetter));

        assertThat(vm.dataProperty().get().lowHumidityPct()).isEqualTo(80);
    }

    @Test
    void theChartsNowIsTheAgentsClock() {
        selected.select(AGENT);
        // the agent's clock is three hours ahead of the station's
        receive(TestEvents.humidity(1, T0.plus(Duration.ofHours(3)), 74.2));

        assertThat(vm.clock().instant()).isEqualTo(T0.plus(Duration.ofHours(3)));
        station.clock.advance(Duration.ofSeconds(5));
        assertThat(vm.clock().instant()).isEqualTo(T0.plus(Duration.ofHours(3)).plusSeconds(5));
    }

    @Test
    void theThresholdStepsWithTheProgramInForce() {
        selected.select(AGENT);
        Rules dayNight = RULES.withProgram(Program.of(
                new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, null)));

        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, dayNight));

        ChartData chart = vm.dataProperty().get();
        long midnight = Instant.parse("2026-05-31T00:00:00Z").toEpochMilli();
        assertThat(chart.thresholdAt(midnight)).isEqualTo(85);
        assertThat(chart.thresholdAt(midnight + Duration.ofHours(12).toMillis())).isEqualTo(75);
        assertThat(chart.thresholdSteps(midnight, midnight + Duration.ofHours(24).toMillis())[1])
                .containsExactly(85, 75, 85, 85);

        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0.plusSeconds(1), RULES));
        assertThat(chart.program()).isEqualTo(Program.NONE);
        assertThat(chart.thresholdSteps(midnight, midnight + 1000)[0]).isEmpty();
    }
}
