package dev.spike.model;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Some of the rules, to be merged over the rules in force ({@code cmd/rules}); a null field stays as it is. The
 * merged rules are validated whole, exactly like a {@code cmd/config}, by {@link Rules}' constructor: a patch that
 * sets {@code sprayDurationS} above the {@code maxSprayS} in force is refused with the same message. A program
 * replaces the one in force whole; {@link Program#NONE} removes it.
 */
public record RulesPatch(
        Double lowHumidityPct,
        Integer sprayDurationS,
        Integer minIntervalMin,
        Integer sensorDownSprayEveryH,
        Integer sensorDownAfterFailures,
        LocalTime eveningTime,
        Integer eveningSkipIfSprayedWithinMin,
        ZoneId timeZone,
        Integer maxSprayS,
        Integer readIntervalS,
        Double alarmLowPct,
        Double alarmHighPct,
        Program program) {

    /** The JSON names of the rules, in the order of {@link Rules}: the only fields a patch may carry. */
    public static final List<String> FIELDS = List.of("lowHumidityPct", "sprayDurationS", "minIntervalMin",
            "sensorDownSprayEveryH", "sensorDownAfterFailures", "eveningTime", "eveningSkipIfSprayedWithinMin",
            "timeZone", "maxSprayS", "readIntervalS", "alarmLowPct", "alarmHighPct", "program");

    public RulesPatch {
        if (lowHumidityPct == null && sprayDurationS == null && minIntervalMin == null && sensorDownSprayEveryH == null
                && sensorDownAfterFailures == null && eveningTime == null && eveningSkipIfSprayedWithinMin == null
                && timeZone == null && maxSprayS == null && readIntervalS == null && alarmLowPct == null
                && alarmHighPct == null && program == null) {
            throw new InvalidFieldException("rules", "must change at least one of " + String.join(", ", FIELDS)
                    + ", was empty");
        }
    }

    /** A patch of the twelve settings that leaves the program as it is. */
    public RulesPatch(Double lowHumidityPct, Integer sprayDurationS, Integer minIntervalMin,
            Integer sensorDownSprayEveryH, Integer sensorDownAfterFailures, LocalTime eveningTime,
            Integer eveningSkipIfSprayedWithinMin, ZoneId timeZone, Integer maxSprayS, Integer readIntervalS,
            Double alarmLowPct, Double alarmHighPct) {
        this(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH, sensorDownAfterFailures,
                eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS, alarmLowPct,
                alarmHighPct, null);
    }

    /**
     * The rules in force with this patch over them.
     *
     * @throws InvalidFieldException naming the field, as {@link Rules} does, when the merged rules are invalid
     */
    public Rules applyTo(Rules current) {
        return new Rules(
                or(lowHumidityPct, current.lowHumidityPct()),
                or(sprayDurationS, current.sprayDurationS()),
                or(minIntervalMin, current.minIntervalMin()),
                or(sensorDownSprayEveryH, current.sensorDownSprayEveryH()),
                or(sensorDownAfterFailures, current.sensorDownAfterFailures()),
                or(eveningTime, current.eveningTime()),
                or(eveningSkipIfSprayedWithinMin, current.eveningSkipIfSprayedWithinMin()),
                or(timeZone, current.timeZone()),
                or(maxSprayS, current.maxSprayS()),
                or(readIntervalS, current.readIntervalS()),
                or(alarmLowPct, current.alarmLowPct()),
                or(alarmHighPct, current.alarmHighPct()),
                or(program, current.program()));
    }

    /** The names of the fields this patch changes, in the order of {@link #FIELDS}. */
    public List<String> changed() {
        Object[] values = {lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH,
            sensorDownAfterFailures, eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS,
            alarmLowPct, alarmHighPct, program};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                names.add(FIELDS.get(i));
            }
        }
        return names;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
