package dev.spike.station.calibration;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandState;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private SelectedAgent selected;
    private CalibrationViewModel vm;
    private long seq = 10;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new CalibrationViewModel(selected, station.gateway, TestStation.UI);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        selected.select(AGENT);
    }

    @AfterEach
    void close() {
        station.close();
    }

    /** Two sensors: sensor 1 calibrated +1 (raw one lower), sensor 2 as given. */
    private void reading(double raw1, double raw2) {
        station.gateway.receive(Topic.event(AGENT, EventType.HUMIDITY_CHANGED), new HumidityChanged(AGENT, ++seq,
                station.now(), (raw1 + 1 + raw2) / 2, raw1 + 1, raw1, raw2, raw2));
    }

    private void minutes(int count) {
        station.clock.advance(Duration.ofMinutes(count));
        vm.refresh();
    }

    private void answer(String id, boolean accepted, String reason) {
        station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                TestEvents.result(++seq, station.now(), id, CommandKind.CALIBRATION, accepted, reason));
    }

    @Test
    void walksThroughBothSaltTestsOfTheSecondSensorAndSendsTheTwoPoints() {
        reading(70, 71.2);
        assertThat(vm.twoSensorsProperty().get()).isTrue();
        vm.setSensor(2);
        assertThat(vm.liveTextProperty().get()).startsWith("sensor 2 reads 71.2 % raw");

        assertThat(vm.startWaiting()).isTrue();
        minutes(10);
        reading(70, 74.0);
        minutes(20);
        assertThat(vm.stableProperty().get()).isFalse();
        assertThat(vm.waitTextProperty().get()).isEqualTo("waited 30 min; not settled yet: moved 2.8 points, at"
                + " most 0.5 for 30 min is settled");
        assertThat(vm.record()).isFalse();
        minutes(15);
        assertThat(vm.stableProperty().get()).isTrue();
        assertThat(vm.record()).isTrue();
        assertThat(vm.recordedTextProperty().get()).isEqualTo("sodium chloride: 74.0 % raw, magnesium chloride: —");
        assertThat(vm.previewTextProperty().get()).isEqualTo("sensor 2 will read offset +1.3 %RH (one salt)");

        vm.setMethod(CalibrationViewModel.Method.MGCL2);
        vm.startWaiting();
        reading(70, 34.1);
        minutes(31);
        vm.record();
        // (75.3 - 33.1) / (74.0 - 34.1) = 1.0576; 75.3 - 1.0576 * 74.0 = -3.0
        assertThat(vm.previewTextProperty().get()).isEqualTo("sensor 2 will read gain 1.0576, offset -3.0 %RH"
                + " (two salts)");

        assertThat(vm.send()).isTrue();
        List<CalibrationCommand> sent = station.gateway.sent(CalibrationCommand.class);
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.sensorNumber()).isEqualTo(2);
            assertThat(command.rawAtNaClPct()).isEqualTo(74.0);
            assertThat(command.rawAtMgCl2Pct()).isEqualTo(34.1);
            assertThat(command.humidityOffsetPct()).isNull();
        });
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.PENDING);

        answer(sent.get(0).id(), true, null);
        station.gateway.receive(Topic.event(AGENT, EventType.CALIBRATION_APPLIED), new CalibrationApplied(AGENT,
                ++seq, station.now(), 2, 1.0549, -2.76, 0, sent.get(0).id(), false));
        assertThat(vm.resultTextProperty().get()).isEqualTo("accepted: sensor 2 is calibrated");
        assertThat(vm.currentTextProperty().get()).isEqualTo("sensor 2: gain 1.0549, offset -2.8 %RH, +0.0 °C");
        assertThat(vm.recordedTextProperty().get()).isEqualTo("sodium chloride: —, magnesium chloride: —");
    }

    @Test
    void usesSensorOnesRawReadingNotItsCalibratedOne() {
        reading(72.5, 73);
        vm.startWaiting();
        minutes(31);
        vm.record();

        assertThat(vm.recordedTextProperty().get()).startsWith("sodium chloride: 72.5 % raw");
    }

    @Test
    void sendsAPlainOffsetAndShowsARejection() {
        vm.setMethod(CalibrationViewModel.Method.OFFSET);
        vm.setOffsetText("warm");
        assertThat(vm.previewTextProperty().get()).isEqualTo("the offset must be a number such as -1.5, was \"warm\"");
        assertThat(vm.canSendProperty().get()).isFalse();

        vm.setOffsetText("-1,5");
        assertThat(vm.previewTextProperty().get()).isEqualTo("sensor 1 will read offset -1.5 %RH");
        vm.send();
        CalibrationCommand sent = station.gateway.sent(CalibrationCommand.class).get(0);
        assertThat(sent.humidityOffsetPct()).isEqualTo(-1.5);

        answer(sent.id(), false, "this agent has one sensor; a second one needs sensor2.address in its config");
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.REJECTED);
        assertThat(vm.resultTextProperty().get()).startsWith("rejected: this agent has one sensor");
    }

    @Test
    void aResetGoesBackToTheConfigFileAndAnAgentThatDoesNotAnswerIsNamed() {
        vm.reset();
        CalibrationCommand sent = station.gateway.sent(CalibrationCommand.class).get(0);
        assertThat(sent.reset()).isTrue();
        assertThat(vm.enabledProperty().get()).isFalse();

        station.clock.advanceSeconds(10);
        vm.refresh();
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.NO_ANSWER);
        assertThat(vm.enabledProperty().get()).isTrue();
    }

    @Test
    void oneSensorOffersNoChoiceAndChangingSensorDropsTheRecordedPoints() {
        station.gateway.receive(Topic.event(AGENT, EventType.HUMIDITY_CHANGED), TestEvents.humidity(++seq,
                station.now(), 74.1));
        assertThat(vm.twoSensorsProperty().get()).isFalse();
        vm.startWaiting();
        minutes(31);
        vm.record();
        assertThat(vm.recordedTextProperty().get()).startsWith("sodium chloride: 74.1 % raw");

        vm.setSensor(2);
        assertThat(vm.recordedTextProperty().get()).isEqualTo("sodium chloride: —, magnesium chloride: —");
    }
}
