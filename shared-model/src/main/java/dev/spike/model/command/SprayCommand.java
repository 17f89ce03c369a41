package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.Rules;

/**
 * Open the valve now for {@code durationS} seconds. The model allows 1..60; the agent narrows it to its
 * {@code maxSprayS}. Sent with an MQTT 5 message expiry of 30 s so a late delivery never sprays.
 */
public record SprayCommand(String id, int durationS) implements Command {

    public SprayCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.range("durationS", durationS, 1, Rules.ABSOLUTE_MAX_SPRAY_S);
    }
}
