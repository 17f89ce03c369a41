package dev.spike.model.event;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.WaterChange;
import java.time.Instant;

/**
 * The water budget's estimate of the tank: the agent has no level sensor, it counts what each spray uses (open time
 * times the valve's flow) from the last refill.
 *
 * @param levelL    the estimated water left, in litres
 * @param capacityL the tank's configured capacity, in litres
 * @param cause     why the estimate changed
 * @param usedL     what the spray used, for {@code spray}; else null
 * @param daysLeft  the days the water lasts at the recent use, or null while there is no recent use to go by
 */
public record WaterLevel(String agentId, long seq, Instant at, double levelL, double capacityL, WaterChange cause,
        Double usedL, Double daysLeft) implements Event {

    /** The most days left the agent states: beyond this the estimate says nothing useful. */
    public static final double MAX_DAYS_LEFT = 3650;

    public WaterLevel {
        Event.checkHeader(agentId, seq, at);
        Checks.range("levelL", levelL, 0, WaterChange.MAX_LITRES);
        Checks.range("capacityL", capacityL, 0.1, WaterChange.MAX_LITRES);
        Checks.notNull("cause", cause);
        Checks.optionalRange("usedL", usedL, 0, WaterChange.MAX_LITRES);
        Checks.optionalRange("daysLeft", daysLeft, 0, MAX_DAYS_LEFT);
        if (levelL > capacityL) {
            throw new InvalidFieldException("levelL", "must be at most capacityL (" + Checks.plain(capacityL)
                    + "), was " + Checks.plain(levelL));
        }
    }

    /** The level as a share of the capacity, 0..100. */
    public double levelPct() {
        return 100 * levelL / capacityL;
    }

    @Override
    public EventType type() {
        return EventType.WATER_LEVEL;
    }

    @Override
    public WaterLevel withHeader(String agentId, long seq, Instant at) {
        return new WaterLevel(agentId, seq, at, levelL, capacityL, cause, usedL, daysLeft);
    }
}
