package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;

/**
 * Change the simulated sensor or tank; honoured only by an agent started with {@code --simulate}. Either field may
 * be left out (null), not both. {@code sensorNumber} says which simulated sensor {@code sensor} is for: 1 when left
 * out (null), as before there were two.
 */
public record SimSetCommand(String id, SensorFault sensor, TankLevel tank, Integer sensorNumber) implements Command {

    public SimSetCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        if (sensor == null && tank == null) {
            throw new InvalidFieldException("sensor", "or tank is required");
        }
        if (sensorNumber != null) {
            Checks.range("sensorNumber", sensorNumber.intValue(), 1, 2);
            if (sensor == null) {
                throw new InvalidFieldException("sensorNumber", "needs sensor");
            }
        }
    }

    /** For sensor 1. */
    public SimSetCommand(String id, SensorFault sensor, TankLevel tank) {
        this(id, sensor, tank, null);
    }

    /** The sensor that {@code sensor} is for, 1 or 2. */
    public int targetSensor() {
        return sensorNumber == null ? 1 : sensorNumber;
    }
}
