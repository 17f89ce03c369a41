package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AlarmKind;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.SprayEffect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SprayEffectsTest {

    static final Instant T0 = Instant.parse("2026-06-10T08:00:00Z");

    private SprayEffects.State state = SprayEffects.start("t", List.of(), false);
    private final List<Event> events = new ArrayList<>();
    private Instant now = T0;

    private SprayEffectsTest at(Duration sinceStart) {
        now = T0.plus(sinceStart);
        return this;
    }

    private SprayEffectsTest apply(SprayEffects.Input input) {
        SprayEffects.Outcome outcome = SprayEffects.apply(state, input, now);
        state = outcome.state();
        events.addAll(outcome.events());
        return this;
    }

    private SprayEffectsTest spray(double baseline) {
        return apply(new SprayEffects.Input.SprayStarted(baseline));
    }

    private SprayEffectsTest reading(long secondsAfter, double pct, Instant sprayAt) {
        now = sprayAt.plusSeconds(secondsAfter);
        return apply(new SprayEffects.Input.Reading(pct));
    }

    private List<SprayEffect> effects() {
        List<SprayEffect> out = new ArrayList<>();
        events.stream().filter(SprayEffect.class::isInstance).map(SprayEffect.class::cast).forEach(out::add);
        return out;
    }

    /** One spray at {@code at} that rises by {@code rise} within 10 s and is halfway down 300 s later. */
    private void sprayWithRise(Instant at, double rise) {
        now = at;
        spray(70);
        reading(10, 70 + rise, at);
        reading(310, 70 + rise / 2, at);
    }

    @Test
    void measuresTheRiseThePeakAndTheHalfLife() {
        spray(72);
        reading(10, 80, T0).reading(20, 84.5, T0).reading(30, 84.0, T0).reading(200, 80, T0);

        assertThat(effects()).isEmpty();

        reading(400, 78.2, T0); // at or below 72 + 12.5 / 2 = 78.25

        assertThat(effects()).singleElement().satisfies(e -> {
            assertThat(e.sprayAt()).isEqualTo(T0);
            assertThat(e.baselinePct()).isEqualTo(72);
            assertThat(e.risePct()).isEqualTo(12.5);
            assertThat(e.peakAfterS()).isEqualTo(20);
            assertThat(e.halfLifeS()).isEqualTo(380.0);
            assertThat(e.at()).isEqualTo(T0.plusSeconds(400));
        });
        assertThat(state.watch()).isNull();
    }

    @Test
    void aSprayWithoutRiseEndsAfterTheWatchWindowWithoutHalfLife() {
        spray(72);
        reading(10, 71.9, T0).reading(600, 71.0, T0);
        at(SprayEffects.WATCH.minusSeconds(1)).apply(new SprayEffects.Input.Tick());
        assertThat(effects()).isEmpty();

        at(SprayEffects.WATCH).apply(new SprayEffects.Input.Tick());

        assertThat(effects()).singleElement().satisfies(e -> {
            assertThat(e.risePct()).isZero();
            assertThat(e.peakAfterS()).isZero();
            assertThat(e.halfLifeS()).isNull();
        });
    }

    @Test
    void theNextSprayEndsTheWatchOfTheLastOne() {
        spray(72);
        reading(10, 80, T0);

        at(Duration.ofMinutes(10)).spray(79);

        assertThat(effects()).singleElement().satisfies(e -> {
            assertThat(e.risePct()).isEqualTo(8);
            assertThat(e.halfLifeS()).isNull();
        });
        assertThat(state.watch().baselinePct()).isEqualTo(79);
    }

    @Test
    void aSprayWithoutAFreshReadingIsNotWatched() {
        apply(new SprayEffects.Input.SprayStarted(null));
        reading(10, 90, T0);
        at(Duration.ofHours(1)).apply(new SprayEffects.Input.Tick());

        assertThat(effects()).isEmpty();
    }

    @Test
    void raisesCloggingWhenTheRiseHalvesOverAWeekAndNotBefore() {
        // week 1: rises of 12; week 2: 7 (ratio 0.58, no alarm); then 5.5 from day 14 (ratio vs week 2... )
        for (int day = 0; day < 7; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 12);
        }
        for (int day = 7; day < 14; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 7);
        }
        assertThat(events).noneMatch(HumidityAlarm.class::isInstance);

        for (int day = 14; day < 21; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 3.4);
        }

        List<HumidityAlarm> alarms = new ArrayList<>();
        events.stream().filter(HumidityAlarm.class::isInstance).map(HumidityAlarm.class::cast).forEach(alarms::add);
        assertThat(alarms).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo(AlarmKind.CLOGGING);
            assertThat(alarm.message()).contains("the nozzle clogging");
        });
        assertThat(state.clogging()).isTrue();
    }

    @Test
    void sprayWithoutEffectIsNoEffectsBusinessNotClogging() {
        for (int day = 0; day < 7; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 12);
        }
        // the tank ran dry: no rise at all for a week
        for (int day = 7; day < 14; day++) {
            now = T0.plus(Duration.ofDays(day));
            spray(70);
            at(Duration.ofDays(day).plus(SprayEffects.WATCH)).apply(new SprayEffects.Input.Tick());
        }

        assertThat(effects()).hasSize(14);
        assertThat(events).noneMatch(HumidityAlarm.class::isInstance);
    }

    @Test
    void aCleanedNozzleClearsCloggingButTwoEquallyCloggedWeeksDoNot() {
        for (int day = 0; day < 7; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 12);
        }
        for (int day = 7; day < 14; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 5);
        }
        assertThat(state.clogging()).isTrue();
        for (int day = 14; day < 21; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 5);
        }
        assertThat(events).noneMatch(HumidityAlarmCleared.class::isInstance);

        for (int day = 21; day < 28; day++) {
            sprayWithRise(T0.plus(Duration.ofDays(day)), 11);
        }

        assertThat(events).filteredOn(HumidityAlarmCleared.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((HumidityAlarmCleared) e).kind()).isEqualTo(AlarmKind.CLOGGING));
        assertThat(state.clogging()).isFalse();
    }
}
