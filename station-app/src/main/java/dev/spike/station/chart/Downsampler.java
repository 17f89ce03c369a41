package dev.spike.station.chart;

import java.util.Arrays;

/**
 * Reduces a long run of readings to what a chart of a given pixel width can show: per pixel column the lowest and
 * the highest reading, in time order (min/max decimation). A line through these points looks the same as a line
 * through every point, at any zoom, while the cost of drawing it depends on the width only: 30 days of 10 s
 * readings (259,200 points) become at most 2 points per column.
 *
 * <p>Guarantees, for every call: the first and the last input point are kept; the lowest and the highest value of
 * every column, hence of the whole input, are kept; the output is in time order; it has at most
 * {@code 2 * columns + 2} points plus one break marker per gap. Input that already has at most one point per column
 * comes out unchanged.
 *
 * <p>Gaps: a silence between two consecutive readings longer than {@code gapMs} (and longer than one column) is
 * emitted as a point with value NaN, which breaks the line, so a sensor that was down shows as a hole instead of a
 * straight line bridging it. Pure: no state, no I/O.
 */
public final class Downsampler {

    /** Never break the line. */
    public static final long NO_GAPS = Long.MAX_VALUE;

    private Downsampler() {
    }

    /** Points in time order; a NaN value marks a break in the line. */
    public record Points(long[] timesMs, double[] values) {

        public Points {
            if (timesMs.length != values.length) {
                throw new IllegalArgumentException("timesMs and values must have the same length, were "
                        + timesMs.length + " and " + values.length);
            }
        }

        public int size() {
            return timesMs.length;
        }
    }

    /**
     * Downsamples the readings of {@code series} inside {@code [startMs, endMs]}, plus the nearest reading on
     * either side so the line runs to the edges of the plot.
     */
    public static Points minMaxPerColumn(ReadingSeries series, long startMs, long endMs, int columns, long gapMs) {
        int from = Math.max(0, series.indexAtOrAfter(startMs) - 1);
        int to = Math.min(series.size(), series.indexAtOrAfter(endMs) + 1);
        return minMaxPerColumn(series.rawTimes(), series.rawValues(), from, to, startMs, endMs, columns, gapMs);
    }

    /**
     * Downsamples the points {@code [from, to)} of the parallel arrays {@code timesMs} (ascending) and
     * {@code values}. The window {@code [startMs, endMs]} is cut into {@code columns} equal columns; points outside
     * it count to the first or the last column.
     */
    public static Points minMaxPerColumn(long[] timesMs, double[] values, int from, int to,
                                         long startMs, long endMs, int columns, long gapMs) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, was " + columns);
        }
        if (endMs <= startMs) {
            throw new IllegalArgumentException("endMs must be after startMs (" + startMs + "), was " + endMs);
        }
        if (from < 0 || to > timesMs.length || to > values.length || from > to) {
            throw new IllegalArgumentException("from..to must lie within the arrays, was " + from + ".." + to);
        }
        int n = to - from;
        if (n == 0) {
            return new Points(new long[0], new double[0]);
        }
        double columnMs = (double) (endMs - startMs) / columns;
        // a gap must also span more than a column: a shorter one is invisible at this zoom and would only add points
        double breakAfterMs = Math.max((double) gapMs, columnMs);

        Out out = new Out(Math.min(n + 2, 2 * columns + 8));
        int groupColumn = column(timesMs[from], startMs, columnMs, columns);
        int groupFirst = from;
        int minIndex = from;
        int maxIndex = from;
        for (int i = from + 1; i < to; i++) {
            int column = column(timesMs[i], startMs, columnMs, columns);
            boolean gap = timesMs[i] - timesMs[i - 1] > breakAfterMs;
            if (column != groupColumn || gap) {
                flush(out, timesMs, values, groupFirst, minIndex, maxIndex, i - 1, from, to);
                if (gap) {
                    out.add(timesMs[i - 1] + 1, Double.NaN);
                }
                groupColumn = column;
                groupFirst = i;
                minIndex = i;
                maxIndex = i;
            } else {
                if (values[i] < values[minIndex]) {
                    minIndex = i;
                }
                if (values[i] > values[maxIndex]) {
                    maxIndex = i;
                }
            }
        }
        flush(out, timesMs, values, groupFirst, minIndex, maxIndex, to - 1, from, to);
        return out.toPoints();
    }

    private static int column(long timeMs, long startMs, double columnMs, int columns) {
        double offset = (timeMs - startMs) / columnMs;
        if (offset < 0) {
            return 0;
        }
        return (int) Math.min(columns - 1, (long) offset);
    }

    /** Emits one column's extremes in time order, with the very first and very last input point. */
    private static void flush(Out out, long[] timesMs, double[] values, int groupFirst, int minIndex, int maxIndex,
                              int groupLast, int from, int to) {
        int[] picks = new int[4];
        int count = 0;
        if (groupFirst == from) {
            picks[count++] = from;
        }
        picks[count++] = minIndex;
        picks[count++] = maxIndex;
        if (groupLast == to - 1) {
            picks[count++] = to - 1;
        }
        Arrays.sort(picks, 0, count);
        int previous = -1;
        for (int k = 0; k < count; k++) {
            if (picks[k] != previous) {
                out.add(timesMs[picks[k]], values[picks[k]]);
                previous = picks[k];
            }
        }
    }

    private static final class Out {
        private long[] times;
        private double[] values;
        private int size;

        Out(int capacity) {
            times = new long[Math.max(4, capacity)];
            values = new double[times.length];
        }

        void add(long time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }

        Points toPoints() {
            return new Points(Arrays.copyOf(times, size), Arrays.copyOf(values, size));
        }
    }
}
