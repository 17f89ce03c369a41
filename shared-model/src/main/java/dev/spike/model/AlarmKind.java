package dev.spike.model;

/**
 * What a {@code humidity_alarm} is about. {@code RUNAWAY} extends the original v1 list: the valve's runaway guard
 * refusing to open is as urgent for the keeper as humidity out of range, and it needs a raised/cleared pair too.
 */
public enum AlarmKind implements WireName {
    /** Humidity below {@code alarmLowPct} for 15 minutes. */
    LOW("low"),
    /** Humidity above {@code alarmHighPct} for 60 minutes. */
    HIGH("high"),
    /** Humidity did not rise by 2 points within 3 minutes of a spray: empty tank or blocked nozzle. */
    NO_EFFECT("no_effect"),
    /** The valve was open more than the hourly budget and refuses to open. */
    RUNAWAY("runaway"),
    /**
     * With two sensors: one failed {@code sensorDownAfterFailures} reads in a row and the rules use the other alone;
     * the message says which. Sensor-down mode comes only when both fail.
     */
    SENSOR_FAILED("sensor_failed"),
    /** With two sensors: their humidity readings differ by more than the configured margin for the configured time. */
    SENSOR_DIVERGENCE("sensor_divergence");

    private final String wire;

    AlarmKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
