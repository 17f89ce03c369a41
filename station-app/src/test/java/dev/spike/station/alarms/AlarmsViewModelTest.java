package dev.spike.station.alarms;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AlarmRecord.Severity;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlarmsViewModelTest {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("UTC"));

    @TempDir
    Path dir;

    private TestStation station;
    private AlarmTracker tracker;
    private AlarmsViewModel vm;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        start();
    }

    private void start() {
        EventTexts texts = new EventTexts(ZoneId.of("UTC"));
        tracker = new AlarmTracker(station.feed, station.clock, texts);
        tracker.start(station.gateway);
        vm = new AlarmsViewModel(tracker, TestStation.UI, texts, "alice");
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void receive(Object message) {
        Topic topic;
        if (message instanceof Event) {
            topic = Topic.event(AGENT, ((Event) message).type());
        } else if (message instanceof Status) {
            topic = Topic.status(AGENT);
        } else if (message instanceof AgentState) {
            topic = Topic.state(AGENT);
        } else if (message instanceof ConfigSnapshot) {
            topic = Topic.config(AGENT);
        } else {
            throw new IllegalArgumentException(message.toString());
        }
        station.gateway.receive(topic, message);
    }

    private void tick(long seconds) {
        station.clock.advanceSeconds(seconds);
        vm.refresh();
    }

    private AlarmRow only() {
        assertThat(vm.alarms()).hasSize(1);
        return vm.alarms().get(0);
    }

    @Test
    void raisesAndClearsTheAgentsHumidityAlarm() {
        receive(TestEvents.alarm(11, T0, AlarmKind.LOW, "humidity below 60 % for 15 min"));

        AlarmRow raised = only();
        assertThat(raised.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(raised.sourceText()).isEqualTo(AGENT);
        assertThat(raised.message()).isEqualTo("low humidity on terrarium-1: humidity below 60 % for 15 min");
        assertThat(raised.raisedText()).isEqualTo("2026-05-01 18:00:00");
        assertThat(raised.active()).isTrue();
        assertThat(vm.unacknowledgedCountProperty().get()).isEqualTo(1);
        assertThat(vm.activeCountProperty().get()).isEqualTo(1);
        assertThat(vm.worstUnacknowledgedProperty().get()).isEqualTo(Severity.CRITICAL);

        receive(TestEvents.alarmCleared(12, T0.plusSeconds(300), AlarmKind.LOW));

        AlarmRow cleared = only();
        assertThat(cleared.active()).isFalse();
        assertThat(cleared.clearedText()).isEqualTo("2026-05-01 18:05:00");
        // cleared, but nobody saw it yet
        assertThat(vm.unacknowledgedCountProperty().get()).isEqualTo(1);
        assertThat(vm.activeCountProperty().get()).isZero();
    }

    @Test
    void acknowledgingRecordsWhoAndWhen() {
        receive(TestEvents.alarm(11, T0, AlarmKind.HIGH, "humidity above 95 % for 60 min"));
        station.clock.advanceSeconds(90);

        vm.acknowledge(only());

        assertThat(only().acknowledged()).isTrue();
        assertThat(only().acknowledgedText()).isEqualTo("2026-05-01 18:01:30 by alice");
        assertThat(only().severity()).isEqualTo(Severity.WARNING);
        assertThat(only().active()).isTrue();
        assertThat(vm.unacknowledgedCountProperty().get()).isZero();
        assertThat(vm.worstUnacknowledgedProperty().get()).isNull();
    }

    @Test
    void alarmsAndTheirAcknowledgementSurviveARestart() {
        receive(TestEvents.alarm(11, T0, AlarmKind.NO_EFFECT, "humidity did not rise after a spray"));
        receive(TestEvents.sensorError(12, T0, "CRC mismatch on humidity word", 1));
        vm.acknowledge(vm.alarms().get(1));

        station = station.restart();
        start();

        assertThat(vm.alarms()).hasSize(2);
        assertThat(vm.unacknowledgedCountProperty().get()).isEqualTo(1);
        assertThat(vm.activeCountProperty().get()).isEqualTo(2);
        // still active after the restart: its clear is matched with the stored alarm
        station.gateway.connect();
        receive(TestEvents.alarmCleared(13, T0.plusSeconds(60), AlarmKind.NO_EFFECT));
        assertThat(vm.activeCountProperty().get()).isEqualTo(1);
    }

    @Test
    void aSensorErrorClearsWithTheNextGoodReading() {
        receive(TestEvents.sensorError(12, T0, "CRC mismatch on humidity word", 1));
        receive(TestEvents.sensorError(13, T0.plusSeconds(10), "no acknowledge from 0x44", 2));

        assertThat(only().message())
                .isEqualTo("sensor error on terrarium-1: no acknowledge from 0x44 (2 failures in a row)");
        assertThat(only().severity()).isEqualTo(Severity.WARNING);

        receive(TestEvents.state(T0.plusSeconds(20), 14).reading(74, 27, T0.plusSeconds(20)).build());

        assertThat(only().active()).isFalse();
        assertThat(only().clearedText()).isEqualTo("2026-05-01 18:00:20");

        receive(TestEvents.sensorError(15, T0.plusSeconds(30), "CRC mismatch on humidity word", 1));
        assertThat(vm.alarms()).hasSize(2);
        receive(TestEvents.recovered(16, T0.plusSeconds(40), 10));
        assertThat(vm.activeCountProperty().get()).isZero();
    }

    @Test
    void anAgentOfflineForTwoMinutesRaisesACriticalAlarmUntilItIsBack() {
        receive(TestEvents.online(T0));
        receive(TestEvents.offline(T0));

        tick(119);
        assertThat(vm.alarms()).isEmpty();

        tick(1);
        AlarmRow offline = only();
        assertThat(offline.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(offline.sourceText()).isEqualTo("station");
        assertThat(offline.message()).startsWith("terrarium-1 is offline since 18:00");

        receive(TestEvents.online(T0.plusSeconds(200)));
        assertThat(only().active()).isFalse();
    }

    @Test
    void noOfflineAlarmWhileTheStationItselfIsDisconnected() {
        receive(TestEvents.offline(T0));
        station.gateway.dropConnection();

        tick(600);

        assertThat(vm.alarms()).isEmpty();
    }

    @Test
    void noReadingForThreeReadIntervalsRaisesAWarningThatAFreshReadingClears() {
        receive(TestEvents.online(T0));
        receive(TestEvents.config(T0, RULES.withReadIntervalS(10)));
        receive(TestEvents.state(T0, 1).reading(74, 27, T0).build());

        tick(30);
        assertThat(vm.alarms()).isEmpty();
        tick(1);
        assertThat(only().message()).isEqualTo("no reading from terrarium-1 since 18:00 (expected every 10 s)");
        assertThat(only().severity()).isEqualTo(Severity.WARNING);

        receive(TestEvents.humidity(2, station.now(), 73.5));
        assertThat(only().active()).isFalse();
    }

    /** The tracker learns each agent's clock from what it says live, and the no-reading check runs on it. */
    @ParameterizedTest(name = "agent clock {0} off the station's")
    @ValueSource(strings = {"PT2H", "-PT2H"})
    void noReadingIsReckonedOnTheAgentsClock(String off) {
        Duration skew = Duration.parse(off);
        receive(TestEvents.online(T0.plus(skew)));
        receive(TestEvents.config(T0.plus(skew), RULES.withReadIntervalS(10)));
        receive(TestEvents.humidity(1, T0.plus(skew), 74));

        for (int second = 10; second <= 30; second += 10) {
            tick(10);
            receive(TestEvents.humidity(1 + second / 10, T0.plus(skew).plusSeconds(second), 74));
        }
        assertThat(vm.alarms()).as("readings every 10 s on the agent's clock").isEmpty();

        tick(30);
        assertThat(vm.alarms()).isEmpty();
        tick(1);
        assertThat(only().message()).isEqualTo("no reading from terrarium-1 since "
                + HH_MM.format(T0.plus(skew).plusSeconds(30)) + " (expected every 10 s)");
    }

    @Test
    void aManualSprayWithoutValveOpenedWithinFiveSecondsRaisesAnAlarm() {
        tracker.expectSprayConfirmation(AGENT, "spray-1", 6, T0);

        tick(4);
        assertThat(vm.alarms()).isEmpty();
        tick(1);
        assertThat(only().message())
                .isEqualTo("manual spray of 6 s on terrarium-1 not confirmed within 5 s (no valve_opened for spray-1)");

        // a late confirmation clears it
        receive(TestEvents.opened(5, station.now(), 6, SprayReason.MANUAL, "spray-1"));
        assertThat(only().active()).isFalse();
    }

    @Test
    void aConfirmedSprayRaisesNothing() {
        tracker.expectSprayConfirmation(AGENT, "spray-1", 6, T0);
        receive(TestEvents.opened(5, T0.plusSeconds(1), 6, SprayReason.MANUAL, "spray-1"));

        tick(10);

        assertThat(vm.alarms()).isEmpty();
    }

    @Test
    void aRejectedCommandIsAnAlarmUntilAcknowledged() {
        tracker.expectSprayConfirmation(AGENT, "spray-7f3a", 45, T0);
        receive(TestEvents.result(13, T0, "spray-7f3a", CommandKind.SPRAY, false,
                "durationS must be 1..30, was 45"));
        receive(TestEvents.result(14, T0, "spray-7f3a", CommandKind.SPRAY, false,
                "durationS must be 1..30, was 45"));
        tick(10);

        AlarmRow rejected = only();
        assertThat(rejected.message())
                .isEqualTo("spray command spray-7f3a rejected by terrarium-1: durationS must be 1..30, was 45");
        assertThat(rejected.sourceText()).isEqualTo("station");

        vm.acknowledge(rejected.id());
        assertThat(only().active()).isFalse();
        assertThat(vm.unacknowledgedCountProperty().get()).isZero();
    }

    @Test
    void theRetainedStateRaisesWhatIsActiveAndTheLateEventTellsWhy() {
        receive(TestEvents.state(T0, 20).alarm(AlarmKind.RUNAWAY).build());
        assertThat(only().message()).isEqualTo("runaway valve alarm (reported active by the agent)");

        receive(TestEvents.alarm(18, T0.minusSeconds(30), AlarmKind.RUNAWAY, "valve open 120 s in the last hour"));
        assertThat(only().message()).isEqualTo("runaway valve on terrarium-1: valve open 120 s in the last hour");
        assertThat(only().raisedAt()).isEqualTo(T0.minusSeconds(30));

        receive(TestEvents.state(T0.plusSeconds(60), 21).build());
        assertThat(only().active()).isFalse();
    }

    @Test
    void aBackfilledAlarmThatWasAlreadyClearedIsShownCleared() {
        // the clear arrives live first; the raise comes later with the history
        receive(TestEvents.alarmCleared(12, T0, AlarmKind.LOW));
        station.gateway.receive(Topic.reply(AGENT, station.gateway.stationId()), new HistoryPage("history-1",
                AGENT, List.of(TestEvents.alarm(11, T0.minusSeconds(900), AlarmKind.LOW,
                        "humidity below 60 % for 15 min")), true));

        AlarmRow alarm = only();
        assertThat(alarm.active()).isFalse();
        assertThat(alarm.clearedText()).isEqualTo("2026-05-01 18:00:00");
    }

    @Test
    void aBackfilledSensorOutageIsOneAlarmHoweverManyReadsFailed() {
        // the end of the outage live: errors, then the sensor answers again
        receive(TestEvents.sensorError(20, T0.plusSeconds(200), "no acknowledge from 0x44", 20));
        receive(TestEvents.sensorError(21, T0.plusSeconds(210), "no acknowledge from 0x44", 21));
        receive(TestEvents.humidity(22, T0.plusSeconds(220), 74));
        // the start of it with the history, one failed read after another
        List<Event> history = new java.util.ArrayList<>();
        for (int i = 1; i <= 19; i++) {
            history.add(TestEvents.sensorError(i, T0.plusSeconds(10L * i), "no acknowledge from 0x44", i));
        }
        station.gateway.receive(Topic.reply(AGENT, station.gateway.stationId()),
                new HistoryPage("history-1", AGENT, history, true));

        AlarmRow alarm = only();
        assertThat(alarm.active()).isFalse();
        assertThat(alarm.raisedText()).isEqualTo("2026-05-01 18:00:10");
        assertThat(alarm.clearedText()).isEqualTo("2026-05-01 18:03:40");

        // a later outage is an alarm of its own
        station.gateway.receive(Topic.reply(AGENT, station.gateway.stationId()), new HistoryPage("history-2", AGENT,
                List.of(TestEvents.sensorError(23, T0.plusSeconds(230), "CRC mismatch on humidity word", 1),
                        TestEvents.humidity(24, T0.plusSeconds(240), 74)), true));
        assertThat(vm.alarms()).hasSize(2);
    }

    @Test
    void historyOlderThanADayRaisesNothing() {
        station.clock.advance(Duration.ofDays(3));
        receive(TestEvents.alarm(11, T0, AlarmKind.LOW, "humidity below 60 % for 15 min"));
        receive(TestEvents.sensorError(12, T0, "CRC mismatch on humidity word", 1));
        receive(TestEvents.result(13, T0, "spray-1", CommandKind.SPRAY, false, "valve already open"));

        assertThat(vm.alarms()).isEmpty();
    }

    @Test
    void acknowledgeAllLeavesNothingUnacknowledged() {
        receive(TestEvents.alarm(11, T0, AlarmKind.LOW, "humidity below 60 % for 15 min"));
        receive(TestEvents.sensorError(12, T0, "CRC mismatch on humidity word", 1));

        vm.acknowledgeAll();

        assertThat(vm.unacknowledgedCountProperty().get()).isZero();
        assertThat(vm.alarms()).allSatisfy(row -> assertThat(row.acknowledgedText()).endsWith("by alice"));
    }
}
