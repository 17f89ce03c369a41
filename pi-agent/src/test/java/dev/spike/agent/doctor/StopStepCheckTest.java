package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a small stand-in for spike-valve-close through the real process runner, as the doctor does. */
class StopStepCheckTest {

    @TempDir
    Path dir;

    private Path unit;
    private Path script;
    private Path config;

    @BeforeEach
    void installed() throws IOException {
        unit = dir.resolve("spike-agent.service");
        script = dir.resolve("spike-valve-close");
        config = Files.writeString(dir.resolve("agent.properties"), "valve.gpio=17\nvalve.activeLow=true\n");
        unit("ExecStopPost=" + script + " --config " + config);
        stopStep("gpio=17", "activeLow=true", "closedLevel=1", "chip=gpiochip0",
                "command=/usr/bin/gpioset -c gpiochip0 -t0 17=1");
    }

    private void unit(String execStopPost) throws IOException {
        Files.writeString(unit, "[Service]\nUser=spike\nExecStart=/usr/bin/java -jar /opt/spike/spike-agent.jar\n"
                + execStopPost + "\nRestart=on-failure\n");
    }

    /** A dry run that prints these lines; like the real one, it insists on --config FILE --dry-run. */
    private void stopStep(String... lines) throws IOException {
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = --config ] && [ -r \"$2\" ] && [ \"$3\" = --dry-run ] || { echo \"usage: $0 --config"
                + " FILE --dry-run\" >&2; exit 2; }\n"
                + "printf '%s\\n' '" + String.join("' '", lines) + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Finding check(int gpio, boolean activeLow) throws InterruptedException {
        return StopStepCheck.run(unit, new StopStepCheck.Expected(script, config, gpio, activeLow),
                CommandRunner.system());
    }

    @Test
    void okWhenUnitScriptAndConfigAgree() throws Exception {
        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("ExecStopPost runs " + script + " --config " + config
                + "; dry run: BCM 17 to 1 (active-low) on gpiochip0: /usr/bin/gpioset -c gpiochip0 -t0 17=1.");
    }

    @Test
    void okWithSystemdPrefixesAndALineAddressedByName() throws Exception {
        unit("ExecStopPost=-" + script + " --config=" + config);
        stopStep("gpio=17", "activeLow=true", "closedLevel=1", "chip=", "command=/usr/bin/gpioset -t0 GPIO17=1");

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).contains("on the line named GPIO17");
    }

    @Test
    void failsOnTheOldBakedInGpioset() throws Exception {
        unit("ExecStopPost=/usr/bin/gpioset gpiochip0 17=0");

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("baked-in `/usr/bin/gpioset gpiochip0 17=0`");
        assertThat(finding.fix()).startsWith("re-run install.sh");
    }

    @Test
    void failsWithoutExecStopPost() throws Exception {
        unit("");

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("has no ExecStopPost=");
    }

    @Test
    void failsWhenTheStopStepReadsAnotherConfig() throws Exception {
        unit("ExecStopPost=" + script + " --config /etc/spike/other.properties");

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("reads /etc/spike/other.properties, but the doctor was given "
                + config);
        assertThat(finding.fix()).contains("--config /etc/spike/other.properties");
    }

    @Test
    void failsWhenTheUnitRunsAnotherProgram() throws Exception {
        unit("ExecStopPost=/usr/local/bin/close-it --config " + config);

        assertThat(check(17, true).finding()).contains("not " + script);
    }

    @Test
    void failsWhenTheUnitIsNotInstalled() throws Exception {
        Files.delete(unit);

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).startsWith("no " + unit);
    }

    @Test
    void failsWhenTheScriptIsMissingOrNotExecutable() throws Exception {
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(check(17, true).fix()).isEqualTo("sudo chmod 755 " + script + ".");

        Files.delete(script);
        assertThat(check(17, true).finding()).contains(script + ", which does not exist");
    }

    @Test
    void failsWhenTheDryRunDisagreesWithTheConfig() throws Exception {
        Finding finding = check(17, false);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).isEqualTo("the stop step would close gpio=17 activeLow=true closedLevel=1, but "
                + config + " says gpio=17 activeLow=false closedLevel=0.");
    }

    @Test
    void failsOnAnotherPin() throws Exception {
        assertThat(check(27, true).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void failsWithTheStepsOwnMessageWhenItsDryRunFails() throws Exception {
        Files.writeString(script, "#!/bin/sh\necho \"spike-valve-close: cannot read $2: Permission denied\" >&2\n"
                + "exit 1\n");

        Finding finding = check(17, true);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).endsWith("failed (exit 1): spike-valve-close: cannot read " + config
                + ": Permission denied");
    }

    @Test
    void failsWhenTheDryRunPrintsSomethingElse() throws Exception {
        stopStep("closing", "valve");

        assertThat(check(17, true).finding()).contains("printed no gpio=");
    }

    @Test
    void splitsQuotedWordsAsSystemdDoes() {
        assertThat(StopStepCheck.words("/opt/x --config \"/etc/my spike/agent.properties\" -v"))
                .containsExactly("/opt/x", "--config", "/etc/my spike/agent.properties", "-v");
    }
}
