package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.AlarmKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.WaterChange;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.WaterLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaterBudgetTest {

    static final Instant T0 = Instant.parse("2026-06-10T08:00:00Z");
    /** 5 L, 10 ml/s: a 6 s spray uses 0.06 L; low below 20 % (1 L). */
    static final WaterBudget.Settings TANK = new WaterBudget.Settings(5, 10, 20);

    private WaterBudget.State state;
    private final List<Event> events = new ArrayList<>();

    private void start(WaterLevel last, List<WaterLevel> recent, boolean low, Instant now) {
        WaterBudget.Outcome outcome = WaterBudget.start("t", TANK, last, recent, low, now);
        state = outcome.state();
        events.addAll(outcome.events());
    }

    private void apply(WaterBudget.Input input, Instant now) {
        WaterBudget.Outcome outcome = WaterBudget.apply(state, input, now);
        state = outcome.state();
        events.addAll(outcome.events());
    }

    private <T extends Event> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        events.stream().filter(type::isInstance).map(type::cast).forEach(out::add);
        return out;
    }

    @Test
    void aTankSeenForTheFirstTimeStartsFull() {
        start(null, List.of(), false, T0);

        assertThat(state.levelL()).isEqualTo(5);
        assertThat(of(WaterLevel.class)).singleElement().satisfies(e -> {
            assertThat(e.cause()).isEqualTo(WaterChange.CONFIGURED);
            assertThat(e.levelL()).isEqualTo(5);
            assertThat(e.daysLeft()).isNull();
        });
    }

    @Test
    void everySpraySubtractsOpenTimeTimesFlow() {
        start(null, List.of(), false, T0);

        apply(new WaterBudget.Input.SprayEnded(6_000), T0.plusSeconds(6));
        apply(new WaterBudget.Input.SprayEnded(6_500), T0.plusSeconds(3600));

        assertThat(state.levelL()).isEqualTo(5 - 0.06 - 0.065, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(of(WaterLevel.class)).extracting(WaterLevel::cause)
                .containsExactly(WaterChange.CONFIGURED, WaterChange.SPRAY, WaterChange.SPRAY);
        assertThat(of(WaterLevel.class).get(1).usedL()).isEqualTo(0.06);
    }

    @Test
    void daysLeftGoesByTheRecentUse() {
        start(null, List.of(), false, T0);
        // ten sprays of 0.1 L a day for three days: 1 L a day, 2 L left
        for (int day = 0; day < 3; day++) {
            for (int i = 0; i < 10; i++) {
                apply(new WaterBudget.Input.SprayEnded(10_000),
                        T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(i)));
            }
        }
        Instant end = T0.plus(Duration.ofDays(3));

        assertThat(state.levelL()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(state.daysLeft(end)).isEqualTo(2.0);
    }

    @Test
    void daysLeftCountsAtLeastOneDaySoTheFirstSprayDoesNotPredictAnEmptyTankTonight() {
        start(null, List.of(), false, T0);

        apply(new WaterBudget.Input.SprayEnded(10_000), T0.plusSeconds(60));

        // 0.1 L used, counted over a day: 4.9 L last 49 days
        assertThat(state.daysLeft(T0.plusSeconds(60))).isEqualTo(49.0);
    }

    @Test
    void raisesLowWaterOnceBelowTheConfiguredShareAndARefillClearsIt() {
        start(null, List.of(), false, T0);
        Instant at = T0;
        for (int i = 0; i < 41; i++) { // 41 x 0.1 L: 0.9 L left, below 1 L
            at = at.plusSeconds(600);
            apply(new WaterBudget.Input.SprayEnded(10_000), at);
        }

        assertThat(of(HumidityAlarm.class)).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo(AlarmKind.LOW_WATER);
            assertThat(alarm.message()).startsWith("water tank low: about 0.90 L left (18 %)").contains("days");
        });
        assertThat(state.lowAlarm()).isTrue();

        apply(new WaterBudget.Input.Refilled("refill-1", null), at.plusSeconds(60));

        assertThat(state.levelL()).isEqualTo(5);
        assertThat(of(HumidityAlarmCleared.class)).extracting(HumidityAlarmCleared::kind)
                .containsExactly(AlarmKind.LOW_WATER);
        assertThat(of(CommandResult.class)).singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
        assertThat(events.get(events.size() - 2)).isInstanceOf(WaterLevel.class);
    }

    @ParameterizedTest(name = "refilled to {0} L of 5: accepted={1}")
    @CsvSource({"0, true", "2.5, true", "5, true", "5.01, false"})
    void aRefillToMoreThanTheCapacityIsRefused(double litres, boolean accepted) {
        start(null, List.of(), false, T0);

        apply(new WaterBudget.Input.Refilled("r", litres), T0.plusSeconds(1));

        CommandResult result = of(CommandResult.class).get(0);
        assertThat(result.accepted()).isEqualTo(accepted);
        if (!accepted) {
            assertThat(result.reason()).isEqualTo("levelL must be at most the tank's capacity (5 L, tank.capacityL),"
                    + " was 5.01");
            assertThat(state.levelL()).isEqualTo(5);
        } else {
            assertThat(state.levelL()).isEqualTo(litres);
        }
    }

    @Test
    void aSprayWithoutEffectEmptiesTheEstimateAndRaisesLowWaterOnce() {
        start(null, List.of(), false, T0);

        apply(new WaterBudget.Input.NoEffect(), T0.plusSeconds(300));
        apply(new WaterBudget.Input.NoEffect(), T0.plusSeconds(900));

        assertThat(state.levelL()).isZero();
        assertThat(of(WaterLevel.class)).extracting(WaterLevel::cause)
                .containsExactly(WaterChange.CONFIGURED, WaterChange.EMPTY);
        assertThat(of(HumidityAlarm.class)).singleElement().satisfies(alarm -> {
            assertThat(alarm.kind()).isEqualTo(AlarmKind.LOW_WATER);
            assertThat(alarm.message()).startsWith("water tank taken as empty: a spray had no effect (estimate was"
                    + " 5.00 L)");
        });
    }

    @Test
    void anEmptyEstimateStaysAtZero() {
        start(null, List.of(), false, T0);
        apply(new WaterBudget.Input.NoEffect(), T0.plusSeconds(300));

        apply(new WaterBudget.Input.SprayEnded(6_000), T0.plusSeconds(4000));

        assertThat(state.levelL()).isZero();
    }

    @Test
    void aRestartTakesOverTheLastEstimateAndTheRecentUse() {
        WaterLevel first = new WaterLevel("t", 1, T0, 5, 5, WaterChange.CONFIGURED, null, null);
        WaterLevel spray = new WaterLevel("t", 2, T0.plus(Duration.ofDays(1)), 4, 5, WaterChange.SPRAY, 1.0, 4.0);

        start(spray, List.of(first, spray), true, T0.plus(Duration.ofDays(2)));

        assertThat(events).isEmpty();
        assertThat(state.levelL()).isEqualTo(4);
        assertThat(state.lowAlarm()).isTrue();
        assertThat(state.daysLeft(T0.plus(Duration.ofDays(2)))).isEqualTo(8.0);
    }

    @Test
    void aChangedCapacityStartsAFullTankAgain() {
        WaterLevel old = new WaterLevel("t", 2, T0, 1, 2, WaterChange.SPRAY, 0.1, null);

        start(old, List.of(old), false, T0.plusSeconds(60));

        assertThat(state.levelL()).isEqualTo(5);
        assertThat(of(WaterLevel.class)).extracting(WaterLevel::cause).containsExactly(WaterChange.CONFIGURED);
    }

    @Test
    void settingsNameTheConfigKey() {
        assertThatThrownBy(() -> new WaterBudget.Settings(0, 10, 20)).isInstanceOf(InvalidFieldException.class)
                .hasMessage("tank.capacityL must be 0.1..1000, was 0");
        assertThatThrownBy(() -> new WaterBudget.Settings(5, 0, 20)).hasMessage(
                "valve.flowMlPerS must be 0.01..10000, was 0");
        assertThatThrownBy(() -> new WaterBudget.Settings(5, 10, 101)).hasMessage(
                "tank.lowAlarmPct must be 0..100, was 101");
    }
}
