package dev.spike.station.simulation;

import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandState;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.SensorFault;
import dev.spike.model.Status;
import dev.spike.model.TankLevel;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private SimulationViewModel vm;
    private SelectedAgent selected;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new SimulationViewModel(selected, station.gateway, TestStation.UI, station.clock);
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void answer(String id, boolean accepted, String reason) {
        station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                TestEvents.result(1, T0, id, CommandKind.SIM_SET, accepted, reason));
    }

    @Test
    void isOnlyEnabledForASimulatedAgent() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        selected.select(AGENT);

        assertThat(vm.simulatedProperty().get()).isFalse();
        assertThat(vm.enabledProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("terrarium-1 is not simulated: it runs real hardware");
        assertThat(vm.setSensor(SensorFault.CRC)).isFalse();
        assertThat(station.gateway.sent()).isEmpty();

        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        assertThat(vm.enabledProperty().get()).isTrue();
        assertThat(vm.whyNotProperty().get()).isEmpty();
    }

    @Test
    void switchesTheSensorFaultAndShowsItOnceAccepted() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        selected.select(AGENT);

        assertThat(vm.setSensor(SensorFault.CRC)).isTrue();

        List<SimSetCommand> sent = station.gateway.sent(SimSetCommand.class);
        assertThat(sent).singleElement().satisfies(command -> {
            assertThat(command.sensor()).isEqualTo(SensorFault.CRC);
            assertThat(command.tank()).isNull();
        });
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.PENDING);
        assertThat(vm.enabledProperty().get()).isFalse();
        assertThat(vm.sensorProperty().get()).isNull();

        answer(sent.get(0).id(), true, null);

        assertThat(vm.sensorProperty().get()).isEqualTo(SensorFault.CRC);
        assertThat(vm.resultTextProperty().get()).isEqualTo("accepted: sensor crc");
        assertThat(vm.enabledProperty().get()).isTrue();
    }

    @Test
    void emptiesTheTankAndShowsARejection() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        selected.select(AGENT);

        vm.setTank(TankLevel.EMPTY);
        answer(station.gateway.sent(SimSetCommand.class).get(0).id(), false, "not a simulated agent");

        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.REJECTED);
        assertThat(vm.resultTextProperty().get()).isEqualTo("rejected: not a simulated agent");
        assertThat(vm.tankProperty().get()).isNull();
        assertThat(vm.sensorChoices()).containsExactly(SensorFault.OK, SensorFault.NACK, SensorFault.CRC,
                SensorFault.STUCK, SensorFault.ABSENT);
        assertThat(vm.tankChoices()).containsExactly(TankLevel.FULL, TankLevel.EMPTY);
    }

    @Test
    void isDisabledWhileDisconnectedOrOffline() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        selected.select(AGENT);

        station.gateway.dropConnection();
        assertThat(vm.whyNotProperty().get()).isEqualTo("The station is not connected to the broker");

        station.gateway.restoreConnection();
        station.gateway.receive(Topic.status(AGENT), new Status(false, T0, "0.1.0", true));
        assertThat(vm.whyNotProperty().get()).isEqualTo("terrarium-1 is offline");
    }

    @Test
    void saysSoWhenTheAgentDoesNotAnswer() {
        station.gateway.receive(Topic.status(AGENT), TestEvents.onlineSimulated(T0));
        selected.select(AGENT);
        vm.setSensor(SensorFault.ABSENT);

        station.clock.advanceSeconds(10);
        vm.refresh();

        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.NO_ANSWER);
        assertThat(vm.enabledProperty().get()).isTrue();
    }
}
