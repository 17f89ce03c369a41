package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AlarmKind;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensorPairTest {

    static final Instant T0 = Instant.parse("2026-06-10T08:00:00Z");
    static final SensorPair.Settings SETTINGS = new SensorPair.Settings("sensor 1 (0x44)", "sensor 2 (0x45)", 3, 5,
            Duration.ofMinutes(30));

    /** Feeds read rounds 10 s apart and keeps what came out. */
    static final class Driver {
        SensorPair.State state = SensorPair.State.INITIAL;
        Instant now = T0;
        Input lastInput;
        final List<Event> events = new ArrayList<>();

        Driver round(SensorPair.Result first, SensorPair.Result second) {
            SensorPair.Outcome outcome = SensorPair.apply(state, first, second, now, SETTINGS, "t-1");
            state = outcome.state();
            lastInput = outcome.input();
            events.addAll(outcome.events());
            now = now.plusSeconds(10);
            return this;
        }

        Driver rounds(int count, SensorPair.Result first, SensorPair.Result second) {
            for (int i = 0; i < count; i++) {
                round(first, second);
            }
            return this;
        }

        List<String> alarms() {
            List<String> out = new ArrayList<>();
            for (Event e : events) {
                if (e instanceof HumidityAlarm) {
                    out.add("raised " + ((HumidityAlarm) e).kind().wire());
                } else if (e instanceof HumidityAlarmCleared) {
                    out.add("cleared " + ((HumidityAlarmCleared) e).kind().wire());
                }
            }
            return out;
        }
    }

    static SensorPair.Result valid(double humidity) {
        return new SensorPair.Result.Valid(humidity, 25, humidity - 1, 25);
    }

    static SensorPair.Result failed(String why) {
        return new SensorPair.Result.Failed(why);
    }

    @Test
    void oneSensorPassesItsResultStraightThrough() {
        Driver d = new Driver().round(valid(70), null);
        assertThat(d.lastInput).isEqualTo(new Input.Reading(70, 25));

        d.rounds(5, failed("nack"), null);
        assertThat(d.lastInput).isEqualTo(new Input.SensorFailure("nack"));
        assertThat(d.events).isEmpty();
    }

    @Test
    void agreesOnTheMeanWhileBothAreValid() {
        Driver d = new Driver().round(valid(70), valid(74));

        assertThat(d.lastInput).isEqualTo(new Input.Reading(72, 25));
    }

    @Test
    void usesTheValidOneAndNamesTheFailedOneAfterEnoughFailures() {
        Driver d = new Driver().rounds(2, valid(70), failed("no acknowledge at 0x45"));
        assertThat(d.lastInput).isEqualTo(new Input.Reading(70, 25));
        assertThat(d.events).isEmpty();

        d.round(valid(70), failed("no acknowledge at 0x45"));

        assertThat(d.alarms()).containsExactly("raised sensor_failed");
        assertThat(((HumidityAlarm) d.events.get(0)).message()).startsWith(
                "sensor 2 (0x45) failed 3 reads in a row (no acknowledge at 0x45); the rules use sensor 1 (0x44)");
        assertThat(d.lastInput).isEqualTo(new Input.Reading(70, 25));
    }

    @Test
    void givesThePolicyAFailureOnlyWhenBothFailAndLeavesThatToItsSensorDownMode() {
        Driver d = new Driver().rounds(5, failed("crc"), failed("nack"));

        assertThat(d.lastInput).isEqualTo(new Input.SensorFailure("both sensors failed: sensor 1: crc; sensor 2: nack"));
        assertThat(d.alarms()).isEmpty();
    }

    @Test
    void keepsTheAlarmAboutTheFirstFailedSensorWhileTheOtherFailsToo() {
        Driver d = new Driver().rounds(3, valid(70), failed("nack")).rounds(5, failed("crc"), failed("nack"));
        assertThat(d.alarms()).containsExactly("raised sensor_failed");

        d.rounds(3, valid(70), failed("nack"));
        assertThat(d.alarms()).containsExactly("raised sensor_failed");
        assertThat(d.state.failedAbout()).containsExactly(2);
    }

    @Test
    void clearsTheFailedAlarmWhenBothReadAgainAndRenamesItWhenTheOtherFails() {
        Driver d = new Driver().rounds(3, valid(70), failed("nack"));
        d.rounds(3, failed("crc"), valid(71));
        d.round(valid(70), valid(71));

        assertThat(d.alarms()).containsExactly("raised sensor_failed", "cleared sensor_failed",
                "raised sensor_failed", "cleared sensor_failed");
        assertThat(((HumidityAlarm) d.events.get(2)).message()).startsWith("sensor 1 (0x44) failed");
        assertThat(d.state.activeAlarms()).isEmpty();
    }

    @Test
    void raisesDivergenceOnlyAfterTheConfiguredTimeBeyondTheMargin() {
        Driver d = new Driver().round(valid(70), valid(75)); // 5 apart: within the margin
        assertThat(d.state.divergingSince()).isNull();

        // 5.1 apart from T0+10s; 30 min later is round 181 of this stretch
        d.rounds(180, valid(70), valid(75.1));
        assertThat(d.alarms()).isEmpty();
        d.round(valid(70), valid(75.1));

        assertThat(d.alarms()).containsExactly("raised sensor_divergence");
        HumidityAlarm alarm = (HumidityAlarm) d.events.get(0);
        assertThat(alarm.at()).isEqualTo(T0.plusSeconds(10).plus(Duration.ofMinutes(30)));
        assertThat(alarm.message()).contains("5.1 points apart (more than 5) for 30 min");
        assertThat(alarm.humidityPct()).isEqualTo(72.55);
    }

    @Test
    void aShortDisagreementRaisesNothingAndAFailedRoundKeepsTheClock() {
        Driver d = new Driver().rounds(100, valid(70), valid(80)).round(valid(70), valid(72));
        assertThat(d.state.divergingSince()).isNull();

        d.rounds(90, valid(70), valid(80)).rounds(2, valid(70), failed("nack")).rounds(90, valid(70), valid(80));
        assertThat(d.alarms()).containsExactly("raised sensor_divergence");
    }

    @Test
    void clearsDivergenceOnceTheyStayAPointWithinTheMarginAsLongAsItTookToRaiseIt() {
        Driver d = new Driver().rounds(200, valid(60), valid(70)).rounds(200, valid(60), valid(64.5));
        d.rounds(100, valid(60), valid(64)).round(valid(60), valid(66)).rounds(100, valid(60), valid(64));
        assertThat(d.alarms()).containsExactly("raised sensor_divergence");

        d.rounds(100, valid(60), valid(64));

        assertThat(d.alarms()).containsExactly("raised sensor_divergence", "cleared sensor_divergence");
    }

    @Test
    void aGapSwingingAroundTheMarginRaisesTheAlarmOnce() {
        Driver d = new Driver().rounds(200, valid(60), valid(65.5));
        for (int swing = 0; swing < 5; swing++) {
            d.rounds(10, valid(60), valid(64.6)).rounds(200, valid(60), valid(65.4));
        }

        assertThat(d.alarms()).containsExactly("raised sensor_divergence");
    }

    @Test
    void alarmsRaisedBeforeARestartClearWhenTheirConditionDoes() {
        Driver d = new Driver();
        d.state = SensorPair.State.recovered(Set.of(AlarmKind.SENSOR_FAILED, AlarmKind.SENSOR_DIVERGENCE, AlarmKind.LOW));
        assertThat(d.state.activeAlarms()).containsExactlyInAnyOrder(AlarmKind.SENSOR_FAILED,
                AlarmKind.SENSOR_DIVERGENCE);

        d.rounds(200, valid(70), valid(71));

        assertThat(d.alarms()).containsExactlyInAnyOrder("cleared sensor_failed", "cleared sensor_divergence");
    }

    @Test
    void aFailedAlarmRaisedBeforeARestartGoesOnWhileASensorStillFails() {
        Driver d = new Driver();
        d.state = SensorPair.State.recovered(Set.of(AlarmKind.SENSOR_FAILED));

        d.rounds(5, valid(70), failed("nack"));

        assertThat(d.alarms()).isEmpty();
        assertThat(d.state.failedAbout()).containsExactly(2);
        d.round(valid(70), valid(70));
        assertThat(d.alarms()).containsExactly("cleared sensor_failed");
    }

    @Test
    void attachesEachSensorsValuesToTheReadingEvents() {
        HumidityChanged agreed = new HumidityChanged("t-1", 1, T0, 72);

        Event event = SensorPair.withSensorValues(agreed, valid(70), failed("nack"));

        assertThat(event).isEqualTo(new HumidityChanged("t-1", 1, T0, 72, 70.0, 69.0, null, null));
        assertThat(((HumidityChanged) event).humidityOf(2)).isNull();
        assertThat(new HumidityChanged("t-1", 1, T0, 72).humidityOf(1)).isEqualTo(72);
    }
}
