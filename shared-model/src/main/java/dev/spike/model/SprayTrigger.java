package dev.spike.model;

/** The automatic rule that wanted to spray but decided not to ({@code spray_skipped}). */
public enum SprayTrigger implements WireName {
    LOW_HUMIDITY("low_humidity"),
    SENSOR_DOWN("sensor_down"),
    EVENING("evening");

    private final String wire;

    SprayTrigger(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
