package dev.spike.model.event;

import dev.spike.model.WireName;

/** Every event type of protocol v1, with its name on the wire and in {@code spike/<agentId>/event/<type>}. */
public enum EventType implements WireName {
    AGENT_STARTED("agent_started"),
    HUMIDITY_CHANGED("humidity_changed"),
    TEMPERATURE_CHANGED("temperature_changed"),
    LOW_HUMIDITY("low_humidity"),
    VALVE_OPENED("valve_opened"),
    VALVE_CLOSED("valve_closed"),
    SPRAY_SKIPPED("spray_skipped"),
    SENSOR_ERROR("sensor_error"),
    SENSOR_RECOVERED("sensor_recovered"),
    MODE_CHANGED("mode_changed"),
    HUMIDITY_ALARM("humidity_alarm"),
    HUMIDITY_ALARM_CLEARED("humidity_alarm_cleared"),
    COMMAND_RESULT("command_result"),
    CONFIG_APPLIED("config_applied"),
    /** A sensor's calibration changed, after an accepted {@code cmd/calibration}. */
    CALIBRATION_APPLIED("calibration_applied");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** Readings are compacted after the retention period; everything else is kept. */
    public boolean isReading() {
        return this == HUMIDITY_CHANGED || this == TEMPERATURE_CHANGED;
    }
}
