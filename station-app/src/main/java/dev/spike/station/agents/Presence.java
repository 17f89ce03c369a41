package dev.spike.station.agents;

import dev.spike.model.Status;
import dev.spike.station.connection.ConnectionState;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether an agent can be heard now, decided in this one place for the sidebar, the dashboard and the commands:
 * a pure function of the station's connection, the agent's retained status and its newest reading, on the agent's
 * clock ({@link AgentClock}). {@code name().toLowerCase()} makes a CSS pseudo-class.
 */
public enum Presence {
    /** No agent selected. */
    NO_AGENT,
    /** The station has no broker connection: what it shows of the agent is the last it heard. */
    STATION_DISCONNECTED,
    /** The agent's status says offline (its own, or the broker's will); also before any status arrived. */
    OFFLINE,
    /** Online, but its newest reading is older than {@value #STALE_INTERVALS} read intervals, or there is none. */
    STALE,
    /** Online with a fresh reading. */
    ONLINE;

    /** A reading older than this many read intervals is stale, like the agent's own sensor-down rule. */
    public static final int STALE_INTERVALS = 3;

    /**
     * @param agentId       the agent, or null for none
     * @param connection    the station's connection, or null while unknown
     * @param status        the agent's latest status, or null
     * @param readingAt     its newest reading's time (agent clock), or null
     * @param readIntervalS its rules' read interval
     * @param agentNow      now on the agent's clock
     */
    public static Presence of(String agentId, ConnectionState connection, Status status, Instant readingAt,
                              int readIntervalS, Instant agentNow) {
        if (agentId == null) {
            return NO_AGENT;
        }
        if (connection == null || !connection.isConnected()) {
            return STATION_DISCONNECTED;
        }
        if (status == null || !status.online()) {
            return OFFLINE;
        }
        return stale(readingAt, readIntervalS, agentNow) ? STALE : ONLINE;
    }

    /** Whether a reading taken at {@code readingAt} (null: none yet) is too old to show as "now". */
    public static boolean stale(Instant readingAt, int readIntervalS, Instant agentNow) {
        return readingAt == null || Duration.between(readingAt, agentNow).compareTo(staleAfter(readIntervalS)) > 0;
    }

    public static Duration staleAfter(int readIntervalS) {
        return Duration.ofSeconds((long) readIntervalS * STALE_INTERVALS);
    }

    /** The agent can take a command now (online, stale or not, and the station connected). */
    public boolean reachable() {
        return this == ONLINE || this == STALE;
    }
}
