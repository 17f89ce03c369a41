package dev.spike.agent.link.mosquitto;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Mosquitto broker for tests: Debian's {@code mosquitto} binary on a loopback port, run from a configuration
 * generated into its own temporary directory. Nothing is shared with a system broker: no /etc, no port 1883.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.builder()
 *         .user("terrarium-1", "secret")            // password file; anonymous access off
 *         .aclFile(Path.of("../docs/mosquitto/acl"))
 *         .tls()                                    // private CA + certificate for localhost and 127.0.0.1
 *         .persistence(true)
 *         .start()) {
 *     Mqtt5BlockingClient client = broker.clientBuilder().identifier("agent").buildBlocking();
 *     ...
 *     broker.restart();                             // same port; retained messages and sessions survive
 * }
 * }</pre>
 *
 * <p>A missing mosquitto fails the test ("mosquitto not installed: apt-get install mosquitto"); it never skips.
 * Every wait is bounded: start-up 5 s, SIGTERM 10 s. The broker's whole output, over all its runs, is in {@link #log()}
 * at log_type all, so tests can assert on lines such as "Denied PUBLISH from ...".
 *
 * <p>Not thread-safe in the sense of being driven from several test threads at once; the methods are synchronized
 * only so that a shutdown hook and a test cannot both reap the process.
 */
public final class MosquittoBroker implements AutoCloseable {

    /** Mosquitto is up in about 20 ms; 5 s only bounds a broken start. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** Mosquitto prints this once every listener is open; before it, a TCP connect may reach someone else. */
    private static final Pattern RUNNING = Pattern.compile("mosquitto version \\S+ running");
    private static final String BIND_FAILED = "Address already in use";
    /** Another process may take a port between our probe and mosquitto's bind; a new port fixes that. */
    private static final int PORT_ATTEMPTS = 3;

    /** Brokers a test forgot to close must not outlive the test JVM on a shared machine. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "mosquitto-broker-reaper"));
    }

    private final Path directory;
    private final Path binary;
    private final Path configFile;
    private final Path logFile;
    private final TestCertificates certificates;
    private final Settings settings;
    private final boolean portFixed;
    private int port;
    private Process process;
    private boolean startedOnce;

    private MosquittoBroker(Path directory, Path binary, TestCertificates certificates, Settings settings,
            int port) {
        this.directory = directory;
        this.binary = binary;
        this.configFile = directory.resolve("mosquitto.conf");
        this.logFile = directory.resolve("mosquitto.log");
        this.certificates = certificates;
        this.settings = settings;
        this.port = port;
        this.portFixed = port != 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts mosquitto and returns once it listens: its "running" line is logged and a TCP connect to the port
     * succeeds. The first start picks a free loopback port (unless {@link Builder#port(int)} fixed one); every
     * later start uses the same port.
     *
     * @throws IllegalStateException if it is already running, exits, or is not ready within 5 s; the message
     *                               carries the broker's log
     */
    public synchronized MosquittoBroker start() {
        if (process != null) {
            throw new IllegalStateException("mosquitto is already running on port " + port);
        }
        boolean mayChangePort = !portFixed && !startedOnce;
        for (int attempt = 1; ; attempt++) {
            if (port == 0) {
                port = freeLoopbackPort();
            }
            String failure = launch();
            if (failure == null) {
                startedOnce = true;
                return this;
            }
            if (mayChangePort && failure.contains(BIND_FAILED) && attempt < PORT_ATTEMPTS) {
                port = 0;
                continue;
            }
            throw new IllegalStateException(failure);
        }
    }

    /** Stops with SIGTERM and waits for the exit: mosquitto saves its persistence file on the way out. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("mosquitto on port " + port + " ignored SIGTERM for "
                        + STOP_TIMEOUT.toSeconds() + " s and was killed; log:\n" + log());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while stopping mosquitto; killed it", e);
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
                process = null;
            }
        }
    }

    /**
     * Kills with SIGKILL, like a power cut: clients see their TCP connections reset, and with persistence on the
     * broker loses everything since its last autosave (mosquitto's default autosave_interval is 1800 s, so in a
     * test: everything since start). Returns once the process is gone.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("mosquitto on port " + port + " survived SIGKILL for "
                        + STOP_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing mosquitto", e);
        }
        LIVE.remove(process);
        process = null;
    }

    /** {@link #stop()}, then {@link #start()} on the same port. */
    public synchronized MosquittoBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The loopback port; known once the broker has started (or was fixed with {@link Builder#port(int)}). */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("the port is chosen at the first start(); start the broker first");
        }
        return port;
    }

    /**
     * The host name clients connect to: "localhost" with TLS, because hostname verification checks it against the
     * certificate's DNS name; "127.0.0.1" without, so nothing depends on how localhost resolves.
     */
    public String host() {
        return certificates != null ? "localhost" : "127.0.0.1";
    }

    /** "ssl://localhost:PORT" with TLS, else "tcp://127.0.0.1:PORT". */
    public String uri() {
        return (certificates != null ? "ssl://" : "tcp://") + host() + ":" + port();
    }

    public boolean tls() {
        return certificates != null;
    }

    /** The CA certificate (PEM) that signed the broker's certificate. */
    public Path caFile() {
        return requireTls().caFile();
    }

    /** Trusts the broker's CA and nothing else. */
    public TrustManagerFactory trustManagerFactory() {
        return requireTls().trustManagerFactory();
    }

    /**
     * An MQTT 5 client builder aimed at this broker: host, port and, with TLS, trust in the test CA (hostname
     * verification stays on, the HiveMQ client's default). Add identifier, credentials and will yourself.
     */
    public Mqtt5ClientBuilder clientBuilder() {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().serverHost(host()).serverPort(port());
        if (certificates != null) {
            builder = builder.sslConfig().trustManagerFactory(certificates.trustManagerFactory()).applySslConfig();
        }
        return builder;
    }

    /** Everything mosquitto printed, over all starts of this broker. */
    public String log() {
        try {
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broker log " + logFile, e);
        }
    }

    /** The broker's temporary directory: mosquitto.conf, mosquitto.log, passwd, certificates, data/. */
    public Path directory() {
        return directory;
    }

    /** Stops the broker (killing it if SIGTERM fails) and deletes its directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            kill();
            throw e;
        } finally {
            deleteDirectory();
        }
    }

    /**
     * Writes a mosquitto password file with {@code mosquitto_passwd -b}; exposed for tests that bring their own
     * configuration ({@link Builder#rawConfig(String)}).
     */
    public static void writePasswordFile(Path file, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("users must not be empty: mosquitto_passwd cannot write an empty file");
        }
        Path tool = ExternalCommand.require("mosquitto_passwd", "mosquitto");
        boolean first = true;
        for (Map.Entry<String, String> user : users.entrySet()) {
            List<String> command = new ArrayList<>(List.of(tool.toString(), "-b"));
            if (first) {
                command.add("-c"); // creates or truncates the file
            }
            command.addAll(List.of(file.toString(), user.getKey(), user.getValue()));
            ExternalCommand.run(file.getParent(), command);
            first = false;
        }
        // Mosquitto 2.0.18+ warns about world-readable password files; keep the log free of that noise.
        setPermissions(file, "rw-------");
    }

    /** A loopback port nobody listened on a moment ago. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** @return null when mosquitto is ready, else why not (the process has been killed then) */
    private String launch() {
        writeConfig();
        long logOffset = sizeOf(logFile);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "-c", configFile.toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        LIVE.add(started);
        try {
            Awaitility.await("mosquitto listening on port " + port)
                    .atMost(READY_TIMEOUT)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !started.isAlive()
                            || RUNNING.matcher(logSince(logOffset)).find() && accepts(port));
        } catch (ConditionTimeoutException e) {
            reap(started);
            return "mosquitto was not ready on port " + port + " within " + READY_TIMEOUT.toSeconds()
                    + " s; log:\n" + logSince(logOffset);
        }
        if (!started.isAlive()) {
            reap(started);
            return "mosquitto exited with code " + started.exitValue() + " on port " + port + "; log:\n"
                    + logSince(logOffset);
        }
        process = started;
        return null;
    }

    private void reap(Process started) {
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

    private void writeConfig() {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by MosquittoBroker for one test; deleted with " + directory);
        // Mosquitto started as root drops to the user "mosquitto", which cannot read this 0700 directory.
        // Naming the current user keeps it as is; for a non-root user the option is ignored.
        lines.add("user " + System.getProperty("user.name"));
        lines.add("log_dest stderr");
        lines.add("log_type all");
        if (settings.rawConfig() != null) {
            lines.add(settings.rawConfig());
        } else {
            lines.addAll(generatedConfig());
        }
        try {
            Files.write(configFile, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + configFile, e);
        }
    }

    private List<String> generatedConfig() {
        List<String> lines = new ArrayList<>();
        lines.add("per_listener_settings false");
        lines.add("allow_anonymous " + settings.allowAnonymous());
        if (settings.passwordFile() != null) {
            lines.add("password_file " + settings.passwordFile());
        }
        if (settings.aclFile() != null) {
            lines.add("acl_file " + settings.aclFile());
        }
        lines.add("persistence " + settings.persistence());
        if (settings.persistence()) {
            lines.add("persistence_location " + directory.resolve("data"));
        }
        lines.add("listener " + port + " 127.0.0.1");
        if (certificates != null) {
            lines.add("certfile " + settings.server().certFile());
            lines.add("keyfile " + settings.server().keyFile());
            lines.add("tls_version tlsv1.2");
        }
        lines.addAll(settings.extraLines());
        return lines;
    }

    /** What this run printed: the log file is shared by all runs, each appending. */
    private String logSince(long offset) {
        try {
            byte[] bytes = Files.exists(logFile) ? Files.readAllBytes(logFile) : new byte[0];
            int from = (int) Math.min(offset, bytes.length);
            return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the broker log " + logFile, e);
        }
    }

    private TestCertificates requireTls() {
        if (certificates == null) {
            throw new IllegalStateException("this broker has no TLS listener; build it with tls()");
        }
        return certificates;
    }

    private void deleteDirectory() {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker directory " + directory, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file, e);
        }
    }

    private static void setPermissions(Path file, String permissions) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot chmod " + file, e);
        }
    }

    private record Settings(boolean allowAnonymous, Path passwordFile, Path aclFile, boolean persistence,
            TestCertificates.ServerCertificate server, List<String> extraLines, String rawConfig) {
    }

    /** Options of a broker; {@link #build()} writes its files, {@link #start()} also starts it. */
    public static final class Builder {

        private final Map<String, String> users = new LinkedHashMap<>();
        private Boolean allowAnonymous;
        private Path aclFile;
        private boolean tls;
        private TestCertificates ca;
        private TestCertificates.ServerCertificate server;
        private boolean persistence;
        private int port;
        private final List<String> extraLines = new ArrayList<>();
        private String rawConfig;

        private Builder() {
        }

        /** Adds a user to the broker's password file. With users, anonymous access is off unless allowed. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** Default: allowed without users, refused with them. */
        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /** An ACL file used as is (mosquitto's acl_file). */
        public Builder aclFile(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("aclFile must be a file, was " + file.toAbsolutePath());
            }
            this.aclFile = file.toAbsolutePath().normalize();
            return this;
        }

        /** A TLS listener with a new private CA and a certificate for localhost and 127.0.0.1. */
        public Builder tls() {
            this.tls = true;
            return this;
        }

        /** A TLS listener with this certificate, for example one issued for another host name. */
        public Builder tls(TestCertificates authority, TestCertificates.ServerCertificate certificate) {
            this.tls = true;
            this.ca = authority;
            this.server = certificate;
            return this;
        }

        /** Persistence in the broker's directory: retained messages and sessions survive stop()/start(). */
        public Builder persistence(boolean on) {
            this.persistence = on;
            return this;
        }

        /** A fixed port instead of a free one picked at the first start. */
        public Builder port(int fixedPort) {
            if (fixedPort < 1 || fixedPort > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + fixedPort);
            }
            this.port = fixedPort;
            return this;
        }

        /** A line appended to the generated configuration, such as "max_keepalive 10". */
        public Builder configLine(String line) {
            extraLines.add(line);
            return this;
        }

        /**
         * Runs this configuration instead of a generated one, to prove a hand-written file works. It must open its
         * main listener on {@link #port(int)} (required here); {@link #tls(TestCertificates,
         * TestCertificates.ServerCertificate)} only tells the harness that this listener speaks TLS. The harness
         * adds only {@code user}, {@code log_dest stderr} and {@code log_type all} in front.
         */
        public Builder rawConfig(String configuration) {
            this.rawConfig = configuration;
            return this;
        }

        /** Creates the broker's directory, password file and certificates; does not start it. */
        public MosquittoBroker build() {
            if (rawConfig != null) {
                if (port == 0) {
                    throw new IllegalStateException("rawConfig needs port(...): the harness cannot read the "
                            + "listener out of a hand-written configuration");
                }
                if (!users.isEmpty() || aclFile != null || persistence || allowAnonymous != null
                        || !extraLines.isEmpty() || (tls && ca == null)) {
                    throw new IllegalStateException("rawConfig is the whole configuration: combine it only with "
                            + "port(...) and tls(authority, certificate); write the password file with "
                            + "writePasswordFile(...)");
                }
            }
            Path binary = ExternalCommand.require("mosquitto", "mosquitto");
            Path directory;
            try {
                directory = Files.createTempDirectory("spike-mosquitto-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for mosquitto", e);
            }
            if (persistence) {
                try {
                    // Mosquitto does not create its persistence_location; it only logs that it cannot save.
                    Files.createDirectory(directory.resolve("data"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the persistence directory in " + directory, e);
                }
            }
            Path passwordFile = null;
            if (!users.isEmpty()) {
                passwordFile = directory.resolve("passwd");
                writePasswordFile(passwordFile, users);
            }
            TestCertificates authority = ca;
            TestCertificates.ServerCertificate certificate = server;
            if (tls && authority == null) {
                authority = TestCertificates.authority(directory);
                certificate = authority.issueServer("localhost", "DNS:localhost", "IP:127.0.0.1");
            }
            boolean anonymous = allowAnonymous != null ? allowAnonymous : users.isEmpty();
            Settings settings = new Settings(anonymous, passwordFile, aclFile, persistence, certificate,
                    List.copyOf(extraLines), rawConfig);
            return new MosquittoBroker(directory, binary, tls ? authority : null, settings, port);
        }

        /** {@link #build()} and {@link MosquittoBroker#start()}. */
        public MosquittoBroker start() {
            MosquittoBroker broker = build();
            try {
                return broker.start();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
        }
    }
}
