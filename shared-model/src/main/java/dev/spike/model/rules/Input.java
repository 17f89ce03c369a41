package dev.spike.model.rules;

import dev.spike.model.Rules;
import dev.spike.model.RulesPatch;
import dev.spike.model.SprayReason;

/** What the spray policy reacts to. The shell turns sensor results, timers, commands and valve outcomes into these. */
public sealed interface Input {

    /** A valid, plausible reading from the sensor. */
    record Reading(double humidityPct, double temperatureC) implements Input {
    }

    /** A failed or rejected sensor read, with the driver's precise reason. */
    record SensorFailure(String reason) implements Input {
    }

    /** Time passed: evaluates the evening spray, the sensor-down fallback, staleness and alarm timers. */
    record Tick() implements Input {
    }

    /** A keeper asked to spray now ({@code cmd/spray}); the duration is already within 1..60. */
    record ManualSpray(String commandId, int durationS) implements Input {
    }

    /** New rules from {@code cmd/config}, already validated whole. */
    record RulesChange(String commandId, Rules rules) implements Input {
    }

    /**
     * Some rules from {@code cmd/rules}: merged over the rules in force when the policy takes it, so two patches in
     * a row both count, and validated whole then.
     */
    record RulesPatchChange(String commandId, RulesPatch patch) implements Input {
    }

    /** The valve really opened for a spray the policy asked for: only now does it count as the last spray. */
    record SprayStarted(SprayReason reason, int durationS, String commandId) implements Input {
    }

    /**
     * The valve refused a spray the policy asked for.
     *
     * @param why     the valve's reason, for a person ("valve already open", "runaway guard: ...")
     * @param runaway true when the hourly open-time budget was the reason
     */
    record SprayRefused(SprayReason reason, String commandId, String why, boolean runaway) implements Input {
    }
}
