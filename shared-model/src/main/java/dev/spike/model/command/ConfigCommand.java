package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.Rules;

/** Replace the rules, whole and at once. */
public record ConfigCommand(String id, Rules rules) implements Command {

    public ConfigCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.notNull("rules", rules);
    }
}
