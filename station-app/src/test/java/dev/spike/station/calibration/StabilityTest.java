package dev.spike.station.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityTest {

    static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(30);

    static Stability.Sample at(int minutes, double raw) {
        return new Stability.Sample(T0.plus(Duration.ofMinutes(minutes)), raw);
    }

    @Test
    void isNotSettledBeforeAWholeWindowWasWaited() {
        Stability.Judgement j = Stability.judge(List.of(at(0, 74.6)), T0, T0.plus(Duration.ofMinutes(29)), WINDOW,
                0.5);

        assertThat(j.stable()).isFalse();
        assertThat(j.waited()).isEqualTo(Duration.ofMinutes(29));
        assertThat(j.latestPct()).isEqualTo(74.6);
        assertThat(j.settledPct()).isNull();
    }

    @Test
    void settlesWhenTheLastWindowStaysWithinTheTolerance() {
        // still climbing in the pack for the first 40 min, then steady within 0.3 points
        List<Stability.Sample> samples = List.of(at(0, 60), at(20, 70), at(40, 74.5), at(55, 74.8), at(70, 74.6));

        Stability.Judgement early = Stability.judge(samples, T0, T0.plus(Duration.ofMinutes(60)), WINDOW, 0.5);
        Stability.Judgement later = Stability.judge(samples, T0, T0.plus(Duration.ofMinutes(72)), WINDOW, 0.5);

        assertThat(early.stable()).isFalse(); // 70 still held until minute 40, inside the window from minute 30
        assertThat(early.spanPct()).isCloseTo(4.8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(later.stable()).isTrue();
        // time-weighted: 74.5 for 13 min, 74.8 for 15, 74.6 for 2
        assertThat(later.settledPct()).isEqualTo(74.66);
    }

    @Test
    void aReadingHoldsUntilTheNextOneSoAQuietSensorSettles() {
        Stability.Judgement j = Stability.judge(List.of(at(0, 33.9)), T0, T0.plus(Duration.ofMinutes(45)), WINDOW,
                0.5);

        assertThat(j.stable()).isTrue();
        assertThat(j.settledPct()).isEqualTo(33.9);
    }

    @Test
    void withoutAnyReadingNothingSettles() {
        Stability.Judgement j = Stability.judge(List.of(), T0, T0.plus(Duration.ofHours(2)), WINDOW, 0.5);

        assertThat(j.stable()).isFalse();
        assertThat(j.latestPct()).isNull();
    }
}
