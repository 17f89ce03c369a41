package dev.spike.station.dashboard;

/**
 * The one thing a person must know about the selected agent first, most important first: if the station cannot
 * hear anything, nothing else it shows is current; if the agent is gone, its readings are old; if its sensor is
 * down, it sprays blind on the fallback schedule. {@code name().toLowerCase()} makes a CSS pseudo-class
 * ({@code :sensor_down}).
 */
public enum Situation {
    /** No agent selected (or none known yet). */
    NO_AGENT,
    /** The station has no connection to the broker: what it shows is the last it heard. */
    STATION_DISCONNECTED,
    /** The agent is offline (its status, or the broker's will). */
    AGENT_OFFLINE,
    /** The agent runs in sensor-down mode: no trustworthy readings, fallback sprays. */
    SENSOR_DOWN,
    /** The agent is online and normal, but the latest reading is older than 3 read intervals. */
    READING_STALE,
    /** Connected, online, sensor fine, reading fresh. */
    ALL_FINE
}
