package dev.spike.model;

/** Why the valve was opened. */
public enum SprayReason implements WireName {
    LOW_HUMIDITY("low_humidity"),
    SENSOR_DOWN("sensor_down"),
    EVENING("evening"),
    MANUAL("manual");

    private final String wire;

    SprayReason(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
