package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/**
 * Something that happened on an agent. Every event carries the agent's id, a {@code seq} that is strictly
 * increasing per agent and never reused (also across restarts), and the time it happened.
 */
public sealed interface Event permits AgentStarted, HumidityChanged, TemperatureChanged, LowHumidity, ValveOpened,
        ValveClosed, SpraySkipped, SensorError, SensorRecovered, ModeChanged, HumidityAlarm, HumidityAlarmCleared,
        CommandResult, ConfigApplied, CalibrationApplied {

    String agentId();

    long seq();

    Instant at();

    EventType type();

    /** The same event with another header: the store assigns seq and time when it appends. */
    Event withHeader(String agentId, long seq, Instant at);

    /** Checks the three header fields every event shares. */
    static void checkHeader(String agentId, long seq, Instant at) {
        Checks.agentId("agentId", agentId);
        Checks.atLeast("seq", seq, 1);
        Checks.notNull("at", at);
    }
}
