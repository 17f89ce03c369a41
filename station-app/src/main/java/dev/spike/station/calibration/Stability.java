package dev.spike.station.calibration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a sensor in a salt pack has settled: a pure judgement of the raw readings seen since the wait began. A
 * reading holds until the next one (the agent reports a change, or every 5 minutes), so the reading before the
 * window still counts inside it.
 *
 * <p>Settled means: waited at least {@code window}, and every raw reading of the last {@code window} within
 * {@code tolerancePct} of each other. The settled value is their time-weighted mean.
 */
public final class Stability {

    /** How long the readings must hold still; a salt pack takes hours to equilibrate, the last half hour counts. */
    public static final Duration WINDOW = Duration.ofMinutes(30);
    /** How far they may move in that time, %RH: a few LSB of noise, far less than any drift worth correcting. */
    public static final double TOLERANCE_PCT = 0.5;

    private Stability() {
    }

    /** One raw reading. */
    public record Sample(Instant at, double rawPct) {
    }

    /**
     * @param waited    since the wait began
     * @param latestPct the newest raw reading, or null before the first
     * @param spanPct   max - min over the window (or since the start, before a window passed); 0 without readings
     * @param stable    waited long enough and the span within the tolerance
     * @param settledPct the time-weighted mean over the window, or null while not stable
     */
    public record Judgement(Duration waited, Double latestPct, double spanPct, boolean stable, Double settledPct) {
    }

    /** @param samples in time order, since the wait began (earlier ones are ignored) */
    public static Judgement judge(List<Sample> samples, Instant startedAt, Instant now, Duration window,
            double tolerancePct) {
        Duration waited = Duration.between(startedAt, now).isNegative() ? Duration.ZERO
                : Duration.between(startedAt, now);
        Instant from = now.minus(window).isBefore(startedAt) ? startedAt : now.minus(window);
        Double latest = null;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double weighted = 0;
        long totalMs = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            if (sample.at().isBefore(startedAt) || sample.at().isAfter(now)) {
                continue;
            }
            latest = sample.rawPct();
            Instant until = i + 1 < samples.size() && !samples.get(i + 1).at().isAfter(now) ? samples.get(i + 1).at()
                    : now;
            if (!until.isAfter(from) && i + 1 < samples.size()) {
                continue; // replaced before the window began
            }
            min = Math.min(min, sample.rawPct());
            max = Math.max(max, sample.rawPct());
            Instant start = sample.at().isBefore(from) ? from : sample.at();
            long ms = Math.max(0, Duration.between(start, until).toMillis());
            weighted += sample.rawPct() * ms;
            totalMs += ms;
        }
        double span = latest == null ? 0 : max - min;
        boolean stable = latest != null && waited.compareTo(window) >= 0 && span <= tolerancePct + 1e-9;
        Double settled = !stable ? null : totalMs == 0 ? latest : Math.round(weighted / totalMs * 100) / 100.0;
        return new Judgement(waited, latest, span, stable, settled);
    }
}
