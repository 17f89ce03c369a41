package dev.spike.model.command;

import dev.spike.model.Calibration;
import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;

/**
 * Calibrate one sensor ({@code cmd/calibration}). The humidity part is one of: a plain {@code humidityOffsetPct};
 * the raw reading in a sodium chloride pack ({@code rawAtNaClPct}, an offset to 75.3 %RH) or a magnesium chloride
 * pack ({@code rawAtMgCl2Pct}, to 33.1 %RH); both raw readings (gain and offset); or {@code reset}, back to the
 * config file's calibration. {@code temperatureOffsetC} may come alone or with any of them. A part left out keeps
 * what is in force.
 *
 * @param sensorNumber 1 or 2
 * @param reset        true to go back to the config file's calibration; then nothing else may be given
 */
public record CalibrationCommand(String id, int sensorNumber, Double humidityOffsetPct, Double rawAtNaClPct,
        Double rawAtMgCl2Pct, Double temperatureOffsetC, boolean reset) implements Command {

    public CalibrationCommand {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.range("sensorNumber", sensorNumber, 1, 2);
        Checks.optionalRange("humidityOffsetPct", humidityOffsetPct, -50, 50);
        Checks.optionalRange("rawAtNaClPct", rawAtNaClPct, 0, 100);
        Checks.optionalRange("rawAtMgCl2Pct", rawAtMgCl2Pct, 0, 100);
        Checks.optionalRange("temperatureOffsetC", temperatureOffsetC, -10, 10);
        boolean salts = rawAtNaClPct != null || rawAtMgCl2Pct != null;
        if (reset && (humidityOffsetPct != null || salts || temperatureOffsetC != null)) {
            throw new InvalidFieldException("reset", "cannot come with other calibration fields");
        }
        if (humidityOffsetPct != null && salts) {
            throw new InvalidFieldException("humidityOffsetPct", "cannot come with a salt test's raw reading");
        }
        if (!reset && humidityOffsetPct == null && !salts && temperatureOffsetC == null) {
            throw new InvalidFieldException("humidityOffsetPct", "or rawAtNaClPct, rawAtMgCl2Pct,"
                    + " temperatureOffsetC or reset is required");
        }
        if (rawAtNaClPct != null && rawAtMgCl2Pct != null) {
            // the pair must make a usable line; checked here so that the codec reports it too
            Calibration.twoSalts("rawAtNaClPct", rawAtNaClPct, "rawAtMgCl2Pct", rawAtMgCl2Pct, 0);
        }
    }

    /**
     * The calibration this command makes of the one in force; for {@code reset} the caller uses the config file's.
     */
    public Calibration applyTo(Calibration current) {
        double temperature = temperatureOffsetC != null ? temperatureOffsetC : current.temperatureOffsetC();
        if (rawAtNaClPct != null && rawAtMgCl2Pct != null) {
            return Calibration.twoSalts("rawAtNaClPct", rawAtNaClPct, "rawAtMgCl2Pct", rawAtMgCl2Pct, temperature);
        }
        if (rawAtNaClPct != null) {
            return Calibration.oneSalt("rawAtNaClPct", Calibration.NACL_PCT, rawAtNaClPct, temperature);
        }
        if (rawAtMgCl2Pct != null) {
            return Calibration.oneSalt("rawAtMgCl2Pct", Calibration.MGCL2_PCT, rawAtMgCl2Pct, temperature);
        }
        if (humidityOffsetPct != null) {
            return new Calibration(1, humidityOffsetPct, temperature);
        }
        return current.withTemperatureOffsetC(temperature);
    }
}
