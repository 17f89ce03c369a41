package dev.spike.station.chart;

import java.util.Arrays;

/**
 * The readings of one quantity (humidity in %RH or temperature in °C) as two parallel primitive arrays: times in
 * epoch milliseconds, ascending, and the values taken then. 30 days of 10 s readings are 259,200 points, so no
 * boxing and no per-point objects.
 *
 * <p>Append-only and not thread-safe: fill it on the thread that owns the chart (the FX thread, through the
 * ViewModel's UI executor). A point older than the last one is rejected, because the chart finds the visible range
 * by binary search; a reading with the same time as the last one replaces it (a duplicate delivery).
 */
public final class ReadingSeries {

    private long[] times;
    private double[] values;
    private int size;

    public ReadingSeries() {
        this(1024);
    }

    public ReadingSeries(int initialCapacity) {
        int capacity = Math.max(16, initialCapacity);
        times = new long[capacity];
        values = new double[capacity];
    }

    /** A series holding copies of the given arrays, which must be of equal length and ascending in time. */
    public static ReadingSeries of(long[] timesMs, double[] values) {
        if (timesMs.length != values.length) {
            throw new IllegalArgumentException("timesMs and values must have the same length, were "
                    + timesMs.length + " and " + values.length);
        }
        ReadingSeries series = new ReadingSeries(timesMs.length);
        for (int i = 0; i < timesMs.length; i++) {
            series.append(timesMs[i], values[i]);
        }
        return series;
    }

    /**
     * Adds a reading at the end.
     *
     * @throws IllegalArgumentException if {@code timeMs} is before the last reading, or the value is not finite
     */
    public void append(long timeMs, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite, was " + value + " at " + timeMs);
        }
        if (size > 0) {
            long last = times[size - 1];
            if (timeMs < last) {
                throw new IllegalArgumentException("timeMs must not go back, was " + timeMs + " after " + last);
            }
            if (timeMs == last) {
                values[size - 1] = value;
                return;
            }
        }
        if (size == times.length) {
            int capacity = times.length + (times.length >> 1);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        times[size] = timeMs;
        values[size] = value;
        size++;
    }

    /** Removes every reading. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long timeAt(int index) {
        return times[checkIndex(index)];
    }

    public double valueAt(int index) {
        return values[checkIndex(index)];
    }

    /** The first index whose time is at or after {@code timeMs}; {@link #size()} if there is none. */
    public int indexAtOrAfter(long timeMs) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (times[mid] < timeMs) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The backing arrays, valid up to {@link #size()}: for the downsampler and the CSV writer, which read them
     * without copying. Do not modify them, and do not keep them across an append (the arrays may be replaced).
     */
    long[] rawTimes() {
        return times;
    }

    double[] rawValues() {
        return values;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (size - 1));
        }
        return index;
    }
}
