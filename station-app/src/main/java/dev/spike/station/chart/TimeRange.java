package dev.spike.station.chart;

import java.time.Duration;

/** The preset spans of the readings chart; the window ends at "now" while the chart follows live data. */
public enum TimeRange {
    HOUR_1("1 h", Duration.ofHours(1)),
    HOURS_6("6 h", Duration.ofHours(6)),
    HOURS_24("24 h", Duration.ofHours(24)),
    DAYS_7("7 d", Duration.ofDays(7)),
    DAYS_30("30 d", Duration.ofDays(30));

    private final String label;
    private final Duration span;

    TimeRange(String label, Duration span) {
        this.label = label;
        this.span = span;
    }

    /** Short label for a button: "24 h". */
    public String label() {
        return label;
    }

    public Duration span() {
        return span;
    }

    public long spanMs() {
        return span.toMillis();
    }
}
