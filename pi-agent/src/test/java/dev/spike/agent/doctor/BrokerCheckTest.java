package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.link.BrokerProbe;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.agent.link.mosquitto.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against Debian's real mosquitto with TLS and a password file, as the Pi's broker runs. */
class BrokerCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static MosquittoBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoBroker.builder().user("terrarium", "right-secret").tls().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private Path passwordFile(String password) throws IOException {
        return Files.writeString(dir.resolve("mqtt-password"), password + "\n");
    }

    private static Finding check(MqttSettings mqtt) throws InterruptedException {
        return BrokerCheck.run("terrarium", mqtt, Map.of(), BrokerProbe::connectOnce, TIMEOUT);
    }

    @Test
    void okStandaloneWithoutABroker() throws Exception {
        Finding finding = check(MqttSettings.NONE);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("standalone, no broker configured.");
    }

    @Test
    void okWithTheRightPasswordOverTls() throws Exception {
        Finding finding = check(new MqttSettings(broker.uri(), "terrarium", passwordFile("right-secret"),
                broker.caFile()));

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("connected to " + broker.uri() + " as user terrarium (TLS trusting "
                + broker.caFile() + ").");
    }

    @Test
    void failsWithNotAuthorizedForAWrongPassword() throws Exception {
        Finding finding = check(new MqttSettings(broker.uri(), "terrarium", passwordFile("wrong-secret"),
                broker.caFile()));

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).isEqualTo("the broker refused " + broker.uri() + " as user terrarium (TLS"
                + " trusting " + broker.caFile() + "): NOT_AUTHORIZED.");
        assertThat(finding.fix()).contains("mqtt.username", "mqtt.passwordFile", "mosquitto_passwd");
    }

    @Test
    void failsWithNotAuthorizedWithoutCredentials() throws Exception {
        Finding finding = check(new MqttSettings(broker.uri(), null, null, broker.caFile()));

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains(" anonymously ", "NOT_AUTHORIZED");
    }

    @Test
    void failsOnTlsWhenTheCaFileIsAnotherAuthority() throws Exception {
        Path otherCa = TestCertificates.authority(Files.createDirectories(dir.resolve("other-ca"))).caFile();

        Finding finding = check(new MqttSettings(broker.uri(), "terrarium", passwordFile("right-secret"), otherCa));

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("TLS handshake");
        assertThat(finding.fix()).contains("mqtt.caFile");
    }

    @Test
    void failsAsUnreachableWhenNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Finding finding = check(new MqttSettings("tcp://127.0.0.1:" + closedPort, "terrarium",
                passwordFile("right-secret"), null));

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).startsWith("cannot reach tcp://127.0.0.1:" + closedPort);
        assertThat(finding.fix()).contains("mqtt.broker", "systemctl status mosquitto");
    }

    @Test
    void failsOnAMissingPasswordFileWithoutConnecting() throws Exception {
        Finding finding = BrokerCheck.run("terrarium", new MqttSettings(broker.uri(), "terrarium",
                dir.resolve("absent"), broker.caFile()), Map.of(), (config, timeout) -> {
                    throw new AssertionError("must not connect");
                }, TIMEOUT);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains(dir.resolve("absent") + " (--password-file or mqtt.passwordFile)"
                + " does not exist");
    }
}
