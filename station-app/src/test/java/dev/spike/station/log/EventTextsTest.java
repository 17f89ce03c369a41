package dev.spike.station.log;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.Mode;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.EventType;
import dev.spike.model.event.SpraySkipped;
import dev.spike.station.store.TestEvents;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class EventTextsTest {

    private final EventTexts texts = new EventTexts(ZoneId.of("Europe/Berlin"));

    @Test
    void readingsNameEachSensorAndTheRawValueWhenTheyHaveThem() {
        assertThat(texts.describe(new dev.spike.model.event.HumidityChanged(AGENT, 1, T0, 75.1, 76.2, 74.7, 74.0,
                74.0))).isEqualTo("humidity 75.1 % (sensor 1 76.2 %, raw 74.7 %; sensor 2 74.0 %)");
        assertThat(texts.describe(new dev.spike.model.event.HumidityChanged(AGENT, 1, T0, 76.2, 76.2, 74.7, null,
                null))).isEqualTo("humidity 76.2 % (sensor 1 76.2 %, raw 74.7 %)");
        assertThat(texts.describe(new dev.spike.model.event.HumidityChanged(AGENT, 1, T0, 74.0, null, null, 74.0,
                74.0))).isEqualTo("humidity 74.0 % (sensor 1 failed; sensor 2 74.0 %)");
        assertThat(texts.describe(new dev.spike.model.event.TemperatureChanged(AGENT, 1, T0, 27.3, 27.4, 27.4, 27.2,
                26.9))).isEqualTo("temperature 27.3 °C (sensor 1 27.4 °C; sensor 2 27.2 °C, raw 26.9 °C)");
        assertThat(texts.describe(TestEvents.humidity(1, T0, 74.2))).isEqualTo("humidity 74.2 %");
    }

    @Test
    void sensorAlarmsAndCalibrationsReadAsWords() {
        assertThat(texts.describe(TestEvents.alarm(1, T0, dev.spike.model.AlarmKind.SENSOR_FAILED,
                "sensor 2 (0x45 on bus 1) failed 3 reads in a row (no acknowledge)")))
                .isEqualTo("sensor failed alarm: sensor 2 (0x45 on bus 1) failed 3 reads in a row (no acknowledge)");
        assertThat(texts.describe(TestEvents.alarmCleared(2, T0, dev.spike.model.AlarmKind.SENSOR_DIVERGENCE)))
                .isEqualTo("sensors disagree alarm cleared");
        assertThat(texts.describe(new dev.spike.model.event.CalibrationApplied(AGENT, 3, T0, 2, 1.0193, -1.05, 0.3,
                "calibration-3", false))).isEqualTo("sensor 2 calibrated: gain 1.0193, offset -1.1 %RH, +0.3 °C");
        assertThat(texts.describe(new dev.spike.model.event.CalibrationApplied(AGENT, 4, T0, 1, 1, 1.5, 0,
                "calibration-4", true))).isEqualTo("sensor 1 calibration back to the config file's: offset +1.5 %RH,"
                + " +0.0 °C");
    }

    @Test
    void explainsASprayWithTheLowHumidityBehindIt() {
        assertThat(texts.describe(TestEvents.opened(5, T0, 6, SprayReason.LOW_HUMIDITY, null),
                TestEvents.low(4, T0, 72.4, 75))).isEqualTo("sprayed 6 s: humidity 72.4 % < 75 %");
        assertThat(texts.describe(TestEvents.opened(5, T0, 6, SprayReason.LOW_HUMIDITY, null)))
                .isEqualTo("sprayed 6 s: humidity below the threshold");
        assertThat(texts.describe(TestEvents.opened(5, T0, 6, SprayReason.EVENING, null)))
                .isEqualTo("sprayed 6 s: evening spray");
        assertThat(texts.describe(TestEvents.opened(5, T0, 6, SprayReason.SENSOR_DOWN, null)))
                .isEqualTo("sprayed 6 s: fallback spray, the sensor is down");
        assertThat(texts.describe(TestEvents.opened(5, T0, 10, SprayReason.MANUAL, "spray-8b1c")))
                .isEqualTo("sprayed 10 s: manual spray (spray-8b1c)");
    }

    @Test
    void saysWhyASprayWasSkipped() {
        assertThat(texts.describe(TestEvents.skipped(7, T0, "cooldown until 14:32")))
                .isEqualTo("skipped: cooldown until 14:32");
        assertThat(texts.describe(new SpraySkipped(AGENT, 8, T0, SprayTrigger.EVENING, "sprayed 12 min ago", null)))
                .isEqualTo("skipped evening spray: sprayed 12 min ago");
    }

    @Test
    void describesEveryOtherEvent() {
        assertThat(texts.describe(new AgentStarted(AGENT, 1, T0, "0.1.0"))).isEqualTo("agent started (version 0.1.0)");
        assertThat(texts.describe(TestEvents.humidity(2, T0, 74.25))).isEqualTo("humidity 74.3 %");
        assertThat(texts.describe(TestEvents.temperature(3, T0, 27.35))).isEqualTo("temperature 27.4 °C");
        assertThat(texts.describe(TestEvents.low(4, T0, 74.2, 72.5))).isEqualTo("humidity 74.2 % < 72.5 %");
        assertThat(texts.describe(TestEvents.closed(6, T0, 6003))).isEqualTo("valve closed after 6.0 s");
        assertThat(texts.describe(TestEvents.sensorError(8, T0, "CRC mismatch on humidity word", 1)))
                .isEqualTo("sensor error: CRC mismatch on humidity word");
        assertThat(texts.describe(TestEvents.sensorError(8, T0, "no acknowledge from 0x44", 3)))
                .isEqualTo("sensor error: no acknowledge from 0x44 (3 failures in a row)");
        assertThat(texts.describe(TestEvents.recovered(9, T0, 3400))).isEqualTo("sensor recovered after 56 min down");
        assertThat(texts.describe(TestEvents.mode(10, T0, Mode.SENSOR_DOWN)))
                .isEqualTo("sensor down: spraying on the fallback schedule");
        assertThat(texts.describe(TestEvents.alarm(11, T0, AlarmKind.LOW, "humidity below 60 % for 15 min")))
                .isEqualTo("low humidity alarm: humidity below 60 % for 15 min");
        assertThat(texts.describe(TestEvents.alarmCleared(12, T0, AlarmKind.NO_EFFECT)))
                .isEqualTo("spray without effect alarm cleared");
        assertThat(texts.describe(TestEvents.result(13, T0, "spray-7f3a", CommandKind.SPRAY, false,
                "durationS must be 1..30, was 45")))
                .isEqualTo("spray command spray-7f3a rejected: durationS must be 1..30, was 45");
        assertThat(texts.describe(TestEvents.result(13, T0, "sim-1", CommandKind.SIM_SET, true, null)))
                .isEqualTo("simulation command sim-1 accepted");
        assertThat(texts.describe(new ConfigApplied(AGENT, 14, T0, RULES))).isEqualTo("rules applied: spray below"
                + " 75 % for 6 s, cooldown 10 min, evening 20:00 (UTC), at most 30 s, alarms below 60 % / above 95 %");
    }

    @Test
    void namesTheDayNightProgramOfAppliedRulesAndThePeriodsThresholdOfASpray() {
        Rules dayNight = RULES.withLowHumidityPct(70).withProgram(Program.of(
                new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20)));

        assertThat(texts.describe(new ConfigApplied(AGENT, 14, T0, dayNight))).isEqualTo("rules applied: spray below"
                + " 70 % for 6 s, cooldown 10 min, evening 20:00 (UTC), at most 30 s, alarms below 60 % / above 95 %;"
                + " program 22:00–07:00 85 % (cooldown 20 min)");
        // the agent records the threshold in force, the night period's
        assertThat(texts.describe(TestEvents.opened(5, T0, 6, SprayReason.LOW_HUMIDITY, null),
                TestEvents.low(4, T0, 80.4, 85))).isEqualTo("sprayed 6 s: humidity 80.4 % < 85 %");
    }

    @Test
    void writesTimesInTheStationsZoneAndAgesForAPerson() {
        assertThat(texts.time(T0)).isEqualTo("20:00");
        assertThat(texts.dateTime(T0)).isEqualTo("2026-05-01 20:00:00");
        assertThat(texts.clockTime(T0, T0.plusSeconds(3600))).isEqualTo("20:00");
        assertThat(texts.clockTime(T0, T0.plus(Duration.ofDays(1)))).isEqualTo("2026-05-01 20:00");
        assertThat(EventTexts.ago(T0, T0.plusSeconds(23))).isEqualTo("23 s ago");
        assertThat(EventTexts.ago(T0, T0.plusMillis(400))).isEqualTo("just now");
        assertThat(EventTexts.ago(T0.plusSeconds(5), T0)).isEqualTo("just now");
        assertThat(EventTexts.age(Duration.ofMinutes(192))).isEqualTo("3 h 12 min");
        assertThat(EventTexts.age(Duration.ofHours(52))).isEqualTo("2 d 4 h");
        assertThat(EventTexts.until(T0.plusSeconds(300), T0)).isEqualTo("in 5 min");
        assertThat(EventTexts.bytes(25_769_803_776L)).isEqualTo("25.8 GB");
        assertThat(EventTexts.typeName(EventType.VALVE_OPENED)).isEqualTo("valve opened");
    }
}
