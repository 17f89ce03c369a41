package dev.spike.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pi deployment files, checked with the tools a Pi would use: shellcheck for the install script,
 * {@code systemd-analyze verify} for the unit. CI installs both (Debian packages shellcheck, systemd, gpiod).
 */
class DeploymentFilesTest {

    static final Path DIST = Path.of("src/main/dist");

    @TempDir
    Path dir;

    record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command.get(0) + " is not installed; .ci/run installs it"
                    + " (apt-get install -y shellcheck systemd gpiod)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void theInstallScriptPassesShellcheck() throws Exception {
        Result result = run(List.of("shellcheck", DIST.resolve("install.sh").toString()));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void theInstallScriptRefusesABadPinBeforeTouchingAnything() throws Exception {
        Result result = run(List.of("bash", DIST.resolve("install.sh").toString(), "--gpio", "40"));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("--gpio must be a BCM pin number 0..27, was 40");
    }

    @Test
    void theSystemdUnitVerifies() throws Exception {
        Path unit = dir.resolve("spike-agent.service");
        String template = Files.readString(DIST.resolve("spike-agent.service.in"));
        Files.writeString(unit, template.replace("@GPIO_CHIP@", "gpiochip0").replace("@GPIO_LINE@", "17")
                .replace("@CLOSED_LEVEL@", "0"));
        assertThat(Files.readString(unit)).as("every placeholder filled").doesNotContainPattern("@[A-Z_]+@");

        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify", unit.toString()));
        Result result = run(command);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(template).contains("ExecStopPost=/usr/bin/gpioset", "Restart=on-failure",
                "SupplementaryGroups=i2c gpio", "-Xmx64m");
    }
}
