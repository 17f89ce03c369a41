package dev.spike.model;

/**
 * How one sensor's raw readings become the calibrated values the rules and the wire use:
 * {@code humidity = humidityGain * raw + humidityOffsetPct} (clamped to 0..100) and
 * {@code temperature = raw + temperatureOffsetC}.
 *
 * <p>Sensors drift, so keepers check them in a salt pack: over saturated sodium chloride the air holds
 * {@value #NACL_PCT} %RH, over magnesium chloride {@value #MGCL2_PCT} %RH (at 25 °C, Greenspan 1977). One salt gives
 * an offset; both give a gain and an offset, which also corrects a sensor whose error grows with humidity.
 *
 * @param humidityGain      0.5..2; 1 for an offset alone
 * @param humidityOffsetPct -50..50 %RH
 * @param temperatureOffsetC -10..10 °C
 */
public record Calibration(double humidityGain, double humidityOffsetPct, double temperatureOffsetC) {

    /** Relative humidity over saturated sodium chloride at 25 °C. */
    public static final double NACL_PCT = 75.3;
    /** Relative humidity over saturated magnesium chloride at 25 °C. */
    public static final double MGCL2_PCT = 33.1;
    /** No correction. */
    public static final Calibration NONE = new Calibration(1, 0, 0);

    public Calibration {
        Checks.range("humidityGain", humidityGain, 0.5, 2);
        Checks.range("humidityOffsetPct", humidityOffsetPct, -50, 50);
        Checks.range("temperatureOffsetC", temperatureOffsetC, -10, 10);
    }

    /** A plain offset for humidity and temperature. */
    public static Calibration offsets(double humidityOffsetPct, double temperatureOffsetC) {
        return new Calibration(1, humidityOffsetPct, temperatureOffsetC);
    }

    /**
     * One salt test: the sensor read {@code rawPct} in a pack that holds {@code referencePct}; gives an offset.
     *
     * @param field names the raw value in an error
     */
    public static Calibration oneSalt(String field, double referencePct, double rawPct, double temperatureOffsetC) {
        Checks.range(field, rawPct, 0, 100);
        return new Calibration(1, round(referencePct - rawPct), temperatureOffsetC);
    }

    /**
     * Both salt tests: the raw readings over sodium chloride (75.3 %RH) and magnesium chloride (33.1 %RH) give the
     * line through both points.
     *
     * @param naclField  names the first raw value in an error
     * @param mgcl2Field names the second
     */
    public static Calibration twoSalts(String naclField, double rawAtNaClPct, String mgcl2Field, double rawAtMgCl2Pct,
            double temperatureOffsetC) {
        Checks.range(naclField, rawAtNaClPct, 0, 100);
        Checks.range(mgcl2Field, rawAtMgCl2Pct, 0, 100);
        if (rawAtNaClPct - rawAtMgCl2Pct < 10) {
            throw new InvalidFieldException(mgcl2Field, "must be at least 10 points below " + naclField + " ("
                    + Checks.plain(rawAtNaClPct) + "), was " + Checks.plain(rawAtMgCl2Pct)
                    + ": were the packs swapped, or the sensor not settled?");
        }
        double gain = (NACL_PCT - MGCL2_PCT) / (rawAtNaClPct - rawAtMgCl2Pct);
        if (gain < 0.5 || gain > 2) {
            throw new InvalidFieldException(mgcl2Field, "gives a gain of " + Checks.plain(round(gain))
                    + " with " + naclField + ", outside 0.5..2: this sensor is beyond calibrating, replace it");
        }
        return new Calibration(round(gain, 10_000), round(NACL_PCT - gain * rawAtNaClPct), temperatureOffsetC);
    }

    /** The same humidity correction with another temperature offset. */
    public Calibration withTemperatureOffsetC(double value) {
        return new Calibration(humidityGain, humidityOffsetPct, value);
    }

    public boolean isNone() {
        return equals(NONE);
    }

    public double humidityPct(double rawPct) {
        return Math.max(0, Math.min(100, humidityGain * rawPct + humidityOffsetPct));
    }

    public double temperatureC(double rawC) {
        return rawC + temperatureOffsetC;
    }

    /** For a person: "offset +1.5 %RH, +0.3 °C" or "gain 1.0312, offset -2.1 %RH, +0 °C". */
    public String describe() {
        String temperature = String.format(java.util.Locale.ROOT, "%+.1f °C", temperatureOffsetC);
        if (humidityGain == 1) {
            return String.format(java.util.Locale.ROOT, "offset %+.1f %%RH, %s", humidityOffsetPct, temperature);
        }
        return String.format(java.util.Locale.ROOT, "gain %.4f, offset %+.1f %%RH, %s", humidityGain,
                humidityOffsetPct, temperature);
    }

    private static double round(double value) {
        return round(value, 100);
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }
}
