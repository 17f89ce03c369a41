package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;

/**
 * Change the simulated sensor or tank; honoured only by an agent started with {@code --simulate}. Either field may
 * be left out (null), not both.
 */
public record SimSetCommand(String id, SensorFault sensor, TankLevel tank) implements Command {

    public SimSetCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        if (sensor == null && tank == null) {
            throw new InvalidFieldException("sensor", "or tank is required");
        }
    }
}
