package dev.spike.model.command;

/**
 * A request from a station to an agent. Every command has an id of 1..64 characters chosen by the sender; the agent
 * answers each with a {@code command_result} event and executes an id at most once.
 */
public sealed interface Command permits SprayCommand, ConfigCommand, RulesCommand, HistoryRequest, SimSetCommand,
        CalibrationCommand {

    /** Longest command id, in characters. */
    int MAX_ID_LENGTH = 64;

    String id();
}
