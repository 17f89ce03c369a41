package dev.spike.station.connection;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition in the test JVM: a TCP listener on 127.0.0.1 and a free port, anonymous usage statistics
 * off, in-memory persistence. Every client may connect but one with the user name {@value #INTRUDER}, which is
 * refused with "bad user name or password", so the station's refusal handling can be tested against a real broker.
 */
public final class EmbeddedBroker implements AutoCloseable {

    static final String INTRUDER = "intruder";

    private final Path dir;
    private final int port;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static EmbeddedBroker start(Path dir) throws Exception {
        int port = freePort();
        writeConfig(dir, "    <tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address>"
                + "</tcp-listener>\n");
        EmbeddedBroker broker = new EmbeddedBroker(dir, port);
        broker.startAgain();
        return broker;
    }

    /**
     * A broker with only a TLS listener, its certificate self-signed for 127.0.0.1 by the JDK's keytool; the
     * certificate, as PEM, is {@code dir/ca.pem}.
     */
    static EmbeddedBroker startTls(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path keystore = dir.resolve("broker.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass",
                "changeit", "-file", dir.resolve("ca.pem").toString());
        int port = freePort();
        writeConfig(dir, "    <tls-tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address>"
                + "<tls><keystore><path>" + keystore + "</path><password>changeit</password>"
                + "<private-key-password>changeit</private-key-password></keystore></tls></tls-tcp-listener>\n");
        EmbeddedBroker broker = new EmbeddedBroker(dir, port);
        broker.startAgain();
        return broker;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void writeConfig(Path dir, String listener) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("extensions"));
        Files.writeString(dir.resolve("conf").resolve("config.xml"), ""
                + "<?xml version=\"1.0\"?>\n"
                + "<hivemq>\n"
                + "  <listeners>\n"
                + listener
                + "  </listeners>\n"
                + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "  <persistence><mode>in-memory</mode></persistence>\n"
                + "</hivemq>\n");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    /** Starts a broker on the same port and folders (after {@link #stop()}). */
    void startAgain() throws Exception {
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withEmbeddedExtension(refuseIntruder())
                .withoutLoggingBootstrap()
                .build();
        hivemq.start().get(60, TimeUnit.SECONDS);
    }

    void stop() throws ExecutionException, TimeoutException {
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the broker", e);
        }
        hivemq = null;
    }

    public int port() {
        return port;
    }

    BrokerSettings settings() {
        return BrokerSettings.parse("tcp://127.0.0.1:" + port, null, null, null);
    }

    /** ssl:// settings trusting the broker's self-signed certificate (see {@link #startTls}). */
    BrokerSettings tlsSettings() {
        return BrokerSettings.parse("ssl://127.0.0.1:" + port, null, null, dir.resolve("ca.pem").toString());
    }

    BrokerSettings settings(String username, String password) {
        return BrokerSettings.parse("tcp://127.0.0.1:" + port, username, password, null);
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        if (hivemq != null) {
            stop();
        }
    }

    private static EmbeddedExtension refuseIntruder() {
        SimpleAuthenticator authenticator = (input, output) -> {
            if (input.getConnectPacket().getUserName().filter(INTRUDER::equals).isPresent()) {
                output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown user");
            } else {
                output.authenticateSuccessfully();
            }
        };
        return EmbeddedExtension.builder()
                .withId("refuse-intruder")
                .withName("refuse intruder")
                .withVersion("1")
                .withAuthor("spike tests")
                .withPriority(0)
                .withStartPriority(0)
                .withExtensionMain(new ExtensionMain() {
                    @Override
                    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
                    }

                    @Override
                    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
                    }
                })
                .build();
    }
}
