package dev.spike.agent.link;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One HiveMQ Community Edition broker inside the test JVM, shared by the link tests: started on first use on a free
 * loopback port, stopped when the JVM exits. Its files live in a temporary folder; anonymous usage statistics are
 * off, so a test run never phones home. Tests keep apart by using their own agent and station ids.
 */
final class EmbeddedBroker {

    static final String HOST = "127.0.0.1";

    private static EmbeddedBroker shared;

    private final int port;

    private EmbeddedBroker(int port) {
        this.port = port;
    }

    static synchronized EmbeddedBroker shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    int port() {
        return port;
    }

    /** A link to this broker for {@code agentId}, anonymous and without TLS. */
    LinkConfig link(String agentId) {
        return LinkConfig.plain(agentId, HOST, port);
    }

    StationClient station(String stationId) {
        return new StationClient(HOST, port, stationId);
    }

    private static EmbeddedBroker start() {
        int port = freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory("spike-hivemq-");
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), "<?xml version=\"1.0\"?>\n"
                    + "<hivemq>\n"
                    + "  <listeners>\n"
                    + "    <tcp-listener><port>" + port + "</port><bind-address>" + HOST + "</bind-address>"
                    + "</tcp-listener>\n"
                    + "  </listeners>\n"
                    + "  <persistence><mode>in-memory</mode></persistence>\n"
                    + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                    + "</hivemq>\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's folder", e);
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded HiveMQ did not start on " + HOST + ":" + port, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                hivemq.stop().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM is ending; the broker goes with it
            }
            deleteRecursively(dir);
        }, "embedded-hivemq-stop"));
        return new EmbeddedBroker(port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it up eventually
        }
    }
}
