package dev.spike.station.chart;

import dev.spike.model.SprayReason;
import java.util.Objects;

/**
 * One spray on the chart: from {@code valve_opened} to {@code valve_closed}, in epoch milliseconds. While the valve
 * is still open (or the close event was lost) the ViewModel passes the planned end, {@code opened + durationS}.
 */
public record SprayBand(long startMs, long endMs, SprayReason reason) {

    public SprayBand {
        Objects.requireNonNull(reason, "reason");
        if (endMs < startMs) {
            throw new IllegalArgumentException("endMs must not be before startMs (" + startMs + "), was " + endMs);
        }
    }

    /** A spray that opened at {@code startMs} for {@code durationS} seconds. */
    public static SprayBand planned(long startMs, int durationS, SprayReason reason) {
        return new SprayBand(startMs, startMs + durationS * 1000L, reason);
    }

    public long durationMs() {
        return endMs - startMs;
    }
}
