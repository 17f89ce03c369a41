package dev.spike.station.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.SprayReason;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChartDataTest {

    @Test
    void aClosedSprayReplacesItsPlannedBand() {
        ChartData data = new ChartData();
        data.addSpray(SprayBand.planned(1_000, 6, SprayReason.EVENING));

        data.addSpray(new SprayBand(1_000, 5_500, SprayReason.EVENING));

        assertThat(data.sprays()).containsExactly(new SprayBand(1_000, 5_500, SprayReason.EVENING));
    }

    @Test
    void spraysStayOrderedByStart() {
        ChartData data = new ChartData();
        data.addSpray(SprayBand.planned(50_000, 6, SprayReason.MANUAL));
        data.addSpray(SprayBand.planned(10_000, 6, SprayReason.LOW_HUMIDITY));

        assertThat(data.sprays()).extracting(SprayBand::startMs).containsExactly(10_000L, 50_000L);
        assertThat(data.spraysBetween(12_000, 20_000)).extracting(SprayBand::startMs).containsExactly(10_000L);
        assertThat(data.spraysBetween(17_000, 49_000)).isEmpty();
    }

    @Test
    void aBatchNotifiesOnce() {
        ChartData data = new ChartData();
        AtomicInteger calls = new AtomicInteger();
        data.addListener(calls::incrementAndGet);

        data.update(() -> {
            for (int i = 0; i < 5000; i++) {
                data.appendHumidity(i * 10_000L, 80);
            }
            data.setLowHumidityPct(75);
        });

        assertThat(calls).hasValue(1);
        assertThat(data.humidity().size()).isEqualTo(5000);
    }

    @Test
    void aRepeatedReadingReplacesTheLastAndAnOlderOneIsRefused() {
        ReadingSeries series = new ReadingSeries();
        series.append(1_000, 70);
        series.append(1_000, 71);

        assertThat(series.size()).isEqualTo(1);
        assertThat(series.valueAt(0)).isEqualTo(71);
        assertThatThrownBy(() -> series.append(500, 72)).hasMessage("timeMs must not go back, was 500 after 1000");
    }

    @Test
    void findsTheFirstReadingAtOrAfterATime() {
        ReadingSeries series = ReadingSeries.of(new long[] {10, 20, 30}, new double[] {1, 2, 3});

        assertThat(series.indexAtOrAfter(5)).isZero();
        assertThat(series.indexAtOrAfter(20)).isEqualTo(1);
        assertThat(series.indexAtOrAfter(21)).isEqualTo(2);
        assertThat(series.indexAtOrAfter(31)).isEqualTo(3);
    }
}
