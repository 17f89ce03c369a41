package dev.spike.station.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Mosquitto for station tests and benchmarks: {@code /usr/sbin/mosquitto} on a free loopback port, with a
 * configuration generated into a directory of the caller's (usually a {@code @TempDir}) that follows the shipped
 * docs/mosquitto/mosquitto.conf where it matters for throughput and outages: persistence on, {@code set_tcp_nodelay
 * true}, {@code max_queued_messages 100000}. Anonymous, plain TCP, nothing shared with a system broker.
 *
 * <pre>{@code
 * try (Mosquitto broker = Mosquitto.start(dir)) {
 *     gateway.connect(BrokerSettings.parse(broker.uri(), null, null, null)).join();
 *     broker.kill();     // SIGKILL: a power cut; clients see their connections reset
 *     broker.start();    // same port, same persistence directory
 * }
 * }</pre>
 *
 * <p>Deliberately small; the agent's tests have a richer broker harness (users, ACL, TLS), which station tests must
 * not depend on. A missing binary fails the test with what to install; it never skips. Every wait is bounded. All
 * output of all runs is appended to {@code mosquitto.log} in the directory, and {@link #log()} is in every failure
 * message of this class.
 */
public final class Mosquitto implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    /** Mosquitto is up in about 20 ms; this only bounds a broken start on a busy machine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Printed once every listener is open; a TCP connect before it may reach whoever else had the port. */
    private static final String RUNNING = " running";
    private static final String BIND_FAILED = "Address already in use";
    /** Another process may take the probed port before mosquitto binds it; a new port fixes that, at first start. */
    private static final int PORT_ATTEMPTS = 3;
    /** A broker whose test forgot close() must not outlive the test JVM on a shared machine. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "mosquitto-reaper"));
    }

    private final Path directory;
    private final Path configFile;
    private final Path logFile;
    private int port;
    private boolean startedOnce;
    private Process process;

    private Mosquitto(Path directory) {
        this.directory = directory;
        this.configFile = directory.resolve("mosquitto.conf");
        this.logFile = directory.resolve("mosquitto.log");
    }

    /**
     * Starts a broker whose configuration, log and persistence live in {@code directory} (created if needed), and
     * returns once it accepts connections.
     */
    public static Mosquitto start(Path directory) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("no mosquitto at " + BINARY + ": apt-get install mosquitto");
        }
        try {
            // Mosquitto does not create its persistence_location; it would only log that it cannot save.
            Files.createDirectories(directory.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker directory " + directory, e);
        }
        return new Mosquitto(directory).start();
    }

    /**
     * Starts the broker again after {@link #stop()} or {@link #kill()}: the same port and persistence directory, so
     * clients reconnect to the same address and find what the broker last saved.
     */
    public synchronized Mosquitto start() {
        if (process != null) {
            throw new IllegalStateException("mosquitto is already running on port " + port);
        }
        for (int attempt = 1; ; attempt++) {
            if (!startedOnce) {
                port = freeLoopbackPort();
            }
            String failure = launch();
            if (failure == null) {
                startedOnce = true;
                return this;
            }
            if (startedOnce || !failure.contains(BIND_FAILED) || attempt == PORT_ATTEMPTS) {
                throw new IllegalStateException(failure);
            }
        }
    }

    /** SIGTERM and wait: mosquitto saves its persistence file on the way out, like a clean service stop. */
    public synchronized void stop() {
        end(false);
    }

    /**
     * SIGKILL and wait, like a power cut or the OOM killer: connections are reset, and the broker forgets everything
     * since its last autosave (mosquitto's default autosave_interval is 30 min, so in a test: sessions, queued
     * messages and retained messages of this run).
     */
    public synchronized void kill() {
        end(true);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:PORT}; the same across restarts. */
    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public Path directory() {
        return directory;
    }

    /** Everything mosquitto printed over all its runs. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Kills the broker if it still runs; the directory stays for the caller (a {@code @TempDir} removes it). */
    @Override
    public synchronized void close() {
        kill();
    }

    private void end(boolean forcibly) {
        if (process == null) {
            return;
        }
        Process ending = process;
        if (forcibly) {
            ending.destroyForcibly();
        } else {
            ending.destroy();
        }
        try {
            if (!ending.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ending.destroyForcibly();
                ending.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("mosquitto on port " + port + " did not end within "
                        + STOP_TIMEOUT.toSeconds() + " s of " + (forcibly ? "SIGKILL" : "SIGTERM") + "; log:\n"
                        + log());
            }
        } catch (InterruptedException e) {
            ending.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping mosquitto; killed it", e);
        } finally {
            if (!ending.isAlive()) {
                LIVE.remove(ending);
                process = null;
            }
        }
    }

    /** @return null once mosquitto is ready, else why not (the process is gone then) */
    private String launch() {
        writeConfig();
        long offset = logSize();
        Process started;
        try {
            started = new ProcessBuilder(BINARY.toString(), "-c", configFile.toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + BINARY, e);
        }
        LIVE.add(started);
        try {
            Awaitility.await("mosquitto listening on 127.0.0.1:" + port)
                    .atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !started.isAlive() || logSince(offset).contains(RUNNING) && accepts(port));
        } catch (ConditionTimeoutException e) {
            reap(started);
            return "mosquitto was not ready on port " + port + " within " + READY_TIMEOUT.toSeconds() + " s; log:\n"
                    + logSince(offset);
        }
        if (!started.isAlive()) {
            reap(started);
            return "mosquitto exited with code " + started.exitValue() + " on port " + port + "; log:\n"
                    + logSince(offset);
        }
        process = started;
        return null;
    }

    private void writeConfig() {
        List<String> lines = List.of(
                "# generated for one test by dev.spike.station.testing.Mosquitto",
                // Started as root, mosquitto would drop to the user "mosquitto", who cannot write this directory.
                "user " + System.getProperty("user.name"),
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence true",
                // mosquitto appends the file name to this as it is: the trailing slash matters
                "persistence_location " + directory.resolve("data").toAbsolutePath() + "/",
                "set_tcp_nodelay true",
                "max_queued_messages 100000",
                "log_dest stderr",
                "log_timestamp_format %H:%M:%S");
        try {
            Files.write(configFile, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private static void reap(Process started) {
        started.destroyForcibly();
        try {
            started.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(started);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + logFile, e);
        }
    }

    private String logSince(long offset) {
        String all = log();
        return all.substring((int) Math.min(offset, all.length()));
    }
}
