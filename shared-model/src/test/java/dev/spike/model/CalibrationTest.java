package dev.spike.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spike.model.command.CalibrationCommand;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void oneSaltGivesTheOffsetToItsReference() {
        Calibration c = Calibration.oneSalt("rawAtNaClPct", Calibration.NACL_PCT, 72.1, 0);

        assertThat(c.humidityGain()).isEqualTo(1);
        assertThat(c.humidityOffsetPct()).isEqualTo(3.2);
        assertThat(c.humidityPct(72.1)).isCloseTo(75.3, within(1e-9));
    }

    @Test
    void twoSaltsMapBothRawReadingsOntoTheirReferences() {
        Calibration c = Calibration.twoSalts("a", 78.0, "b", 31.0, 0);

        assertThat(c.humidityPct(78.0)).isCloseTo(75.3, within(0.01));
        assertThat(c.humidityPct(31.0)).isCloseTo(33.1, within(0.01));
    }

    @Test
    void clampsTheCalibratedHumidityToWhatIsPossible() {
        Calibration c = Calibration.offsets(5, 0);

        assertThat(c.humidityPct(98)).isEqualTo(100);
        assertThat(Calibration.offsets(-5, 0).humidityPct(2)).isZero();
    }

    @Test
    void refusesSwappedSaltPacksNamingTheField() {
        assertThatThrownBy(() -> Calibration.twoSalts("rawAtNaClPct", 33, "rawAtMgCl2Pct", 75, 0))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("rawAtMgCl2Pct must be at least 10 points below rawAtNaClPct (33), was 75");
    }

    @Test
    void refusesASensorTooFarOffToCalibrate() {
        // 42.2 points of reference over 80 raw points: a gain of 0.53 is within reach, 0.45 is not
        assertThat(Calibration.twoSalts("rawAtNaClPct", 90, "rawAtMgCl2Pct", 10, 0).humidityGain()).isEqualTo(0.5275);
        assertThatThrownBy(() -> Calibration.twoSalts("rawAtNaClPct", 99, "rawAtMgCl2Pct", 5, 0))
                .hasMessageContaining("gives a gain of 0.45");
    }

    @Test
    void aCommandKeepsWhatItDoesNotSay() {
        Calibration current = new Calibration(1.02, -1, 0.4);

        assertThat(new CalibrationCommand("c", 1, 2.0, null, null, null, false).applyTo(current))
                .isEqualTo(new Calibration(1, 2, 0.4));
        assertThat(new CalibrationCommand("c", 1, null, null, null, -0.5, false).applyTo(current))
                .isEqualTo(new Calibration(1.02, -1, -0.5));
        assertThat(new CalibrationCommand("c", 1, null, null, 30.0, null, false).applyTo(current))
                .isEqualTo(new Calibration(1, 3.1, 0.4));
    }

    @Test
    void aCommandNeedsSomethingToDo() {
        assertThatThrownBy(() -> new CalibrationCommand("c", 1, null, null, null, null, false))
                .hasMessageStartingWith("humidityOffsetPct or rawAtNaClPct");
        assertThatThrownBy(() -> new CalibrationCommand("c", 1, 1.0, 70.0, null, null, false))
                .hasMessage("humidityOffsetPct cannot come with a salt test's raw reading");
        assertThatThrownBy(() -> new CalibrationCommand("c", 1, 1.0, null, null, null, true))
                .hasMessage("reset cannot come with other calibration fields");
    }
}
