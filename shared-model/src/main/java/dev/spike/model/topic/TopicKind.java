package dev.spike.model.topic;

import dev.spike.model.CommandKind;
import dev.spike.model.WireName;

/** What a topic under {@code spike/<agentId>/} carries; the wire name is the topic's suffix. */
public enum TopicKind implements WireName {
    STATUS("status", 1, true),
    EVENT("event", 1, false),
    STATE("state", 1, true),
    HEALTH("health", 0, true),
    CONFIG("config", 1, true),
    CMD_SPRAY("cmd/spray", 1, false),
    CMD_CONFIG("cmd/config", 1, false),
    /** Some of the rules, merged over the rules in force; added to v1 for clients that set one value at a time. */
    CMD_RULES("cmd/rules", 1, false),
    CMD_HISTORY("cmd/history", 1, false),
    SIM_SET("sim/set", 1, false),
    /** A sensor's calibration; added to v1 with the second sensor. */
    CMD_CALIBRATION("cmd/calibration", 1, false),
    /** History pages, on the response topic a station names in its {@code cmd/history}. */
    REPLY("reply", 1, false);

    private final String wire;
    private final int qos;
    private final boolean retained;

    TopicKind(String wire, int qos, boolean retained) {
        this.wire = wire;
        this.qos = qos;
        this.retained = retained;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The MQTT QoS messages of this kind are published with. */
    public int qos() {
        return qos;
    }

    /** Whether the broker retains the latest message of this kind. */
    public boolean retained() {
        return retained;
    }

    /** Topics a station sends to an agent. */
    public boolean isCommand() {
        return this == CMD_SPRAY || this == CMD_CONFIG || this == CMD_RULES || this == CMD_HISTORY || this == SIM_SET
                || this == CMD_CALIBRATION;
    }

    /**
     * The command this topic carries, as {@code command_result} names it.
     *
     * @throws IllegalStateException if this is not a command topic ({@link #isCommand()})
     */
    public CommandKind commandKind() {
        switch (this) {
            case CMD_SPRAY:
                return CommandKind.SPRAY;
            case CMD_CONFIG:
                return CommandKind.CONFIG;
            case CMD_RULES:
                return CommandKind.RULES;
            case CMD_HISTORY:
                return CommandKind.HISTORY;
            case SIM_SET:
                return CommandKind.SIM_SET;
            case CMD_CALIBRATION:
                return CommandKind.CALIBRATION;
            default:
                throw new IllegalStateException(this + " carries no command");
        }
    }
}
