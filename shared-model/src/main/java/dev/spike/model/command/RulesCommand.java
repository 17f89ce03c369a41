package dev.spike.model.command;

import dev.spike.model.Checks;
import dev.spike.model.RulesPatch;

/**
 * Change some of the rules ({@code cmd/rules}): the patch is merged over the rules in force and the result validated
 * exactly like a {@code cmd/config}; answered with a {@code command_result} whose {@code command} is {@code rules}.
 * For clients that set one value at a time, such as a Home Assistant number.
 */
public record RulesCommand(String id, RulesPatch rules) implements Command {

    public RulesCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.notNull("rules", rules);
    }
}
