package dev.spike.station.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSettingsTest {

    @TempDir
    Path dir;

    @Test
    void fillsInTheDefaultPortOfEachScheme() {
        assertThat(BrokerSettings.parse("tcp://pi.local", null, null, null).address())
                .isEqualTo("tcp://pi.local:1883");
        assertThat(BrokerSettings.parse("ssl://pi.local", null, null, null).port()).isEqualTo(8883);
        assertThat(BrokerSettings.parse(" tcp://127.0.0.1:11883 ", "", "", "").port()).isEqualTo(11883);
    }

    @Test
    void namesTheFieldThatIsWrong() {
        assertInvalid(() -> BrokerSettings.parse("http://pi:80", null, null, null), "uri",
                "uri must start with tcp:// or ssl://, was \"http://pi:80\"");
        assertInvalid(() -> BrokerSettings.parse("", null, null, null), "uri", "uri is required");
        assertInvalid(() -> BrokerSettings.parse("tcp://bob:secret@pi", null, null, null), "uri",
                "must not contain a user name or password");
        assertInvalid(() -> BrokerSettings.parse("tcp://pi:1883/spike", null, null, null), "uri",
                "must be only tcp://host:port");
        assertInvalid(() -> BrokerSettings.parse("tcp://pi", null, "secret", null), "password",
                "password needs a user name");
        assertInvalid(() -> BrokerSettings.parse("tcp://pi", null, null, dir.resolve("ca.pem").toString()),
                "caFile", "caFile is only used with ssl://");
        assertInvalid(() -> BrokerSettings.parse("ssl://pi", null, null, dir.resolve("ca.pem").toString()),
                "caFile", "caFile cannot be read");
    }

    @Test
    void acceptsAReadableCaFileForSsl() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");

        BrokerSettings settings = BrokerSettings.parse("ssl://pi", "station", "secret", ca.toString());

        assertThat(settings.tls()).isTrue();
        assertThat(settings.caFile()).isEqualTo(ca);
    }

    @Test
    void neverShowsThePassword() {
        BrokerSettings settings = BrokerSettings.parse("tcp://pi", "station", "s3cr3t!", null);

        assertThat(settings.toString()).doesNotContain("s3cr3t!").contains("password=***")
                .contains("tcp://pi:1883").contains("station");
    }

    private static void assertInvalid(Runnable parse, String field, String message) {
        assertThatThrownBy(parse::run)
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }
}
