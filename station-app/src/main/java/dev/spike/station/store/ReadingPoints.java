package dev.spike.station.store;

/**
 * One series of readings (humidity in %RH or temperature in °C) as two parallel primitive arrays, ascending in time:
 * 30 days of 10 s readings are 259,200 points, so no per-point objects. Fits {@code chart.ReadingSeries.of}.
 *
 * <p>The arrays belong to the receiver; the store never touches them again.
 *
 * @param timesMs epoch milliseconds
 * @param values  the reading at each time
 */
public record ReadingPoints(long[] timesMs, double[] values) {

    public ReadingPoints {
        if (timesMs.length != values.length) {
            throw new IllegalArgumentException("timesMs and values must have the same length, were "
                    + timesMs.length + " and " + values.length);
        }
    }

    public int size() {
        return timesMs.length;
    }
}
