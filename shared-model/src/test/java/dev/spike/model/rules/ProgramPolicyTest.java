package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Program;
import dev.spike.model.Program.Period;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.event.EventType;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.SpraySkipped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The spray policy with a day/night program: 85 % and a 20 min cooldown from 22:00 to 07:00, 70 % otherwise. */
class ProgramPolicyTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Period NIGHT = new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20);
    static final Rules RULES = Rules.defaults(BERLIN).withLowHumidityPct(70).withMinIntervalMin(60)
            .withProgram(Program.of(NIGHT));
    /** 10:00 and 23:00 local (summer time, UTC+2). */
    static final Instant DAY = Instant.parse("2026-06-10T08:00:00Z");
    static final Instant NIGHT_TIME = Instant.parse("2026-06-10T21:00:00Z");

    @Test
    void spraysBelowTheNightThresholdAtNightOnly() {
        PolicyDriver day = new PolicyDriver(RULES, DAY).reading(80);
        PolicyDriver night = new PolicyDriver(RULES, NIGHT_TIME).reading(80);

        assertThat(day.sprays).isEmpty();
        assertThat(night.sprays).extracting(Decision.OpenValve::reason).containsExactly(SprayReason.LOW_HUMIDITY);
        assertThat(((LowHumidity) night.events(EventType.LOW_HUMIDITY).get(0)).thresholdPct())
                .as("the event names the period's threshold").isEqualTo(85);
    }

    @Test
    void theThresholdStepsUpAtTheStartOfTheNight() {
        PolicyDriver driver = new PolicyDriver(RULES, Instant.parse("2026-06-10T19:55:00Z")).reading(80);
        assertThat(driver.sprays).as("21:55, day threshold 70").isEmpty();

        driver.at(Instant.parse("2026-06-10T20:00:00Z")).reading(80);

        assertThat(driver.sprayTimes).containsExactly(Instant.parse("2026-06-10T20:00:00Z"));
    }

    @Test
    void aNightSprayIsFollowedByTheNightCooldownAndADaySprayByTheDayOne() {
        PolicyDriver night = new PolicyDriver(RULES, NIGHT_TIME).reading(80).forget();
        night.after(Duration.ofMinutes(19)).reading(80);
        assertThat(night.sprays).isEmpty();
        night.after(Duration.ofMinutes(1)).reading(80);
        assertThat(night.sprays).hasSize(1);

        PolicyDriver day = new PolicyDriver(RULES, DAY).reading(60).forget();
        day.after(Duration.ofMinutes(59)).reading(60);
        assertThat(day.sprays).isEmpty();
        assertThat(day.state.cooldownUntil()).isEqualTo(DAY.plus(Duration.ofMinutes(60)));
        day.after(Duration.ofMinutes(1)).reading(60);
        assertThat(day.sprays).hasSize(1);
    }

    @Test
    void theCooldownIsThatOfThePeriodTheLastSprayFellIn() {
        // 06:50 local: a night spray; its 20 min cooldown ends at 07:10, in the day
        Instant lateNight = Instant.parse("2026-06-11T04:50:00Z");
        PolicyDriver driver = new PolicyDriver(RULES, lateNight).reading(60).forget();

        assertThat(driver.state.cooldownUntil()).isEqualTo(lateNight.plus(Duration.ofMinutes(20)));
        driver.after(Duration.ofMinutes(20)).reading(60);
        assertThat(driver.sprays).hasSize(1);
    }

    @Test
    void aSkipAtNightNamesThePeriodsThreshold() {
        PolicyDriver driver = new PolicyDriver(RULES, NIGHT_TIME).reading(80).forget();

        driver.after(Duration.ofMinutes(5)).reading(80);

        SpraySkipped skip = (SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0);
        assertThat(skip.reason()).isEqualTo("cooldown until 23:20 (last spray 23:00, low humidity);"
                + " threshold 85 % from 22:00 to 07:00");
    }

    @Test
    void aSkipByDayReadsAsWithoutAProgram() {
        PolicyDriver driver = new PolicyDriver(RULES, DAY).reading(60).forget();

        driver.after(Duration.ofMinutes(5)).reading(60);

        assertThat(((SpraySkipped) driver.events(EventType.SPRAY_SKIPPED).get(0)).reason())
                .isEqualTo("cooldown until 11:00 (last spray 10:00, low humidity)");
    }

    @Test
    void theDefaultRulesBehaveExactlyAsWithoutAProgramOverADay() {
        Rules seed = Rules.defaults(BERLIN);
        Rules withEmpty = seed.withProgram(Program.NONE);
        PolicyDriver a = new PolicyDriver(seed, DAY);
        PolicyDriver b = new PolicyDriver(withEmpty, DAY);

        for (int minute = 0; minute < 24 * 60; minute += 1) {
            double humidity = 72 + 6 * Math.sin(minute / 37.0);
            a.after(Duration.ofMinutes(1)).reading(humidity).tick();
            b.after(Duration.ofMinutes(1)).reading(humidity).tick();
        }

        assertThat(a.sprays).isNotEmpty();
        assertThat(b.events).isEqualTo(a.events);
        assertThat(b.sprayTimes).isEqualTo(a.sprayTimes);
    }
}
