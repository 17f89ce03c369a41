package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClockCheckTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:15:30.250Z"), ZoneOffset.UTC);

    @TempDir
    Path run;

    @Test
    void okWhenTimedatectlSaysSynchronised() throws Exception {
        FakeCommands tools = new FakeCommands().answer("timedatectl", "yes\n");

        Finding finding = ClockCheck.run(tools, run, CLOCK);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("clock 2026-12-06T10:15:30Z, synchronised (timedatectl"
                + " NTPSynchronized=yes).");
        assertThat(tools.calls()).containsExactly(
                java.util.List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"));
    }

    @Test
    void failsWhenTimedatectlSaysNotSynchronised() throws Exception {
        Finding finding = ClockCheck.run(new FakeCommands().answer("timedatectl", "no\n"), run, CLOCK);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.fix()).startsWith("sudo timedatectl set-ntp true");
    }

    @Test
    void okFromTimesyncdsMarkerWhenTimedatectlCannotAnswer() throws Exception {
        Files.createDirectories(run.resolve("systemd/timesync"));
        Files.createFile(run.resolve("systemd/timesync/synchronized"));

        Finding finding = ClockCheck.run(new FakeCommands().answer("timedatectl", 1, "",
                "System has not been booted with systemd as init system (PID 1). Can't operate."), run, CLOCK);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void warnsThatItCannotTellWithoutSystemd() throws Exception {
        Finding finding = ClockCheck.run(new FakeCommands().answer("timedatectl", 1, "",
                "System has not been booted with systemd as init system (PID 1). Can't operate."), run, CLOCK);

        assertThat(finding.verdict()).isEqualTo(Verdict.WARN);
        assertThat(finding.finding()).contains("cannot tell whether the clock is synchronised",
                "System has not been booted with systemd");
    }

    @Test
    void warnsWhenTimedatectlIsNotInstalled() throws Exception {
        assertThat(ClockCheck.run(new FakeCommands(), run, CLOCK).verdict()).isEqualTo(Verdict.WARN);
    }
}
