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

    static Result run(List<String> command) throws IOException, InterruptedException {
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
    void theRehearsalPassesShellcheck() throws Exception {
        Result result = run(List.of("shellcheck", "src/rehearsal/rehearse.sh"));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void theInstallScriptRefusesABadPinBeforeTouchingAnything() throws Exception {
        Result result = run(List.of("bash", DIST.resolve("install.sh").toString(), "--gpio", "40"));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("--gpio must be a BCM pin number 0..27, was 40");
    }

    @Test
    void theInstallScriptRefusesTheOldChipFlag() throws Exception {
        Result result = run(List.of("bash", DIST.resolve("install.sh").toString(), "--gpio-chip", "gpiochip4"));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("--gpio-chip is gone");
    }

    /** The unit as shipped, with the stop step's path pointed at this checkout (the rehearsal verifies it installed). */
    @Test
    void theSystemdUnitVerifiesAndBakesInNoValveSetting() throws Exception {
        String shipped = Files.readString(DIST.resolve("spike-agent.service"));
        Path unit = dir.resolve("spike-agent.service");
        Files.writeString(unit, shipped.replace("/opt/spike/bin/spike-valve-close",
                DIST.resolve("spike-valve-close").toAbsolutePath().toString()));
        DIST.resolve("spike-valve-close").toFile().setExecutable(true);

        Result result = run(new ArrayList<>(List.of("systemd-analyze", "verify", unit.toString())));

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(shipped).contains("ExecStopPost=+/opt/spike/bin/spike-valve-close --config /etc/spike/agent.properties",
                "ExecStart=/usr/bin/java -XX:+ExitOnOutOfMemoryError", "--config /etc/spike/agent.properties",
                "Type=notify", "NotifyAccess=main", "WatchdogSec=30s",
                "Restart=on-failure", "SupplementaryGroups=i2c gpio", "-Xmx64m");
        assertThat(shipped).doesNotContain("gpioset").doesNotContainPattern("\\d+=[01]\\b");
    }
}
