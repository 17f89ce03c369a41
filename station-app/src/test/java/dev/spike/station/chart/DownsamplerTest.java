package dev.spike.station.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DownsamplerTest {

    private static final long DAY_MS = 86_400_000L;
    private static final long T0 = 1_777_600_000_000L;

    /** 30 days of 10 s readings: a daily wave, noise, and a few single-reading spikes. */
    private static ReadingSeries month(long seed) {
        Random random = new Random(seed);
        int n = 30 * 8640;
        long[] times = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            times[i] = T0 + i * 10_000L;
            values[i] = 80 + 8 * Math.sin(i * 2 * Math.PI / 8640) + random.nextGaussian();
        }
        values[12_345] = 99.5;
        values[200_000] = 12.5;
        return ReadingSeries.of(times, values);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 300, 1200, 1920})
    void outputIsBoundedByTwicePerColumnPlusEnds(int columns) {
        ReadingSeries series = month(1);

        Downsampler.Points points = Downsampler.minMaxPerColumn(series, T0, T0 + 30 * DAY_MS, columns,
                Downsampler.NO_GAPS);

        assertThat(points.size()).isLessThanOrEqualTo(2 * columns + 2).isGreaterThan(0);
    }

    @Test
    void keepsTheExtremesOfTheWholeRange() {
        ReadingSeries series = month(2);

        Downsampler.Points points = Downsampler.minMaxPerColumn(series, T0, T0 + 30 * DAY_MS, 1200,
                Downsampler.NO_GAPS);

        assertThat(points.values()).contains(99.5, 12.5);
        assertThat(Arrays.stream(points.values()).max().orElseThrow()).isEqualTo(99.5);
        assertThat(Arrays.stream(points.values()).min().orElseThrow()).isEqualTo(12.5);
        assertThat(points.timesMs()).contains(T0 + 12_345 * 10_000L, T0 + 200_000 * 10_000L);
    }

    @Test
    void keepsTheExtremesOfEveryColumn() {
        ReadingSeries series = month(3);
        int columns = 600;
        long start = T0;
        long end = T0 + 30 * DAY_MS;

        Downsampler.Points points = Downsampler.minMaxPerColumn(series, start, end, columns, Downsampler.NO_GAPS);

        double columnMs = (double) (end - start) / columns;
        double[] min = new double[columns];
        double[] max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < series.size(); i++) {
            int c = (int) Math.min(columns - 1, (long) ((series.timeAt(i) - start) / columnMs));
            min[c] = Math.min(min[c], series.valueAt(i));
            max[c] = Math.max(max[c], series.valueAt(i));
        }
        double[] outMin = new double[columns];
        double[] outMax = new double[columns];
        Arrays.fill(outMin, Double.POSITIVE_INFINITY);
        Arrays.fill(outMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < points.size(); i++) {
            int c = (int) Math.min(columns - 1, (long) ((points.timesMs()[i] - start) / columnMs));
            outMin[c] = Math.min(outMin[c], points.values()[i]);
            outMax[c] = Math.max(outMax[c], points.values()[i]);
        }
        assertThat(outMin).containsExactly(min);
        assertThat(outMax).containsExactly(max);
    }

    @Test
    void preservesFirstAndLastPoint() {
        ReadingSeries series = month(4);

        Downsampler.Points points = Downsampler.minMaxPerColumn(series, T0, T0 + 30 * DAY_MS, 1000,
                Downsampler.NO_GAPS);

        assertThat(points.timesMs()[0]).isEqualTo(series.timeAt(0));
        assertThat(points.values()[0]).isEqualTo(series.valueAt(0));
        assertThat(points.timesMs()[points.size() - 1]).isEqualTo(series.timeAt(series.size() - 1));
        assertThat(points.values()[points.size() - 1]).isEqualTo(series.valueAt(series.size() - 1));
    }

    @Test
    void outputIsInTimeOrder() {
        Downsampler.Points points = Downsampler.minMaxPerColumn(month(5), T0, T0 + 30 * DAY_MS, 1200,
                Downsampler.NO_GAPS);

        long[] times = points.timesMs();
        for (int i = 1; i < times.length; i++) {
            assertThat(times[i]).isGreaterThan(times[i - 1]);
        }
    }

    @Test
    void sparseInputComesOutUnchanged() {
        long[] times = {T0, T0 + 60_000, T0 + 120_000, T0 + 180_000};
        double[] values = {70, 71.5, 69, 72};

        Downsampler.Points points = Downsampler.minMaxPerColumn(times, values, 0, 4, T0, T0 + 3_600_000, 1200,
                Downsampler.NO_GAPS);

        assertThat(points.timesMs()).containsExactly(times);
        assertThat(points.values()).containsExactly(values);
    }

    @Test
    void visibleWindowIsCutFromTheSeriesWithOneNeighbourEachSide() {
        ReadingSeries series = month(6);
        long start = T0 + 10 * DAY_MS + 5_000;
        long end = start + 3_600_000;

        Downsampler.Points points = Downsampler.minMaxPerColumn(series, start, end, 1200, Downsampler.NO_GAPS);

        // 360 readings inside the hour, one more at each edge, all kept at 1200 columns
        assertThat(points.size()).isEqualTo(362);
        assertThat(points.timesMs()[0]).isEqualTo(start - 5_000);
        assertThat(points.timesMs()[points.size() - 1]).isEqualTo(end + 5_000);
    }

    @Test
    void breaksTheLineWhereReadingsStopped() {
        long[] times = {T0, T0 + 10_000, T0 + 20_000, T0 + 3_600_000, T0 + 3_610_000};
        double[] values = {80, 80, 80, 70, 70};

        Downsampler.Points points = Downsampler.minMaxPerColumn(times, values, 0, 5, T0, T0 + 4_000_000, 400,
                15 * 60_000L);

        assertThat(points.size()).isEqualTo(6);
        assertThat(points.values()[3]).isNaN();
        assertThat(points.timesMs()[3]).isBetween(T0 + 20_000, T0 + 3_600_000);
    }

    @Test
    void doesNotBreakTheLineForAGapNarrowerThanAColumn() {
        long[] times = {T0, T0 + 20 * 60_000L, T0 + 40 * 60_000L};
        double[] values = {80, 81, 82};

        // 30 days over 100 columns: a column is 7.2 hours, a 20 minute silence is invisible
        Downsampler.Points points = Downsampler.minMaxPerColumn(times, values, 0, 3, T0, T0 + 30 * DAY_MS, 100,
                15 * 60_000L);

        assertThat(points.values()).doesNotContain(Double.NaN);
    }

    @Test
    void emptyInputGivesNoPoints() {
        Downsampler.Points points = Downsampler.minMaxPerColumn(new ReadingSeries(), T0, T0 + DAY_MS, 100,
                Downsampler.NO_GAPS);

        assertThat(points.size()).isZero();
    }

    @Test
    void rejectsAnEmptyWindowAndNoColumns() {
        ReadingSeries series = month(7);

        assertThatThrownBy(() -> Downsampler.minMaxPerColumn(series, T0, T0, 100, Downsampler.NO_GAPS))
                .hasMessageContaining("endMs must be after startMs");
        assertThatThrownBy(() -> Downsampler.minMaxPerColumn(series, T0, T0 + DAY_MS, 0, Downsampler.NO_GAPS))
                .hasMessage("columns must be >= 1, was 0");
    }
}
