package dev.spike.station.spray;

import dev.spike.station.agents.SelectedAgent;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.SprayReason;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SprayViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private AlarmTracker alarms;
    private final List<AlarmRecord> alarmList = new CopyOnWriteArrayList<>();
    private SprayViewModel vm;
    private SelectedAgent selected;
    private long seq = 100;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        alarms = new AlarmTracker(station.feed, station.clock, new EventTexts(ZoneId.of("UTC")));
        alarms.start(station.gateway);
        alarms.addListener(list -> {
            alarmList.clear();
            alarmList.addAll(list);
        });
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new SprayViewModel(selected, station.gateway, alarms, TestStation.UI, station.clock);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        station.gateway.receive(Topic.state(AGENT), TestEvents.state(T0, seq).build());
        selected.select(AGENT);
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void agentSays(Event event) {
        station.gateway.receive(Topic.event(AGENT, event.type()), event);
    }

    private SprayCommand sentSpray() {
        List<SprayCommand> sprays = station.gateway.sent(SprayCommand.class);
        assertThat(sprays).hasSize(1);
        return sprays.get(0);
    }

    @Test
    void offersTheRulesDurationUpToMaxSpray() {
        assertThat(vm.durationSProperty().get()).isEqualTo(6);
        assertThat(vm.maxDurationSProperty().get()).isEqualTo(30);
        assertThat(vm.canSprayProperty().get()).isTrue();
        assertThat(vm.whyNotProperty().get()).isEmpty();
        assertThat(vm.confirmationText()).isEqualTo("Spray terrarium-1 for 6 s now?");

        vm.durationSProperty().set(31);
        assertThat(vm.canSprayProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("The duration must be 1..30 s");
        assertThat(vm.spray()).isFalse();
        assertThat(station.gateway.sent()).isEmpty();
    }

    @Test
    void cannotSprayWhileDisconnectedOfflineOrWithTheValveOpen() {
        station.gateway.dropConnection();
        assertThat(vm.canSprayProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("The station is not connected to the broker");

        station.gateway.restoreConnection();
        station.gateway.receive(Topic.status(AGENT), TestEvents.offline(T0));
        assertThat(vm.whyNotProperty().get()).isEqualTo("terrarium-1 is offline");

        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.state(AGENT), TestEvents.state(T0, seq).valveOpenUntil(T0.plusSeconds(6))
                .build());
        assertThat(vm.whyNotProperty().get()).isEqualTo("The valve is open");

        selected.select(null);
        assertThat(vm.whyNotProperty().get()).isEqualTo("Select an agent first");
    }

    @Test
    void followsASprayFromPendingToDone() {
        vm.durationSProperty().set(10);

        assertThat(vm.spray()).isTrue();

        SprayCommand command = sentSpray();
        assertThat(command.durationS()).isEqualTo(10);
        assertThat(command.id()).startsWith("spray-");
        assertThat(station.gateway.sent().get(0).messageExpiryS()).isEqualTo(30L);
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.PENDING);
        assertThat(vm.progressTextProperty().get()).isEqualTo("sent, waiting for terrarium-1…");
        assertThat(vm.canSprayProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("A spray is under way");

        agentSays(TestEvents.result(++seq, T0, command.id(), CommandKind.SPRAY, true, null));
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.ACCEPTED);

        agentSays(TestEvents.opened(++seq, T0.plusSeconds(1), 10, SprayReason.MANUAL, command.id()));
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.OPEN);
        station.clock.advanceSeconds(4);
        vm.refresh();
        assertThat(vm.remainingSProperty().get()).isEqualTo(7);
        assertThat(vm.progressTextProperty().get()).isEqualTo("spraying, 7 s left");

        agentSays(TestEvents.closed(++seq, T0.plusSeconds(11), 10_004));
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.DONE);
        assertThat(vm.progressTextProperty().get()).isEqualTo("done: sprayed 10.0 s");
        assertThat(vm.canSprayProperty().get()).isTrue();

        station.clock.advanceSeconds(10);
        vm.refresh();
        alarms.tick();
        assertThat(alarmList).isEmpty();
    }

    @Test
    void showsTheAgentsReasonForARejection() {
        vm.spray();

        agentSays(TestEvents.result(++seq, T0, sentSpray().id(), CommandKind.SPRAY, false, "valve already open"));

        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.REJECTED);
        assertThat(vm.progressTextProperty().get()).isEqualTo("rejected: valve already open");
        assertThat(vm.canSprayProperty().get()).isTrue();
    }

    @Test
    void aSprayNotConfirmedWithinFiveSecondsIsFlaggedAndRaisesTheStationAlarm() {
        vm.spray();
        agentSays(TestEvents.result(++seq, T0, sentSpray().id(), CommandKind.SPRAY, true, null));

        station.clock.advance(Duration.ofMillis(4_999));
        vm.refresh();
        alarms.tick();
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.ACCEPTED);
        assertThat(alarmList).isEmpty();

        station.clock.advance(Duration.ofMillis(1));
        vm.refresh();
        alarms.tick();
        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.UNCONFIRMED);
        assertThat(vm.progressTextProperty().get())
                .isEqualTo("not confirmed within 5 s: no valve_opened from terrarium-1 (see the alarms)");
        assertThat(alarmList).singleElement()
                .satisfies(alarm -> assertThat(alarm.key()).isEqualTo("spray_unconfirmed:" + sentSpray().id()));
    }

    @Test
    void aSprayThatCouldNotBeSentFailsAtOnceWithoutAnAlarm() {
        station.gateway.failNextPublish("the broker did not accept the message: connection closed");

        vm.spray();

        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.FAILED);
        assertThat(vm.progressTextProperty().get())
                .isEqualTo("not sent: the broker did not accept the message: connection closed");
        assertThat(vm.canSprayProperty().get()).isTrue();
        station.clock.advanceSeconds(10);
        alarms.tick();
        assertThat(alarmList).isEmpty();
    }

    @Test
    void switchingAgentsForgetsTheSprayOfTheOldOne() {
        vm.spray();

        selected.select("terrarium-2");

        assertThat(vm.progressProperty().get()).isEqualTo(SprayProgress.IDLE);
        assertThat(vm.progressTextProperty().get()).isEmpty();
        assertThat(vm.whyNotProperty().get()).isEqualTo("terrarium-2 is offline");
    }
}
