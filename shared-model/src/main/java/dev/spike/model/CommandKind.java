package dev.spike.model;

/** The commands a station can send; named in {@code command_result} events. */
public enum CommandKind implements WireName {
    SPRAY("spray"),
    CONFIG("config"),
    /** {@code cmd/rules}: some of the rules, merged over those in force. */
    RULES("rules"),
    HISTORY("history"),
    SIM_SET("sim_set"),
    /** {@code cmd/calibration}: a sensor's offsets or salt-test readings. */
    CALIBRATION("calibration");

    private final String wire;

    CommandKind(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
