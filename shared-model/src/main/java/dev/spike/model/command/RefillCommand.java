package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.WaterChange;

/**
 * The keeper refilled the water tank: the agent's water budget starts again from {@code levelL}, or from the tank's
 * capacity when that is null (filled to the top).
 */
public record RefillCommand(String id, Double levelL) implements Command {

    public RefillCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.optionalRange("levelL", levelL, 0, WaterChange.MAX_LITRES);
    }
}
