package dev.spike.model.event;

import dev.spike.model.Calibration;
import dev.spike.model.Checks;
import java.time.Instant;

/**
 * Sensor {@code sensorNumber} is calibrated anew, after an accepted {@code cmd/calibration}; the agent keeps the
 * latest one per sensor across restarts, over the config file's.
 *
 * @param commandId the command that asked for it
 */
public record CalibrationApplied(String agentId, long seq, Instant at, int sensorNumber, double humidityGain,
        double humidityOffsetPct, double temperatureOffsetC, String commandId) implements Event {

    public CalibrationApplied {
        Event.checkHeader(agentId, seq, at);
        Checks.range("sensorNumber", sensorNumber, 1, 2);
        new Calibration(humidityGain, humidityOffsetPct, temperatureOffsetC);
        Checks.optionalText("commandId", commandId, 64);
    }

    public CalibrationApplied(String agentId, long seq, Instant at, int sensorNumber, Calibration calibration,
            String commandId) {
        this(agentId, seq, at, sensorNumber, calibration.humidityGain(), calibration.humidityOffsetPct(),
                calibration.temperatureOffsetC(), commandId);
    }

    public Calibration calibration() {
        return new Calibration(humidityGain, humidityOffsetPct, temperatureOffsetC);
    }

    @Override
    public EventType type() {
        return EventType.CALIBRATION_APPLIED;
    }

    @Override
    public CalibrationApplied withHeader(String agentId, long seq, Instant at) {
        return new CalibrationApplied(agentId, seq, at, sensorNumber, humidityGain, humidityOffsetPct,
                temperatureOffsetC, commandId);
    }
}
