package dev.spike.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RulesTest {

    private final Rules defaults = Rules.defaults(ZoneOffset.UTC);

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(defaults).isEqualTo(new Rules(75, 6, 10, 6, 3, LocalTime.of(20, 0), 60, ZoneOffset.UTC, 30, 10,
                60, 95));
    }

    @Test
    void namesFieldValueAndRangeWhenASettingIsBad() {
        assertThatThrownBy(() -> defaults.withSprayDurationS(45))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("sprayDurationS must be 1..30, was 45");
        assertThatThrownBy(() -> defaults.withLowHumidityPct(Double.NaN))
                .hasMessage("lowHumidityPct must be a finite number, was NaN");
        assertThatThrownBy(() -> defaults.withLowHumidityPct(120.5))
                .hasMessage("lowHumidityPct must be 1..99, was 120.5");
        assertThatThrownBy(() -> defaults.withMinIntervalMin(0))
                .hasMessage("minIntervalMin must be 1..1440, was 0");
        assertThatThrownBy(() -> defaults.withEveningTime(LocalTime.of(20, 0, 30)))
                .hasMessage("eveningTime must be whole minutes (HH:mm), was 20:00:30");
    }

    @Test
    void neverAllowsASprayLongerThanSixtySeconds() {
        assertThatThrownBy(() -> new Rules(75, 6, 10, 6, 3, LocalTime.of(20, 0), 60, ZoneOffset.UTC, 61, 10, 60, 95))
                .hasMessage("maxSprayS must be 1..60, was 61");
    }
}
