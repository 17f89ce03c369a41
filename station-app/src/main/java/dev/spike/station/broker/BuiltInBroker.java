package dev.spike.station.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT broker inside the station: embedded HiveMQ Community Edition, for the one-command demo and for a keeper
 * without a broker of their own. It lives in the station, not in the agent, so the agent's jar stays small for a Pi.
 *
 * <ul>
 *   <li>Binds to loopback unless told otherwise; port 1883 by default, and a clear message if it is taken.</li>
 *   <li>Anonymous usage statistics are off: HiveMQ would phone home otherwise.</li>
 *   <li>The per-client queue of QoS 1 messages for offline persistent sessions is raised from HiveMQ's default of
 *       1,000, past which it silently drops them: a station that was away for a day must get every event.</li>
 *   <li>With a username and password, every client must present them; without, anonymous clients are allowed
 *       (which is why it binds to loopback by default).</li>
 *   <li>Sessions, queued and retained messages live in memory, as long as the station runs. They used to go to
 *       HiveMQ's file persistence, in a temporary folder deleted at close, so nothing ever outlived the process
 *       anyway; opening it took about 2 s of every start, flushing it about 5 s of every close, and its RocksDB and
 *       Xodus caches a large part of the station's memory (docs/performance.md, "The demo's start").</li>
 * </ul>
 */
public final class BuiltInBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BuiltInBroker.class);

    public static final int DEFAULT_PORT = 1883;
    /** Messages queued per offline client: a week of events at one reading per 10 s, with room to spare. */
    static final int MAX_QUEUED_PER_CLIENT = 500_000;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    private final Path workDir;
    private EmbeddedHiveMQ hivemq;

    /**
     * What to start.
     *
     * @param bindAddress where to listen; "127.0.0.1" unless the keeper chooses otherwise
     * @param port        the MQTT port
     * @param username    required of every client, or null for anonymous access
     * @param password    the password with {@code username}, or null
     */
    public record Settings(String bindAddress, int port, String username, String password) {

        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("username and password go together");
            }
        }

        public static Settings loopback(int port) {
            return new Settings("127.0.0.1", port, null, null);
        }

        /** The URI clients connect to, e.g. tcp://127.0.0.1:1883. */
        public String uri() {
            String host = bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress;
            return "tcp://" + host + ":" + port;
        }

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Settings[" + bindAddress + ":" + port + (username == null ? ", anonymous" : ", user " + username)
                    + "]";
        }
    }

    private BuiltInBroker(Settings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    /** Starts the broker and returns once it accepts connections. */
    public static BuiltInBroker start(Settings settings) throws BrokerException {
        checkPortIsFree(settings);
        Path workDir;
        try {
            workDir = Files.createTempDirectory("spike-broker");
            Files.createDirectories(workDir.resolve("conf"));
            Files.createDirectories(workDir.resolve("data"));
            Files.createDirectories(workDir.resolve("extensions"));
            Files.writeString(workDir.resolve("conf").resolve("config.xml"), configXml(settings));
        } catch (IOException e) {
            throw new BrokerException("cannot prepare the built-in broker's folder: " + e.getMessage(), e);
        }
        BuiltInBroker broker = new BuiltInBroker(settings, workDir);
        broker.startHiveMq();
        return broker;
    }

    private void startHiveMq() throws BrokerException {
        var builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(workDir.resolve("conf"))
                .withDataFolder(workDir.resolve("data"))
                .withExtensionsFolder(workDir.resolve("extensions"))
                // the station's logging stays the station's
                .withoutLoggingBootstrap();
        if (settings.username() != null) {
            builder.withEmbeddedExtension(passwordExtension(settings.username(), settings.password()));
        }
        hivemq = builder.build();
        try {
            hivemq.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new BrokerException("interrupted while starting the built-in broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new BrokerException("the built-in broker did not start on " + settings.bindAddress() + ":"
                    + settings.port() + ": " + cause, cause);
        }
        LOG.info("built-in MQTT broker listening on {}:{} ({})", settings.bindAddress(), settings.port(),
                settings.username() == null ? "anonymous access" : "username and password required");
    }

    public Settings settings() {
        return settings;
    }

    /** The URI clients connect to, e.g. tcp://127.0.0.1:1883. */
    public String uri() {
        return settings.uri();
    }

    /** Stops HiveMQ gracefully (about 4 s, see {@link #leaveToProcessExit}) and removes its folder. */
    @Override
    public void close() {
        closeQuietly();
        deleteRecursively(workDir);
    }

    /**
     * For a process about to exit, once every client has gone: removes the broker's folder and leaves HiveMQ to end
     * with the process, which frees its port. HiveMQ's graceful stop waits out fixed 2 s quiet periods, one for its
     * Netty event loops and one for its persistence executors, about 4 s in all even with nothing to save (thread
     * dumps in docs/performance.md, "The demo's start"): most of what closing the demo took. Its state is in memory
     * and lost at exit either way. The caller must end the JVM: HiveMQ's threads are not daemons.
     */
    public void leaveToProcessExit() {
        hivemq = null;
        deleteRecursively(workDir);
    }

    private void closeQuietly() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.close();
        } catch (ExecutionException e) {
            LOG.warn("built-in broker did not stop cleanly: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hivemq = null;
        }
    }

    /** HiveMQ's own message for a taken port is buried in its log; this one says what to do. */
    public static void checkPortIsFree(Settings settings) throws BrokerException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()));
        } catch (BindException e) {
            throw new BrokerException("port " + settings.port() + " on " + settings.bindAddress() + " is taken,"
                    + " perhaps by another MQTT broker such as Mosquitto (`sudo systemctl stop mosquitto`), or choose"
                    + " another port with --broker-port", e);
        } catch (IOException e) {
            throw new BrokerException("cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
    }

    static String configXml(Settings settings) {
        return "<?xml version=\"1.0\"?>\n"
                + "<hivemq>\n"
                + "  <listeners>\n"
                + "    <tcp-listener>\n"
                + "      <port>" + settings.port() + "</port>\n"
                + "      <bind-address>" + settings.bindAddress() + "</bind-address>\n"
                + "    </tcp-listener>\n"
                + "  </listeners>\n"
                + "  <mqtt>\n"
                + "    <queued-messages>\n"
                + "      <max-queue-size>" + MAX_QUEUED_PER_CLIENT + "</max-queue-size>\n"
                + "      <strategy>discard-oldest</strategy>\n"
                + "    </queued-messages>\n"
                + "  </mqtt>\n"
                + "  <persistence>\n"
                + "    <mode>in-memory</mode>\n"
                + "  </persistence>\n"
                + "  <anonymous-usage-statistics>\n"
                + "    <enabled>false</enabled>\n"
                + "  </anonymous-usage-statistics>\n"
                + "</hivemq>\n";
    }

    private static EmbeddedExtension passwordExtension(String username, String password) {
        byte[] expected = password.getBytes(StandardCharsets.UTF_8);
        SimpleAuthenticator authenticator = new SimpleAuthenticator() {
            @Override
            public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
                var connect = input.getConnectPacket();
                boolean userMatches = connect.getUserName().map(username::equals).orElse(false);
                byte[] given = connect.getPassword().map(BuiltInBroker::bytes).orElse(new byte[0]);
                // constant-time comparison: the time taken does not tell how much of the password was right
                if (userMatches && MessageDigest.isEqual(expected, given)) {
                    output.authenticateSuccessfully();
                } else {
                    output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                            "wrong username or password");
                }
            }
        };
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
                Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
            }

            @Override
            public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
                // nothing to release
            }
        };
        return EmbeddedExtension.builder()
                .withId("spike-password")
                .withName("Spike username and password")
                .withVersion("1")
                .withAuthor("Spike")
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(main)
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not remove {}: {}", dir, e.toString());
        }
    }
}
