package dev.spike.station.desktop;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A desktop session of real parts for the tests: a private D-Bus session bus ({@code dbus-daemon}), a virtual X
 * display ({@code xvfb-run}) and on it dunst, a freedesktop.org notification server, as a keeper's desktop runs one.
 * dunst runs a script for each notification it shows, which writes a line to {@link #shown()}; {@code dunstctl}
 * clicks a notification the way a person does ({@link #clickNewest()}).
 *
 * <p>The Debian packages dbus, xvfb and dunst (.ci/install-test-deps).
 */
public final class DesktopSession implements AutoCloseable {

    private final Path dir;
    private final Process bus;
    private final String address;
    private Process dunst;

    private DesktopSession(Path dir, Process bus, String address) {
        this.dir = dir;
        this.bus = bus;
        this.address = address;
    }

    /** Starts the bus and the notification server, and waits until the server owns its name. */
    public static DesktopSession start(Path dir) throws IOException {
        // the session bus's policy without its service directories, so nothing but the dunst started below can
        // answer for the notification service (D-Bus would otherwise start one of its own on first use)
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(dir.resolve("bus")));
        Process bus = new ProcessBuilder("dbus-daemon", "--config-file=" + config, "--nofork", "--nopidfile",
                "--print-address=1")
                .redirectError(dir.resolve("dbus.log").toFile()).start();
        String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (address == null) {
            bus.destroy();
            throw new IOException("dbus-daemon did not start: " + Files.readString(dir.resolve("dbus.log")));
        }
        DesktopSession session = new DesktopSession(dir, bus, address.trim());
        session.startDunst();
        return session;
    }

    private void startDunst() throws IOException {
        Path log = dir.resolve("shown.tsv");
        Files.createFile(log);
        Path script = dir.resolve("seen.sh");
        // dunst calls a rule's script with: appname summary body icon urgency
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\t%s\\t%s\\t%s\\n' \"$2\" \"$3\" \"$4\" \"$5\" >> '" + log
                + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path config = dir.resolve("dunstrc");
        Files.writeString(config, "[global]\n    font = Monospace 8\n\n[spike]\n    appname = \""
                + FreedesktopNotifications.APP_NAME + "\"\n    script = " + script + "\n");
        ProcessBuilder builder = new ProcessBuilder("xvfb-run", "--auto-servernum", "--server-args=-screen 0 800x600x24",
                "dunst", "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dunst.log").toFile());
        environment(builder.environment());
        dunst = builder.start();
        await("dunst owns " + NotificationsBus.BUS_NAME).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ctl("is-paused").exitCode == 0);
    }

    /** The bus to connect to. */
    public String address() {
        return address;
    }

    /** One line per notification dunst showed: summary, body, icon, urgency (LOW, NORMAL, CRITICAL). */
    public List<String> shown() throws IOException {
        return Files.readAllLines(dir.resolve("shown.tsv"));
    }

    /** Clicks the newest notification on screen, as a person does: its "default" action. */
    public void clickNewest() throws IOException, InterruptedException {
        Result result = ctl("action", "0");
        if (result.exitCode != 0) {
            throw new IOException("dunstctl action failed: " + result.output);
        }
    }

    private Result ctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dunstctl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        environment(builder.environment());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), output);
    }

    private void environment(Map<String, String> environment) {
        environment.put("DBUS_SESSION_BUS_ADDRESS", address);
    }

    private record Result(int exitCode, String output) {
    }

    /** Stops dunst, leaving the bus without a notification service. */
    public void stopNotificationServer() throws InterruptedException {
        stop(dunst);
        dunst = null;
    }

    @Override
    public void close() throws InterruptedException {
        if (dunst != null) {
            stop(dunst);
        }
        stop(bus);
    }

    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
