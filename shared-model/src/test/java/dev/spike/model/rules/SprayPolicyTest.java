package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.SpraySkipped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SprayPolicyTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);
    /** 10:00 local: far from the evening spray. */
    static final Instant MORNING = Instant.parse("2026-06-10T08:00:00Z");

    @Nested
    class LowHumidity {

        @Test
        void spraysWhenHumidityDropsBelowTheThreshold() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(74.9);

            assertThat(driver.sprays).extracting(Decision.OpenValve::reason).containsExactly(SprayReason.LOW_HUMIDITY);
            assertThat(driver.sprays.get(0).durationS()).isEqualTo(6);
            assertThat(driver.count(EventType.LOW_HUMIDITY)).isEqualTo(1);
        }

        @Test
        void doesNothingAtOrAboveTheThreshold() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(75.0).reading(80);

            assertThat(driver.sprays).isEmpty();
            assertThat(driver.count(EventType.LOW_HUMIDITY)).isZero();
        }

        @ParameterizedTest(name = "low again after {0} s: sprays={1}")
        @CsvSource({"1, false", "300, false", "599, false", "600, true", "601, true", "3600, true"})
        void spraysAgainOnlyAfterCooldown(long secondsLater, boolean sprays) {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70).forget();

            driver.after(Duration.ofSeconds(secondsLater)).reading(70);

            assertThat(!driver.sprays.isEmpty()).isEqualTo(sprays);
            if (!sprays) {
                SpraySkipped skip = (SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0);
                assertThat(skip.trigger()).isEqualTo(SprayTrigger.LOW_HUMIDITY);
                assertThat(skip.nextAllowedAt()).isEqualTo(MORNING.plus(Duration.ofMinutes(10)));
                assertThat(skip.reason()).startsWith("cooldown until 10:10");
            }
        }

        @Test
        void recordsOneSkipPerCooldownNotOnePerReading() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70).forget();

            driver.run(Duration.ofMinutes(9), 70.0);

            assertThat(driver.count(EventType.SPRAY_SKIPPED)).isEqualTo(1);
            assertThat(driver.count(EventType.LOW_HUMIDITY)).as("recorded with the spray, same episode").isZero();
            assertThat(driver.sprays).isEmpty();
        }

        @Test
        void restartDuringCooldownKeepsTheCooldown() {
            PolicyState.Recovered memory = new PolicyState.Recovered(Mode.NORMAL, null,
                    MORNING.minus(Duration.ofMinutes(4)), SprayReason.LOW_HUMIDITY, null, Set.of(), null);
            PolicyDriver driver = new PolicyDriver(RULES, MORNING, memory);

            driver.reading(70);
            assertThat(driver.sprays).isEmpty();
            driver.after(Duration.ofMinutes(6)).reading(70);
            assertThat(driver.sprays).hasSize(1);
        }

        @Test
        void aManualSprayCountsAsTheLastSpray() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING)
                    .apply(new Input.ManualSpray("cmd-1", 10)).forget();

            driver.after(Duration.ofMinutes(5)).reading(70);

            assertThat(driver.sprays).isEmpty();
            assertThat(((SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0)).reason())
                    .contains("manual");
        }
    }

    @Nested
    class Manual {

        @Test
        void spraysDuringACooldownAndConfirmsTheCommand() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70).forget();

            driver.after(Duration.ofMinutes(1)).apply(new Input.ManualSpray("cmd-1", 8));

            assertThat(driver.sprays).containsExactly(new Decision.OpenValve(8, SprayReason.MANUAL, "cmd-1"));
            CommandResult result = (CommandResult) driver.events(EventType.COMMAND_RESULT).get(0);
            assertThat(result.accepted()).isTrue();
            assertThat(driver.state.lastSprayAt()).isEqualTo(driver.now);
        }

        @Test
        void rejectsADurationAboveMaxSprayWithAReason() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).apply(new Input.ManualSpray("cmd-1", 45));

            assertThat(driver.sprays).isEmpty();
            CommandResult result = (CommandResult) driver.events(EventType.COMMAND_RESULT).get(0);
            assertThat(result.accepted()).isFalse();
            assertThat(result.reason()).isEqualTo("durationS must be 1..30, was 45");
        }

        @Test
        void reportsTheValvesRefusalAndDoesNotCountIt() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING);
            driver.refuseWith = "valve already open";

            driver.apply(new Input.ManualSpray("cmd-1", 6));

            CommandResult result = (CommandResult) driver.events(EventType.COMMAND_RESULT).get(0);
            assertThat(result.accepted()).isFalse();
            assertThat(result.reason()).isEqualTo("valve already open");
            assertThat(driver.state.lastSprayAt()).isNull();
        }
    }

    @Nested
    class SensorDown {

        @Test
        void entersSensorDownAfterConsecutiveFailuresAndSpraysWhenTheFallbackIsDue() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).failure().failure();
            assertThat(driver.state.mode()).isEqualTo(Mode.NORMAL);

            driver.failure();

            assertThat(driver.state.mode()).isEqualTo(Mode.SENSOR_DOWN);
            assertThat(driver.count(EventType.SENSOR_ERROR)).isEqualTo(3);
            assertThat(driver.count(EventType.MODE_CHANGED)).isEqualTo(1);
            assertThat(driver.sprays).extracting(Decision.OpenValve::reason).containsExactly(SprayReason.SENSOR_DOWN);
        }

        @Test
        void aSensorDownAgainWithinAnHourOfRecoveringNeedsThirtyGoodReadings() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).failure().failure().failure();
            for (int i = 0; i < 3; i++) {
                driver.after(Duration.ofSeconds(10)).reading(80);
            }
            assertThat(driver.state.mode()).as("a first fault recovers after 3 good readings").isEqualTo(Mode.NORMAL);

            driver.after(Duration.ofMinutes(50)).failure().failure().failure();
            for (int i = 0; i < 29; i++) {
                driver.after(Duration.ofSeconds(10)).reading(80);
            }
            assertThat(driver.state.mode()).as("flapping: 29 good readings are not enough").isEqualTo(Mode.SENSOR_DOWN);
            driver.after(Duration.ofSeconds(10)).reading(80);
            assertThat(driver.state.mode()).isEqualTo(Mode.NORMAL);

            driver.after(Duration.ofHours(2)).failure().failure().failure();
            for (int i = 0; i < 3; i++) {
                driver.after(Duration.ofSeconds(10)).reading(80);
            }
            assertThat(driver.state.mode()).as("more than an hour later it is a new fault").isEqualTo(Mode.NORMAL);
        }

        @Test
        void aClockSteppedBackKeepsWhatTheFallbackIntervalHadLeft() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).failure().failure().failure();
            assertThat(driver.sprays).hasSize(1);
            driver.after(Duration.ofHours(5)).tick();

            driver.at(MORNING.minus(Duration.ofDays(1))).tick();
            driver.after(Duration.ofMinutes(59)).tick();
            assertThat(driver.sprays).as("59 min of the 6 h were left").hasSize(1);
            driver.after(Duration.ofMinutes(1)).tick();
            assertThat(driver.sprays).hasSize(2);
        }

        @Test
        void entersSensorDownWhenReadingsGoStale() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(80);

            driver.after(Duration.ofSeconds(29)).tick();
            assertThat(driver.state.mode()).isEqualTo(Mode.NORMAL);
            driver.after(Duration.ofSeconds(1)).tick();
            assertThat(driver.state.mode()).isEqualTo(Mode.SENSOR_DOWN);
            assertThat(driver.events(EventType.SENSOR_ERROR).get(0).toString()).contains("no valid reading for 30 s");
        }

        @Test
        void spraysEverySixHoursCountedFromTheLastSpray() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70).forget();
            driver.after(Duration.ofHours(2)).failure().failure().failure();
            assertThat(driver.sprays).as("last spray only 2 h ago").isEmpty();

            driver.run(Duration.ofHours(16), null);

            // 6 h after the 08:00Z spray; the evening spray at 18:00Z restarts the count
            assertThat(driver.sprays).extracting(Decision.OpenValve::reason)
                    .containsExactly(SprayReason.SENSOR_DOWN, SprayReason.EVENING, SprayReason.SENSOR_DOWN);
            assertThat(driver.sprayTimes).containsExactly(Instant.parse("2026-06-10T14:00:00Z"),
                    Instant.parse("2026-06-10T18:00:00Z"), Instant.parse("2026-06-11T00:00:00Z"));
        }

        @Test
        void recoversAfterThreeGoodReadings() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).failure().failure().failure().forget();

            driver.after(Duration.ofMinutes(30)).reading(80).after(Duration.ofSeconds(10)).reading(80);
            assertThat(driver.state.mode()).isEqualTo(Mode.SENSOR_DOWN);
            driver.after(Duration.ofSeconds(10)).reading(80);

            assertThat(driver.state.mode()).isEqualTo(Mode.NORMAL);
            SensorRecovered recovered = (SensorRecovered) driver.events(EventType.SENSOR_RECOVERED).get(0);
            assertThat(recovered.downForS()).isEqualTo(30 * 60 + 20);
        }

        @Test
        void aFailureBetweenGoodReadingsRestartsTheRecoveryCount() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).failure().failure().failure();

            driver.reading(80).reading(80).failure().reading(80).reading(80);

            assertThat(driver.state.mode()).isEqualTo(Mode.SENSOR_DOWN);
        }
    }

    @Nested
    class Evening {

        final Instant justBeforeEvening = Instant.parse("2026-06-10T17:59:59Z");

        @Test
        void spraysAtEightOnceADay() {
            PolicyDriver driver = new PolicyDriver(RULES, justBeforeEvening);

            driver.run(Duration.ofHours(24), 80.0);

            assertThat(driver.sprays).extracting(Decision.OpenValve::reason).containsExactly(SprayReason.EVENING);
            assertThat(driver.sprayTimes.get(0)).isEqualTo(Instant.parse("2026-06-10T18:00:00Z"));
        }

        @Test
        void skipsWhenSprayedWithinTheLastHour() {
            PolicyDriver driver = new PolicyDriver(RULES, justBeforeEvening.minus(Duration.ofMinutes(40)))
                    .reading(70).forget();

            driver.run(Duration.ofHours(2), 80.0);

            assertThat(driver.sprays).isEmpty();
            SpraySkipped skip = (SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0);
            assertThat(skip.trigger()).isEqualTo(SprayTrigger.EVENING);
            assertThat(skip.reason()).isEqualTo("sprayed 40 min ago (low humidity), within 60 min");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({"2026-03-29", "2026-10-25"})
        void decidesExactlyOnceOnDstDays(LocalDate day) {
            Instant midnight = day.atStartOfDay(BERLIN).toInstant();
            PolicyDriver driver = new PolicyDriver(RULES, midnight);

            driver.run(Duration.ofHours(24), 80.0);

            assertThat(driver.sprays).hasSize(1);
            assertThat(driver.sprayTimes.get(0).atZone(BERLIN).toLocalTime())
                    .isEqualTo(java.time.LocalTime.of(20, 0));
        }

        @Test
        void anAgentStartedAlittleLateStillSprays() {
            PolicyDriver driver = new PolicyDriver(RULES, Instant.parse("2026-06-10T18:45:00Z"));

            driver.tick();

            assertThat(driver.sprays).extracting(Decision.OpenValve::reason).containsExactly(SprayReason.EVENING);
        }

        @Test
        void anAgentStartedMoreThanAnHourLateRecordsTheEveningAsMissed() {
            PolicyDriver driver = new PolicyDriver(RULES, Instant.parse("2026-06-10T19:00:00Z"));

            driver.tick().run(Duration.ofHours(3), 80.0);

            assertThat(driver.sprays).isEmpty();
            assertThat(((SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0)).reason())
                    .startsWith("missed the 20:00 spray of 2026-06-10");
        }

        @Test
        void aRestartAfterTheEveningSprayDoesNotRepeatIt() {
            PolicyState.Recovered memory = new PolicyState.Recovered(Mode.NORMAL, null,
                    Instant.parse("2026-06-10T18:00:00Z"), SprayReason.EVENING, LocalDate.of(2026, 6, 10), Set.of(),
                    null);
            PolicyDriver driver = new PolicyDriver(RULES, Instant.parse("2026-06-10T18:20:00Z"), memory);

            driver.run(Duration.ofHours(2), 80.0);

            assertThat(driver.sprays).isEmpty();
            assertThat(driver.count(EventType.SPRAY_SKIPPED)).isZero();
        }

        @Test
        void aClockSteppedBackAfterTheEveningSprayDoesNotRepeatIt() {
            PolicyDriver driver = new PolicyDriver(RULES, justBeforeEvening).run(Duration.ofMinutes(5), 80.0);
            assertThat(driver.sprays).hasSize(1);

            driver.at(justBeforeEvening.minus(Duration.ofMinutes(30))).run(Duration.ofHours(1), 80.0);

            assertThat(driver.sprays).hasSize(1);
        }
    }

    @Nested
    class Alarms {

        @Test
        void raisesTheLowAlarmOnceAfterFifteenMinutesAndClearsItOnce() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING);

            driver.run(Duration.ofMinutes(14).plusSeconds(50), 55.0);
            assertThat(lowAlarms(driver)).isZero();
            driver.run(Duration.ofMinutes(30), 55.0);
            assertThat(lowAlarms(driver)).isEqualTo(1);
            driver.run(Duration.ofMinutes(30), 80.0);

            assertThat(driver.events(EventType.HUMIDITY_ALARM_CLEARED)).extracting(e -> e.toString())
                    .filteredOn(text -> text.contains("kind=LOW")).hasSize(1);
            assertThat(driver.state.activeAlarms()).doesNotContain(AlarmKind.LOW);
        }

        private long lowAlarms(PolicyDriver driver) {
            return driver.events(EventType.HUMIDITY_ALARM).stream().map(HumidityAlarm.class::cast)
                    .filter(alarm -> alarm.kind() == AlarmKind.LOW)
                    .peek(alarm -> assertThat(alarm.message()).isEqualTo("humidity below 60 % for 15 min"))
                    .count();
        }

        @Test
        void raisesTheHighAlarmAfterAnHour() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING);

            driver.run(Duration.ofMinutes(59), 97.0);
            assertThat(driver.state.activeAlarms()).isEmpty();
            driver.run(Duration.ofMinutes(2), 97.0);

            assertThat(driver.state.activeAlarms()).containsExactly(AlarmKind.HIGH);
        }

        @Test
        void raisesNoEffectWhenASprayDoesNotRaiseHumidity() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70);
            assertThat(driver.sprays).hasSize(1);

            driver.run(Duration.ofMinutes(4), 70.5);

            assertThat(driver.state.activeAlarms()).containsExactly(AlarmKind.NO_EFFECT);
            assertThat(driver.count(EventType.HUMIDITY_ALARM)).isEqualTo(1);
        }

        @Test
        void clearsNoEffectWhenALaterSprayWorks() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70).run(Duration.ofMinutes(11), 70.0);
            assertThat(driver.state.activeAlarms()).containsExactly(AlarmKind.NO_EFFECT);
            assertThat(driver.sprays).hasSize(2);

            driver.run(Duration.ofSeconds(30), 80.0);

            assertThat(driver.state.activeAlarms()).isEmpty();
            assertThat(driver.count(EventType.HUMIDITY_ALARM_CLEARED)).isEqualTo(1);
        }

        @Test
        void aSprayThatRaisesHumidityRaisesNoAlarm() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(70);

            driver.run(Duration.ofMinutes(5), 78.0);

            assertThat(driver.state.activeAlarms()).isEmpty();
        }

        @Test
        void raisesTheRunawayAlarmOnceWhenTheValveRefusesAndClearsItOnTheNextSpray() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING);
            driver.refuseWith = "runaway guard: 120 s open in the last hour";
            driver.refuseAsRunaway = true;

            driver.reading(70).after(Duration.ofSeconds(10)).reading(70);

            assertThat(driver.count(EventType.HUMIDITY_ALARM)).isEqualTo(1);
            assertThat(driver.count(EventType.SPRAY_SKIPPED)).isEqualTo(1);
            driver.refuseWith = null;
            driver.after(Duration.ofSeconds(10)).reading(70);
            assertThat(driver.state.activeAlarms()).doesNotContain(AlarmKind.RUNAWAY);
        }
    }

    @Nested
    class Readings {

        @Test
        void recordsAReadingOnlyWhenItMovesPastTheDeadbandOrFiveMinutesPass() {
            PolicyDriver driver = new PolicyDriver(RULES, MORNING).reading(80.0);
            driver.after(Duration.ofSeconds(10)).reading(80.1);
            assertThat(driver.count(EventType.HUMIDITY_CHANGED)).isEqualTo(1);
            driver.after(Duration.ofSeconds(10)).reading(80.11);
            assertThat(driver.count(EventType.HUMIDITY_CHANGED)).isEqualTo(2);

            driver.after(Duration.ofMinutes(5)).reading(80.11);

            assertThat(driver.count(EventType.HUMIDITY_CHANGED)).isEqualTo(3);
        }
    }

    @Test
    void appliesNewRulesAndConfirmsThem() {
        PolicyDriver driver = new PolicyDriver(RULES, MORNING);

        driver.apply(new Input.RulesChange("cfg-1", RULES.withLowHumidityPct(85))).reading(80);

        assertThat(driver.count(EventType.CONFIG_APPLIED)).isEqualTo(1);
        assertThat(driver.sprays).hasSize(1);
    }

    @Test
    void plansTheNextSpray() {
        PolicyState state = PolicyState.initial("t1", RULES, MORNING);

        assertThat(SprayPolicy.nextPlanned(state, MORNING)).contains(
                new SprayPolicy.Planned(Instant.parse("2026-06-10T18:00:00Z"), SprayReason.EVENING));
    }
}
