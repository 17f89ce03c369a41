package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.notify.AlertPolicy.Description;
import dev.spike.agent.notify.AlertPolicy.Input;
import dev.spike.agent.notify.Notification.Priority;
import dev.spike.agent.notify.Notification.State;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure alert policy on a fake clock: what is told, when, and what is held back. */
class AlertPolicyTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 14:02 in Berlin. */
    static final Instant T0 = Instant.parse("2026-06-01T12:02:00Z");
    static final Duration PERIOD = Duration.ofHours(12);
    static final Description DOWN = new Description("Sensor down", "Last error: NACK at 0x44",
            "spraying 6 s every 6 h until it answers", "the sensor's cable");
    static final Description BACK = new Description("Sensor answers again", "down for 5 min", "back to normal control",
            null);

    final AlertPolicy policy = new AlertPolicy("terrarium", BERLIN, PERIOD);

    /** Applies inputs at times (minutes after T0) and collects what was told. */
    final class Run {
        AlertPolicy.State state = AlertPolicy.State.EMPTY;
        final List<Notification> told = new ArrayList<>();

        Run at(long minutes, Input input) {
            AlertPolicy.Outcome outcome = policy.apply(state, input, T0.plus(Duration.ofMinutes(minutes)));
            state = outcome.state();
            told.addAll(outcome.notifications());
            return this;
        }

        Run down(long minutes) {
            return at(minutes, new Input.Raised(Subject.SENSOR_DOWN, T0.plus(Duration.ofMinutes(minutes)), DOWN));
        }

        Run up(long minutes) {
            return at(minutes, new Input.Cleared(Subject.SENSOR_DOWN, T0.plus(Duration.ofMinutes(minutes)), BACK));
        }

        Run tick(long minutes) {
            return at(minutes, new Input.Tick());
        }

        List<State> states() {
            return told.stream().map(Notification::state).toList();
        }
    }

    @Test
    void tellsARaisedAlarmAtOnceWithWhatHappenedSinceWhenWhatTheAgentDoesAndWhatToCheck() {
        Run run = new Run().down(0);

        assertThat(run.told).hasSize(1);
        Notification n = run.told.get(0);
        assertThat(n.state()).isEqualTo(State.RAISED);
        assertThat(n.priority()).isEqualTo(Priority.URGENT);
        assertThat(n.title()).isEqualTo("Spike terrarium: sensor down");
        assertThat(n.text()).isEqualTo("Sensor down since 14:02: spraying 6 s every 6 h until it answers."
                + " Last error: NACK at 0x44. Check first: the sensor's cable.");
        assertThat(n.id()).isEqualTo("terrarium-" + T0.toEpochMilli() + "-sensor_down-raised");
        assertThat(n.since()).isEqualTo(T0);
    }

    @Test
    void tellsTheClearOfAToldAlarmAtDefaultPriority() {
        Run run = new Run().down(0).up(33);

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED);
        Notification clear = run.told.get(1);
        assertThat(clear.priority()).isEqualTo(Priority.DEFAULT);
        assertThat(clear.title()).isEqualTo("Spike terrarium: sensor down is over");
        assertThat(clear.text()).isEqualTo("Sensor answers again since 14:35 (down for 5 min): back to normal control.");
    }

    @Test
    void ignoresARepeatedRaiseAndAClearOfAnAlarmThatIsNotActive() {
        Run run = new Run().up(0).down(1).down(2).up(3).up(4);

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED);
    }

    static Stream<Arguments> priorities() {
        return Stream.of(Arguments.of(Subject.SENSOR_DOWN, Priority.URGENT),
                Arguments.of(Subject.RUNAWAY, Priority.URGENT), Arguments.of(Subject.NO_EFFECT, Priority.URGENT),
                Arguments.of(Subject.LOW, Priority.HIGH), Arguments.of(Subject.HIGH, Priority.HIGH),
                Arguments.of(Subject.STORE_FAILING, Priority.HIGH));
    }

    @ParameterizedTest
    @MethodSource("priorities")
    void raisesAtTheAlarmsPriorityAndClearsAtDefault(Subject subject, Priority priority) {
        Run run = new Run().at(0, new Input.Raised(subject, T0, DOWN)).at(5, new Input.Cleared(subject,
                T0.plus(Duration.ofMinutes(5)), BACK));

        assertThat(run.told).extracting(Notification::priority).containsExactly(priority, Priority.DEFAULT);
    }

    @Test
    void remindsEveryPeriodWhileTheAlarmStaysActive() {
        Run run = new Run().down(0);
        for (long minute = 1; minute <= 25 * 60; minute++) {
            run.tick(minute);
        }

        assertThat(run.states()).containsExactly(State.RAISED, State.REMINDER, State.REMINDER);
        assertThat(run.told.get(1).at()).isEqualTo(T0.plus(PERIOD));
        // at 02:02 the next day the day is written out
        assertThat(run.told.get(1).text()).startsWith("Still: Sensor down since Mon 1 Jun 14:02:")
                .endsWith("Next reminder in 12 h unless it clears.");
        assertThat(run.told.get(2).at()).isEqualTo(T0.plus(PERIOD.multipliedBy(2)));
    }

    @Test
    void noReminderAfterTheAlarmCleared() {
        Run run = new Run().down(0).up(10);
        for (long minute = 11; minute <= 25 * 60; minute++) {
            run.tick(minute);
        }

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED);
    }

    @Test
    void aFlappingSensorIsToldOnceAndSummedUpAfterThePeriod() {
        // down and up every 10 minutes for 11 hours: the first raise and its clear, then silence
        Run run = new Run();
        for (long minute = 0; minute < 11 * 60; minute += 10) {
            run.down(minute).up(minute + 5);
        }
        run.down(11 * 60);
        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED);

        for (long minute = 11 * 60 + 1; minute <= 12 * 60; minute++) {
            run.tick(minute);
        }

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED, State.RAISED);
        Notification summary = run.told.get(2);
        assertThat(summary.at()).isEqualTo(T0.plus(PERIOD));
        assertThat(summary.text()).startsWith("66 more times since Mon 1 Jun 14:12 (held back to one message per 12 h)."
                + " Now: Sensor down since 01:02:");
        assertThat(summary.priority()).isEqualTo(Priority.URGENT);
    }

    @Test
    void aSummaryOfAFlappingSensorThatEndedUpSaysItAnswersNow() {
        Run run = new Run().down(0).up(5).down(10).up(15);
        for (long minute = 16; minute <= 12 * 60; minute++) {
            run.tick(minute);
        }

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED, State.CLEARED);
        assertThat(run.told.get(2).text()).isEqualTo("Once more since Mon 1 Jun 14:12 (held back to one message per 12 h)."
                + " Now: Sensor answers again since Mon 1 Jun 14:17 (down for 5 min): back to normal control.");
        assertThat(run.told.get(2).priority()).isEqualTo(Priority.DEFAULT);
    }

    @Test
    void atMostOneRaisedSideMessagePerAlarmAndPeriodPlusTheClearOfIt() {
        // a worst case: flapping every minute for three days
        Run run = new Run();
        for (long minute = 0; minute < 3 * 24 * 60; minute += 2) {
            run.down(minute).tick(minute).up(minute + 1).tick(minute + 1);
        }
        for (long start = 0; start < 3 * 24 * 60; start += 12 * 60) {
            Instant from = T0.plus(Duration.ofMinutes(start));
            Instant to = from.plus(PERIOD);
            List<Notification> inPeriod = run.told.stream()
                    .filter(n -> !n.at().isBefore(from) && n.at().isBefore(to)).toList();
            assertThat(inPeriod.stream().filter(n -> n.state() != State.CLEARED)).as("period from %s", from)
                    .hasSizeLessThanOrEqualTo(1);
            assertThat(inPeriod).as("period from %s", from).hasSizeLessThanOrEqualTo(2);
        }
        assertThat(run.told).hasSizeLessThanOrEqualTo(2 * 6);
    }

    @Test
    void alarmsOfDifferentKindsHaveTheirOwnBudget() {
        Run run = new Run().down(0).at(1, new Input.Raised(Subject.LOW, T0, DOWN)).at(2,
                new Input.Raised(Subject.RUNAWAY, T0, DOWN));

        assertThat(run.told).extracting(Notification::subject).containsExactly(Subject.SENSOR_DOWN, Subject.LOW,
                Subject.RUNAWAY);
    }

    @Test
    void aCrashLoopMakesOneNoticePerPeriodAndThenSaysHowManyMore() {
        Description restart = new Description("Restarted after an unclean stop", null, "control goes on", null);
        Run run = new Run();
        for (long minute = 0; minute < 60; minute += 5) {
            run.at(minute, new Input.Notice(Subject.UNCLEAN_RESTART, T0.plus(Duration.ofMinutes(minute)), restart));
        }
        run.tick(12 * 60);

        assertThat(run.states()).containsExactly(State.NOTICE, State.NOTICE);
        assertThat(run.told.get(0).text()).isEqualTo("Restarted after an unclean stop at 14:02: control goes on.");
        assertThat(run.told.get(1).text()).startsWith("11 more times since Mon 1 Jun 14:07");
    }

    @Test
    void aClockSteppedBackRepeatsNothing() {
        Run run = new Run().down(0).tick(1);
        // NTP steps the clock back by two hours: the period looks longer, nothing is told twice
        for (long minute = -120; minute <= 0; minute++) {
            run.tick(minute);
        }
        run.up(-60).down(-50);

        assertThat(run.states()).containsExactly(State.RAISED, State.CLEARED);
    }

    @Test
    void theHeartbeatFailsWhileAnAlarmIsActiveButNotForANotice() {
        Run run = new Run().at(0, new Input.Notice(Subject.UNCLEAN_RESTART, T0, BACK));
        assertThat(run.state.anyActive()).isFalse();
        run.down(1);
        assertThat(run.state.anyActive()).isTrue();
        run.up(2);
        assertThat(run.state.anyActive()).isFalse();
    }

    @Test
    void theSameInputsGiveTheSameNotifications() {
        Run first = new Run().down(0).up(10).down(20);
        Run second = new Run().down(0).up(10).down(20);

        assertThat(second.told).isEqualTo(first.told);
        assertThat(second.state).isEqualTo(first.state);
    }
}
