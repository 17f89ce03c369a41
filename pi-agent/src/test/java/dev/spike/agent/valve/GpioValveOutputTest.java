package dev.spike.agent.valve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pi4j.io.gpio.digital.DigitalState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only what works without a Pi: the set-up checks and the relay polarity. */
class GpioValveOutputTest {

    @TempDir
    Path dev;

    @Test
    void closedMeansLowForActiveHighAndHighForActiveLowRelays() {
        assertThat(GpioValveOutput.level(false, false)).isEqualTo(DigitalState.LOW);
        assertThat(GpioValveOutput.level(true, false)).isEqualTo(DigitalState.HIGH);
        assertThat(GpioValveOutput.level(false, true)).isEqualTo(DigitalState.HIGH);
        assertThat(GpioValveOutput.level(true, true)).isEqualTo(DigitalState.LOW);
    }

    @Test
    void missingGpioChipIsReported() {
        assertThatThrownBy(() -> GpioValveOutput.checkGpioChips(dev))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no " + dev.resolve("gpiochip0") + ": no GPIO character device");
    }

    @Test
    void inaccessibleGpioChipSaysWhichGroupToJoin() throws IOException {
        Path chip = Files.createFile(dev.resolve("gpiochip0"));

        assertThatThrownBy(() -> GpioValveOutput.checkGpioChips(dev, path -> false))
                .hasMessageStartingWith("permission denied on " + chip + ": add the user to group gpio");
    }

    @Test
    void accessibleGpioChipPassesTheCheck() throws IOException {
        Files.createFile(dev.resolve("gpiochip0"));

        assertThatCode(() -> GpioValveOutput.checkGpioChips(dev)).doesNotThrowAnyException();
    }

    @Test
    void rejectsPinsThatAreNotOnTheHeader() {
        assertThatThrownBy(() -> GpioValveOutput.open(40, false)).hasMessage("bcmPin must be 0..27, was 40");
    }
}
