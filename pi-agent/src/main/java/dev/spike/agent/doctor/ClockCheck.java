package dev.spike.agent.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Check 8: the clock is synchronised. A Pi has no battery clock: until NTP answers after boot it may be days behind,
 * and then the evening spray and every event's time are wrong. {@code timedatectl} reports the kernel's
 * synchronised flag whatever NTP client set it; without systemd (a chroot, a container) only systemd-timesyncd's
 * {@code /run/systemd/timesync/synchronized} is left, and if neither tells, the doctor says it cannot tell (WARN):
 * that is not a fault it found.
 */
final class ClockCheck {

    static final String NAME = "clock";
    static final String FIX = "sudo timedatectl set-ntp true, and check that the Pi reaches the network"
            + " (timedatectl timesync-status).";

    private ClockCheck() {
    }

    static Finding run(CommandRunner commands, Path run, Clock clock) throws InterruptedException {
        CommandRunner.Result result = commands.run(Duration.ofSeconds(5),
                List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value"));
        String answer = result.ok() ? result.stdout().strip() : null;
        boolean marker = Files.exists(run.resolve("systemd/timesync/synchronized"));
        return judge(clock.instant(), answer, result.message(), marker);
    }

    /**
     * @param timedatectl its answer ("yes"/"no"), or null if it could not answer
     * @param why         why it could not, when it could not
     * @param marker      whether systemd-timesyncd's "synchronized" file exists
     */
    static Finding judge(Instant now, String timedatectl, String why, boolean marker) {
        String time = "clock " + now.truncatedTo(ChronoUnit.SECONDS);
        if ("yes".equals(timedatectl)) {
            return Finding.ok(NAME, time + ", synchronised (timedatectl NTPSynchronized=yes).");
        }
        if ("no".equals(timedatectl)) {
            return Finding.fail(NAME, time + ", NOT synchronised (timedatectl NTPSynchronized=no): the evening spray"
                    + " and event times may be wrong.", FIX);
        }
        if (marker) {
            return Finding.ok(NAME, time + ", synchronised (/run/systemd/timesync/synchronized).");
        }
        return Finding.warn(NAME, time + "; cannot tell whether the clock is synchronised: timedatectl cannot answer ("
                + (why == null || why.isBlank() ? "no systemd?" : why) + ") and there is no"
                + " /run/systemd/timesync/synchronized.", "on the Pi itself, run `timedatectl` to see.");
    }
}
