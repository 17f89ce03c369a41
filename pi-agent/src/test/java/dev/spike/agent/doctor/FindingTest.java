package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FindingTest {

    @Test
    void oneLineWithVerdictCheckFindingAndFix() {
        assertThat(Finding.ok("disk", "9.1 GB free.").line()).isEqualTo("OK    disk           9.1 GB free.");
        assertThat(Finding.fail("i2c-bus", "no /dev/i2c-1", "reboot.").line())
                .isEqualTo("FAIL  i2c-bus        no /dev/i2c-1. Fix: reboot.");
        assertThat(Finding.warn("clock", "cannot tell\nwhy.", null).line())
                .isEqualTo("WARN  clock          cannot tell why.");
    }

    @Test
    void aFailAlwaysCarriesItsFix() {
        assertThatThrownBy(() -> Finding.fail("gpio", "busy", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("fix");
    }
}
