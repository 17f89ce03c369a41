package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** notify.* and heartbeat.* in the config file: none by default, every bad value named with its key. */
class NotifySettingsTest {

    @TempDir
    Path dir;

    private AgentConfig load(String properties) throws IOException, ConfigException {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, properties);
        return AgentConfig.load(file);
    }

    @Test
    void noNotifierAndNoHeartbeatByDefault() throws Exception {
        NotifySettings settings = load("agent.id=t1\n").alerts();

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.remindEveryH()).isEqualTo(12);
        assertThat(settings.maxAgeH()).isEqualTo(24);
        assertThat(settings.heartbeatEveryMin()).isEqualTo(5);
    }

    @Test
    void readsEveryKey() throws Exception {
        NotifySettings s = load("notify.ntfy.url=https://ntfy.sh/spike-x\nnotify.ntfy.tokenFile=/etc/spike/ntfy\n"
                + "notify.webhook.url=http://nodered.local:1880/spike\nnotify.email.smtp=smtps://mail.example.org\n"
                + "notify.email.from=spike@example.org\nnotify.email.to=a@example.org, b@example.org\n"
                + "notify.email.username=spike\nnotify.email.passwordFile=/etc/spike/smtp\nnotify.remindEveryH=6\n"
                + "notify.maxAgeH=48\nheartbeat.url=https://hc-ping.com/abc\nheartbeat.everyMin=2\n").alerts();

        assertThat(s.ntfyUrl()).isEqualTo("https://ntfy.sh/spike-x");
        assertThat(s.email().to()).containsExactly("a@example.org", "b@example.org");
        assertThat(s.email().server()).isEqualTo(new NotifySettings.Email.Server("mail.example.org", 465, true));
        assertThat(s.remindEveryH()).isEqualTo(6);
        assertThat(s.heartbeatEveryMin()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "notify.ntfy.url=ntfy.sh/topic|notify.ntfy.url must be an http:// or https:// URL with a path, was \"ntfy.sh/topic\"",
        "notify.ntfy.url=https://ntfy.sh/|notify.ntfy.url must be an http:// or https:// URL with a path",
        "notify.ntfy.url=ftp://ntfy.sh/x|notify.ntfy.url must be an http:// or https:// URL",
        "notify.ntfy.tokenFile=/etc/spike/t|notify.ntfy.tokenFile needs notify.ntfy.url",
        "notify.webhook.url=hooks.local|notify.webhook.url must be an http:// or https:// URL, was \"hooks.local\"",
        "notify.email.smtp=mail.example.org:587|notify.email.smtp must be smtp://host:port (STARTTLS when offered) or smtps://host:port, was \"mail.example.org:587\"",
        "notify.email.to=k@example.org|notify.email.to needs notify.email.smtp",
        "notify.remindEveryH=0|notify.remindEveryH must be 1..168, was 0",
        "notify.maxAgeH=x|notify.maxAgeH must be a whole number, was \"x\"",
        "heartbeat.url=https://hc-ping.com/abc?x=1|heartbeat.url must be a ping URL without a query",
        "heartbeat.everyMin=0|heartbeat.everyMin must be 1..1440, was 0",
    })
    void aBadValueNamesTheKeyAndTheValue(String line, String message) {
        assertThatThrownBy(() -> load(line + "\n")).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "notify.email.smtp=smtp://m.example.org|notify.email.from is required with notify.email.smtp",
        "notify.email.smtp=smtp://m.example.org\\nnotify.email.from=s@example.org|notify.email.to is required",
        "notify.email.smtp=smtp://m.example.org\\nnotify.email.from=spike\\nnotify.email.to=k@example.org|notify.email.from must be an e-mail address",
        "notify.email.smtp=smtp://m.example.org\\nnotify.email.from=s@example.org\\nnotify.email.to=k@example.org\\nnotify.email.username=s|notify.email.passwordFile is required with notify.email.username",
    })
    void anIncompleteEmailSetUpSaysWhatIsMissing(String lines, String message) {
        assertThatThrownBy(() -> load(lines.replace("\\n", "\n") + "\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }
}
