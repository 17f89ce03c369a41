package dev.spike.model;

import static dev.spike.model.Checks.notNull;
import static dev.spike.model.Checks.range;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Every setting of the spray rules, with its default. Built in code, a bad value throws
 * {@link InvalidFieldException} naming the field, the value and the allowed range.
 *
 * @param lowHumidityPct                spray when relative humidity drops below this, in %RH
 * @param sprayDurationS                how long an automatic spray opens the valve, in seconds
 * @param minIntervalMin                cooldown after any spray before an automatic one, in minutes
 * @param sensorDownSprayEveryH         fallback cadence while the sensor is down, in hours, counted from the last spray
 * @param sensorDownAfterFailures       consecutive failed reads that put the agent in sensor-down mode
 * @param eveningTime                   the daily evening spray, local time in {@code timeZone}
 * @param eveningSkipIfSprayedWithinMin skip the evening spray if any spray happened within this many minutes
 * @param timeZone                      the zone of {@code eveningTime}
 * @param maxSprayS                     the longest any spray may be, manual ones included; the valve enforces it too
 * @param readIntervalS                 seconds between sensor reads
 * @param alarmLowPct                   raise a low-humidity alarm below this for 15 minutes
 * @param alarmHighPct                  raise a high-humidity alarm above this for 60 minutes
 * @param program                       periods of the day with another threshold and cooldown; {@link Program#NONE}
 *                                      (also for null) keeps {@code lowHumidityPct} and {@code minIntervalMin} all day
 */
public record Rules(
        double lowHumidityPct,
        int sprayDurationS,
        int minIntervalMin,
        int sensorDownSprayEveryH,
        int sensorDownAfterFailures,
        LocalTime eveningTime,
        int eveningSkipIfSprayedWithinMin,
        ZoneId timeZone,
        int maxSprayS,
        int readIntervalS,
        double alarmLowPct,
        double alarmHighPct,
        Program program) {

    /** The valve never opens longer than this, whatever the rules say. */
    public static final int ABSOLUTE_MAX_SPRAY_S = 60;

    public Rules {
        range("lowHumidityPct", lowHumidityPct, 1, 99);
        range("maxSprayS", maxSprayS, 1, ABSOLUTE_MAX_SPRAY_S);
        range("sprayDurationS", sprayDurationS, 1, maxSprayS);
        range("minIntervalMin", minIntervalMin, 1, 24 * 60);
        range("sensorDownSprayEveryH", sensorDownSprayEveryH, 1, 48);
        range("sensorDownAfterFailures", sensorDownAfterFailures, 1, 100);
        notNull("eveningTime", eveningTime);
        if (eveningTime.getSecond() != 0 || eveningTime.getNano() != 0) {
            throw new InvalidFieldException("eveningTime", "must be whole minutes (HH:mm), was " + eveningTime);
        }
        range("eveningSkipIfSprayedWithinMin", eveningSkipIfSprayedWithinMin, 0, 24 * 60);
        notNull("timeZone", timeZone);
        range("readIntervalS", readIntervalS, 1, 3600);
        range("alarmLowPct", alarmLowPct, 0, 100);
        range("alarmHighPct", alarmHighPct, 0, 100);
        if (alarmLowPct >= alarmHighPct) {
            throw new InvalidFieldException("alarmLowPct", "must be below alarmHighPct ("
                    + Checks.plain(alarmHighPct) + "), was " + Checks.plain(alarmLowPct));
        }
        program = program == null ? Program.NONE : program;
    }

    /** Rules without a program, as they were before programs existed: every caller of the twelve settings. */
    public Rules(double lowHumidityPct, int sprayDurationS, int minIntervalMin, int sensorDownSprayEveryH,
            int sensorDownAfterFailures, LocalTime eveningTime, int eveningSkipIfSprayedWithinMin, ZoneId timeZone,
            int maxSprayS, int readIntervalS, double alarmLowPct, double alarmHighPct) {
        this(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH, sensorDownAfterFailures,
                eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS, alarmLowPct,
                alarmHighPct, Program.NONE);
    }

    /** The documented defaults, with the evening spray in the given zone. */
    public static Rules defaults(ZoneId timeZone) {
        return new Rules(75, 6, 10, 6, 3, LocalTime.of(20, 0), 60, timeZone, 30, 10, 60, 95);
    }

    /** The documented defaults in this machine's zone. */
    public static Rules defaults() {
        return defaults(ZoneId.systemDefault());
    }

    public Rules withLowHumidityPct(double value) {
        return new Rules(value, sprayDurationS, minIntervalMin, sensorDownSprayEveryH, sensorDownAfterFailures,
                eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS, alarmLowPct,
                alarmHighPct, program);
    }

    public Rules withSprayDurationS(int value) {
        return new Rules(lowHumidityPct, value, minIntervalMin, sensorDownSprayEveryH, sensorDownAfterFailures,
                eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS, alarmLowPct,
                alarmHighPct, program);
    }

    public Rules withMinIntervalMin(int value) {
        return new Rules(lowHumidityPct, sprayDurationS, value, sensorDownSprayEveryH, sensorDownAfterFailures,
                eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS, alarmLowPct,
                alarmHighPct, program);
    }

    public Rules withEveningTime(LocalTime value) {
        return new Rules(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH,
                sensorDownAfterFailures, value, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS,
                alarmLowPct, alarmHighPct, program);
    }

    public Rules withTimeZone(ZoneId value) {
        return new Rules(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH,
                sensorDownAfterFailures, eveningTime, eveningSkipIfSprayedWithinMin, value, maxSprayS, readIntervalS,
                alarmLowPct, alarmHighPct, program);
    }

    public Rules withReadIntervalS(int value) {
        return new Rules(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH,
                sensorDownAfterFailures, eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, value,
                alarmLowPct, alarmHighPct, program);
    }

    public Rules withProgram(Program value) {
        return new Rules(lowHumidityPct, sprayDurationS, minIntervalMin, sensorDownSprayEveryH,
                sensorDownAfterFailures, eveningTime, eveningSkipIfSprayedWithinMin, timeZone, maxSprayS, readIntervalS,
                alarmLowPct, alarmHighPct, value);
    }

    /** The program's period in force at {@code at} (local time in {@code timeZone}), if any. */
    public Optional<Program.Period> periodAt(Instant at) {
        return program.periodAt(at, timeZone);
    }

    /** The spray threshold in force at {@code at}: the period's, or {@code lowHumidityPct} outside every period. */
    public double lowHumidityPctAt(Instant at) {
        return periodAt(at).map(Program.Period::lowHumidityPct).orElse(lowHumidityPct);
    }

    /**
     * The cooldown after a spray made at {@code sprayAt}: the period's if it sets one, else {@code minIntervalMin}.
     * The spray's time decides, so a cooldown, once begun, has one fixed end.
     */
    public int minIntervalMinAt(Instant sprayAt) {
        return periodAt(sprayAt).map(Program.Period::minIntervalMin).orElse(minIntervalMin);
    }
}
