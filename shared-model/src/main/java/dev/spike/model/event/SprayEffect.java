package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/**
 * What one spray did to the humidity: the rise from the reading before it to the peak after it, how long the peak
 * took, and how long the humidity then took to fall halfway back. Sent once the decay is measured or the watch window
 * ends.
 *
 * @param sprayAt     when the valve opened
 * @param baselinePct the humidity when the valve opened
 * @param risePct     the peak minus the baseline, in points; 0 when the humidity never rose
 * @param peakAfterS  seconds from the valve opening to the peak
 * @param halfLifeS   seconds from the peak until the humidity fell halfway back to the baseline, or null if it did
 *                    not within the watch window (or there was no rise to fall from)
 */
public record SprayEffect(String agentId, long seq, Instant at, Instant sprayAt, double baselinePct, double risePct,
        int peakAfterS, Double halfLifeS) implements Event {

    /** Longest watch after a spray, in seconds: a peak or decay later than this is not the spray's. */
    public static final int MAX_WATCH_S = 3600;

    public SprayEffect {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("sprayAt", sprayAt);
        Checks.range("baselinePct", baselinePct, 0, 100);
        Checks.range("risePct", risePct, 0, 100);
        Checks.range("peakAfterS", peakAfterS, 0, MAX_WATCH_S);
        Checks.optionalRange("halfLifeS", halfLifeS, 0, MAX_WATCH_S);
    }

    @Override
    public EventType type() {
        return EventType.SPRAY_EFFECT;
    }

    @Override
    public SprayEffect withHeader(String agentId, long seq, Instant at) {
        return new SprayEffect(agentId, seq, at, sprayAt, baselinePct, risePct, peakAfterS, halfLifeS);
    }
}
