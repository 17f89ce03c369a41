package dev.spike.station.agents;

import java.time.Duration;
import java.time.Instant;

/**
 * The agent's clock as it reports it, so ages and countdowns read right for a simulated agent at x60 and for a real
 * agent whose clock is off. Pure: fed with (agent time, station time) pairs of what the agent says live, asked for
 * the agent's now at a station time.
 *
 * <p>A message's agent time is at most its send time, so {@code agentTime - receivedAt} is at most the true offset;
 * the largest of recent observations is the estimate. An older, smaller observation (a queued or retained message)
 * does not pull it back; after {@link #WINDOW} without a larger one the newest observation replaces it, so a clock
 * stepped back by NTP is followed. Without any observation, and within {@link #NOTABLE_SKEW} either way, the agent's
 * clock is taken to be the station's: a delivery delay or a retained message a few seconds old is not a skew, and a
 * clock within a minute reads right enough for ages in seconds and minutes.
 */
public final class AgentClock {

    /** How long the largest observation stands against smaller ones. */
    public static final Duration WINDOW = Duration.ofMinutes(2);
    /** A skew beyond this is shown to the person. */
    public static final Duration NOTABLE_SKEW = Duration.ofMinutes(1);

    private Duration offset;
    private Instant offsetAt;

    /** The agent said {@code agentTime} and the station received it at {@code stationTime}. */
    public void observe(Instant agentTime, Instant stationTime) {
        Duration observed = Duration.between(stationTime, agentTime);
        if (offset == null || observed.compareTo(offset) >= 0
                || Duration.between(offsetAt, stationTime).compareTo(WINDOW) > 0) {
            offset = observed;
            offsetAt = stationTime;
        }
    }

    /** Now on the agent's clock, at the station's {@code stationNow}. */
    public Instant now(Instant stationNow) {
        return stationNow.plus(skew());
    }

    /** Agent minus station; zero while unknown or within {@link #NOTABLE_SKEW}. */
    public Duration skew() {
        return offset == null || offset.abs().compareTo(NOTABLE_SKEW) <= 0 ? Duration.ZERO : offset;
    }

    /** Whether the skew is worth telling: more than {@link #NOTABLE_SKEW} either way. */
    public boolean notable() {
        return skew().abs().compareTo(NOTABLE_SKEW) > 0;
    }
}
