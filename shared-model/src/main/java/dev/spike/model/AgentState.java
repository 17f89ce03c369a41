package dev.spike.model;

import dev.spike.model.event.WaterLevel;
import java.time.Instant;
import java.util.List;

/**
 * What the agent knows now, retained on {@code state} and republished whenever it changes. A station that connects
 * shows this at once, before any event arrives.
 *
 * @param at              when this state was computed
 * @param lastSeq         the highest event seq so far; a station compares it with its store to find gaps
 * @param humidityPct     the latest valid reading, or null if there was none since start
 * @param temperatureC    the latest valid temperature, or null
 * @param readingAt       when the latest valid reading was taken, or null
 * @param valveOpen       whether the valve is open now
 * @param valveCloseAt    when an open valve will close, or null while closed
 * @param mode            normal or sensor down
 * @param lastSprayAt     the last spray of any kind, or null if never
 * @param lastSprayReason why it sprayed, or null if never
 * @param cooldownUntil   no automatic spray before this, or null when there is no cooldown
 * @param nextSprayAt     the next planned spray (evening or sensor-down fallback), or null
 * @param nextSprayReason why that spray is planned, or null
 * @param activeAlarms    the alarms raised and not yet cleared
 * @param tankLevelL      the water budget's estimate of the tank, in litres, or null without a configured tank
 * @param tankCapacityL   the configured tank capacity, or null without one
 * @param tankDaysLeft    the days the water lasts at the recent use, or null when unknown
 */
public record AgentState(
        Instant at,
        long lastSeq,
        Double humidityPct,
        Double temperatureC,
        Instant readingAt,
        boolean valveOpen,
        Instant valveCloseAt,
        Mode mode,
        Instant lastSprayAt,
        SprayReason lastSprayReason,
        Instant cooldownUntil,
        Instant nextSprayAt,
        SprayReason nextSprayReason,
        List<AlarmKind> activeAlarms,
        Double tankLevelL,
        Double tankCapacityL,
        Double tankDaysLeft) {

    public AgentState {
        Checks.notNull("at", at);
        Checks.atLeast("lastSeq", lastSeq, 0);
        Checks.optionalRange("humidityPct", humidityPct, 0, 100);
        Checks.optionalRange("temperatureC", temperatureC, -40, 125);
        Checks.notNull("mode", mode);
        activeAlarms = List.copyOf(Checks.notNull("activeAlarms", activeAlarms));
        Checks.optionalRange("tankLevelL", tankLevelL, 0, WaterChange.MAX_LITRES);
        Checks.optionalRange("tankCapacityL", tankCapacityL, 0.1, WaterChange.MAX_LITRES);
        Checks.optionalRange("tankDaysLeft", tankDaysLeft, 0, WaterLevel.MAX_DAYS_LEFT);
    }

    /** A state without a water tank, as every agent before the water budget sent it. */
    public AgentState(Instant at, long lastSeq, Double humidityPct, Double temperatureC, Instant readingAt,
            boolean valveOpen, Instant valveCloseAt, Mode mode, Instant lastSprayAt, SprayReason lastSprayReason,
            Instant cooldownUntil, Instant nextSprayAt, SprayReason nextSprayReason, List<AlarmKind> activeAlarms) {
        this(at, lastSeq, humidityPct, temperatureC, readingAt, valveOpen, valveCloseAt, mode, lastSprayAt,
                lastSprayReason, cooldownUntil, nextSprayAt, nextSprayReason, activeAlarms, null, null, null);
    }

    /** The same state with the water budget's tank. */
    public AgentState withTank(Double levelL, Double capacityL, Double daysLeft) {
        return new AgentState(at, lastSeq, humidityPct, temperatureC, readingAt, valveOpen, valveCloseAt, mode,
                lastSprayAt, lastSprayReason, cooldownUntil, nextSprayAt, nextSprayReason, activeAlarms, levelL,
                capacityL, daysLeft);
    }
}
