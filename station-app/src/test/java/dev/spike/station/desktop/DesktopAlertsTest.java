package dev.spike.station.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.station.desktop.DesktopAlerts.Outcome;
import dev.spike.station.desktop.DesktopAlerts.State;
import dev.spike.station.desktop.DesktopAlerts.Window;
import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.AlarmRecord.Severity;
import dev.spike.station.store.AlarmRecord.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DesktopAlertsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T14:02:00Z");

    private static AlarmRecord alarm(long id, String agent, Severity severity, String message) {
        return AlarmRecord.raise(agent, "key-" + id, Source.AGENT, severity, message, T0.plusSeconds(id), 1L)
                .withId(id);
    }

    private static final AlarmRecord OLD = alarm(1, "terrarium-1", Severity.WARNING, "no reading for 5 min");
    private static final AlarmRecord LOW = alarm(2, "terrarium-1", Severity.CRITICAL, "humidity 68 % since 14:02");

    private static State after(List<AlarmRecord> alarms) {
        return DesktopAlerts.decide(State.initial(), alarms, Window.AWAY, true).state();
    }

    static Stream<Arguments> newAlarm() {
        AlarmRecord cleared = LOW.cleared(T0.plusSeconds(60));
        AlarmRecord acknowledged = LOW.acknowledged(T0.plusSeconds(30), "alice");
        return Stream.of(
                // new alarm, window, setting, alarm as listed -> notices
                Arguments.of("away, on", Window.AWAY, true, LOW, 1),
                Arguments.of("in front", Window.IN_FRONT, true, LOW, 0),
                Arguments.of("turned off", Window.AWAY, false, LOW, 0),
                Arguments.of("already cleared when it arrived", Window.AWAY, true, cleared, 0),
                Arguments.of("already acknowledged (another station)", Window.AWAY, true, acknowledged, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void newAlarm(String name, Window window, boolean enabled, AlarmRecord arriving, int expected) {
        Outcome outcome = DesktopAlerts.decide(after(List.of(OLD)), List.of(OLD, arriving), window, enabled);

        assertThat(outcome.notices()).hasSize(expected);
        assertThat(outcome.state().seen()).containsExactlyInAnyOrder(OLD.id(), arriving.id());
    }

    @Test
    void noticeCarriesTheAlarmsTextSeverityAndId() {
        Outcome outcome = DesktopAlerts.decide(after(List.of(OLD)), List.of(OLD, LOW), Window.AWAY, true);

        assertThat(outcome.notices()).containsExactly(
                new Notice(2, "Spike: terrarium-1", "humidity 68 % since 14:02", true));
    }

    @Test
    void alarmsListedAtTheFirstLookAreNotNew() {
        Outcome first = DesktopAlerts.decide(State.initial(), List.of(OLD, LOW), Window.AWAY, true);

        assertThat(first.notices()).isEmpty();
        assertThat(first.state().primed()).isTrue();
    }

    @Test
    void anAlarmIsNotifiedOnceHoweverOftenItIsListed() {
        State state = after(List.of(OLD));
        state = DesktopAlerts.decide(state, List.of(OLD, LOW), Window.AWAY, true).state();

        Outcome again = DesktopAlerts.decide(state, List.of(OLD, LOW.withMessage("humidity 66 % since 14:02")),
                Window.AWAY, true);

        assertThat(again.notices()).isEmpty();
    }

    @Test
    void anAlarmSeenWhileInFrontIsNotNotifiedLater() {
        State state = DesktopAlerts.decide(after(List.of(OLD)), List.of(OLD, LOW), Window.IN_FRONT, true).state();

        assertThat(DesktopAlerts.decide(state, List.of(OLD, LOW), Window.AWAY, true).notices()).isEmpty();
    }

    @Test
    void severalNewAlarmsAreNotifiedOldestFirst() {
        AlarmRecord second = alarm(3, "terrarium-2", Severity.WARNING, "no reading for 5 min");

        Outcome outcome = DesktopAlerts.decide(after(List.of(OLD)), List.of(second, OLD, LOW), Window.AWAY, true);

        assertThat(outcome.notices()).extracting(Notice::alarmId).containsExactly(2L, 3L);
    }

    @Test
    void manyNewAlarmsAtOnceMakeOneNoticeThatCountsThem() {
        List<AlarmRecord> burst = new ArrayList<>(List.of(OLD));
        for (int i = 0; i < DesktopAlerts.MAX_SINGLE + 2; i++) {
            burst.add(alarm(10 + i, "terrarium-" + i, Severity.WARNING, "agent offline since 14:0" + i));
        }

        Outcome outcome = DesktopAlerts.decide(after(List.of(OLD)), burst, Window.AWAY, true);

        assertThat(outcome.notices()).containsExactly(new Notice(0, "Spike: 5 new alarms (5 agents)",
                "Latest: terrarium-4, agent offline since 14:04", false));
    }

    @Test
    void forgetsAlarmsNoLongerListed() {
        State state = after(List.of(OLD, LOW));

        assertThat(DesktopAlerts.decide(state, List.of(LOW), Window.AWAY, true).state().seen())
                .containsExactly(LOW.id());
    }
}
