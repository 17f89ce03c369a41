package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spike-agent doctor} through the real command line, on this machine: on a build machine (CI's, no Pi) it must
 * name the missing I2C bus and GPIO chip; run on a Pi, it must not claim they are missing.
 */
class DoctorCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void namesTheMissingI2cBusAndGpioChipAndExitsNonZero() throws IOException {
        boolean i2c = Files.exists(Path.of("/dev/i2c-1"));
        boolean gpio;
        try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
            gpio = dev.anyMatch(p -> p.getFileName().toString().startsWith("gpiochip"));
        }
        Path config = Files.writeString(dir.resolve("agent.properties"), "agent.id=bench\ndata.dir=" + dir + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = AgentMain.run(Map.of(), "doctor", "--config", config.toString());
        } finally {
            System.setOut(original);
        }
        String report = out.toString(StandardCharsets.UTF_8);

        assertThat(report).contains("OK    config         " + config + ": agent bench")
                .contains("OK    broker         standalone, no broker configured.")
                .containsPattern("\\d+ FAIL, \\d+ WARN, \\d+ OK");
        assertThat(report.lines().filter(line -> line.matches("(OK|WARN|FAIL) .*"))).hasSize(11);
        if (i2c) {
            assertThat(report).doesNotContain("no /dev/i2c-1");
        } else {
            assertThat(exit).isEqualTo(1);
            assertThat(report).contains("FAIL  i2c-bus        no /dev/i2c-1")
                    .contains("Fix: sudo raspi-config nonint do_i2c 0, then reboot.");
        }
        if (gpio) {
            assertThat(report).doesNotContain("no GPIO chip");
        } else {
            assertThat(exit).isEqualTo(1);
            assertThat(report).contains("FAIL  gpio           no GPIO chip: no /dev/gpiochip0");
        }
    }

    @Test
    void helpDescribesTheDoctor() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(AgentMain.run(Map.of(), "doctor", "--help")).isZero();
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: spike-agent doctor", "--config",
                "/etc/spike/agent.properties", "1   at least one check failed");
    }
}
