package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.link.mosquitto.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkConfigTest {

    @TempDir
    Path dir;

    static final MqttSettings BROKER = MqttSettings.NONE.withBroker("tcp://broker.local:1883")
            .withUsername("terrarium-1");

    private static String password(LinkConfig config) {
        return new String(config.password(), StandardCharsets.UTF_8);
    }

    @Test
    void readsThePasswordFromTheFirstLineOfItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "s3cret pass\r\nsecond line\n");

        LinkConfig config = LinkConfig.resolve("terrarium-1", BROKER.withPasswordFile(file), Map.of());

        assertThat(password(config)).isEqualTo("s3cret pass");
        assertThat(config.clientId()).isEqualTo("spike-agent-terrarium-1");
        assertThat(config.username()).isEqualTo("terrarium-1");
    }

    @Test
    void takesThePasswordFromTheEnvironmentWithoutAFile() throws Exception {
        LinkConfig config = LinkConfig.resolve("terrarium-1", BROKER,
                Map.of(LinkConfig.PASSWORD_ENV, "from-env"));

        assertThat(password(config)).isEqualTo("from-env");
    }

    @Test
    void theFileWinsOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "from-file\n");

        LinkConfig config = LinkConfig.resolve("terrarium-1", BROKER.withPasswordFile(file),
                Map.of(LinkConfig.PASSWORD_ENV, "from-env"));

        assertThat(password(config)).isEqualTo("from-file");
    }

    @Test
    void neverShowsThePassword() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "hunter2\n");

        LinkConfig config = LinkConfig.resolve("terrarium-1", BROKER.withPasswordFile(file), Map.of());

        assertThat(config.toString()).doesNotContain("hunter2").contains("user terrarium-1", "password from file");
    }

    @Test
    void aMissingOrEmptyPasswordFileIsAConfigError() throws IOException {
        Path missing = dir.resolve("missing");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> LinkConfig.resolve("terrarium-1", BROKER.withPasswordFile(missing), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("MQTT password file " + missing + " (--password-file or mqtt.passwordFile) does not exist;"
                        + " put the secret on its first line and `chmod 600` the file");
        assertThatThrownBy(() -> LinkConfig.resolve("terrarium-1", BROKER.withPasswordFile(empty), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("is empty");
    }

    @Test
    void trustsTheCertificatesOfACaFile() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir);

        LinkConfig config = LinkConfig.resolve("terrarium-1",
                MqttSettings.NONE.withBroker("ssl://localhost:8883").withCaFile(ca.caFile()), Map.of());

        assertThat(config.trust()).isNotNull();
        assertThat(config.endpoint().tls()).isTrue();
        assertThat(config.toString()).contains("TLS trusting " + ca.caFile());
    }

    @Test
    void aCaFileThatIsNotPemIsAConfigError() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.crt"), "this is not a certificate\n");

        assertThatThrownBy(() -> LinkConfig.resolve("terrarium-1",
                MqttSettings.NONE.withBroker("ssl://localhost").withCaFile(notPem), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("the CA file " + notPem + " (--ca-file or mqtt.caFile)")
                .hasMessageContaining("PEM");
    }
}
