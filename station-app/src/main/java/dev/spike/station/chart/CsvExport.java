package dev.spike.station.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Writes the readings and sprays of a time window as CSV (RFC 4180, comma separated, CRLF line ends), one row per
 * moment in time order, for a spreadsheet or a script:
 *
 * <pre>
 * time,humidity_pct,temperature_c,spray_reason,spray_duration_s
 * 2026-05-01T18:00:00Z,76.1,27.3,,
 * 2026-05-01T18:00:10Z,74.2,,,
 * 2026-05-01T18:00:10Z,,,low_humidity,6.003
 * </pre>
 *
 * <p>Times are ISO-8601 UTC instants as in the protocol; numbers use a dot and no grouping whatever the locale, and
 * carry no trailing zeros. A humidity and a temperature reading taken at the same millisecond share a row; a spray
 * gets a row of its own at the moment the valve opened, with its reason as on the wire and how long it was open.
 * Every reading is written, not the downsampled points the chart draws. Pure: no clock, no files.
 */
public final class CsvExport {

    public static final String HEADER = "time,humidity_pct,temperature_c,spray_reason,spray_duration_s";
    private static final String EOL = "\r\n";

    private CsvExport() {
    }

    /** The CSV of everything in {@code data} from {@code fromMs} to {@code toMs}, both included. */
    public static String toCsv(ChartData data, long fromMs, long toMs) {
        StringBuilder out = new StringBuilder();
        try {
            write(out, data, fromMs, toMs);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not throw", e);
        }
        return out.toString();
    }

    /** Writes the CSV of everything in {@code data} from {@code fromMs} to {@code toMs}, both included. */
    public static void write(Appendable out, ChartData data, long fromMs, long toMs) throws IOException {
        if (toMs < fromMs) {
            throw new IllegalArgumentException("toMs must not be before fromMs (" + fromMs + "), was " + toMs);
        }
        out.append(HEADER).append(EOL);
        ReadingSeries humidity = data.humidity();
        ReadingSeries temperature = data.temperature();
        int h = humidity.indexAtOrAfter(fromMs);
        int hEnd = toMs == Long.MAX_VALUE ? humidity.size() : humidity.indexAtOrAfter(toMs + 1);
        int t = temperature.indexAtOrAfter(fromMs);
        int tEnd = toMs == Long.MAX_VALUE ? temperature.size() : temperature.indexAtOrAfter(toMs + 1);
        List<SprayBand> sprays = data.spraysBetween(fromMs, toMs);
        int s = 0;
        // sprays that began before the window but reach into it are listed; they sort first
        while (h < hEnd || t < tEnd || s < sprays.size()) {
            long next = Long.MAX_VALUE;
            if (h < hEnd) {
                next = humidity.timeAt(h);
            }
            if (t < tEnd) {
                next = Math.min(next, temperature.timeAt(t));
            }
            if (s < sprays.size() && sprays.get(s).startMs() < next) {
                writeSpray(out, sprays.get(s++));
                continue;
            }
            boolean hasHumidity = h < hEnd && humidity.timeAt(h) == next;
            boolean hasTemperature = t < tEnd && temperature.timeAt(t) == next;
            out.append(Instant.ofEpochMilli(next).toString()).append(',');
            if (hasHumidity) {
                out.append(number(humidity.valueAt(h++)));
            }
            out.append(',');
            if (hasTemperature) {
                out.append(number(temperature.valueAt(t++)));
            }
            out.append(",,").append(EOL);
            while (s < sprays.size() && sprays.get(s).startMs() == next) {
                writeSpray(out, sprays.get(s++));
            }
        }
    }

    private static void writeSpray(Appendable out, SprayBand spray) throws IOException {
        out.append(Instant.ofEpochMilli(spray.startMs()).toString())
                .append(",,,")
                .append(spray.reason().wire())
                .append(',')
                .append(BigDecimal.valueOf(spray.durationMs(), 3).stripTrailingZeros().toPlainString())
                .append(EOL);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
