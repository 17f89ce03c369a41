package dev.spike.model;

/**
 * The agent's control mode.
 *
 * <pre>
 *   NORMAL ──(sensorDownAfterFailures failures, or no valid reading for 3 read intervals)──▶ SENSOR_DOWN
 *   SENSOR_DOWN ──(a few consecutive good readings)──▶ NORMAL
 * </pre>
 */
public enum Mode implements WireName {
    /** Sprays follow the humidity readings. */
    NORMAL("normal"),
    /** No trustworthy readings: spray {@code sprayDurationS} every {@code sensorDownSprayEveryH} hours. */
    SENSOR_DOWN("sensor_down");

    private final String wire;

    Mode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
