package dev.spike.model.event;

import dev.spike.model.Calibration;
import dev.spike.model.Checks;
import java.time.Instant;

/**
 * Sensor {@code sensorNumber} is calibrated anew, after an accepted {@code cmd/calibration}; the agent keeps the
 * latest one per sensor across restarts, over the config file's.
 *
 * @param commandId the command that asked for it
 * @param reset     true when the command went back to the config file's calibration: the agent follows the config
 *                  file again from then on, also after it changes
 */
public record CalibrationApplied(String agentId, long seq, Instant at, int sensorNumber, double humidityGain,
        double humidityOffsetPct, double temperatureOffsetC, String commandId, boolean reset) implements Event {

    public CalibrationApplied {
        Event.checkHeader(agentId, seq, at);
        Checks.range("sensorNumber", sensorNumber, 1, 2);
        new Calibration(humidityGain, humidityOffsetPct, temperatureOffsetC);
        Checks.optionalText("commandId", commandId, 64);
    }

    public CalibrationApplied(String agentId, long seq, Instant at, int sensorNumber, Calibration calibration,
            String commandId, boolean reset) {
        this(agentId, seq, at, sensorNumber, calibration.humidityGain(), calibration.humidityOffsetPct(),
                calibration.temperatureOffsetC(), commandId, reset);
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
                temperatureOffsetC, commandId, reset);
    }
}
