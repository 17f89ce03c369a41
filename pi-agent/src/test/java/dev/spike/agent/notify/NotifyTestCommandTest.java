package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spike-agent notify-test}: one line per notifier, exit 1 if any failed or none is configured. */
class NotifyTestCommandTest {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String properties) throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, properties);
        return new CommandLine(new NotifyTestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--config", config.toString());
    }

    @Test
    void sendsATestMessageThroughEveryNotifierAndNamesTheOneThatFailed() throws Exception {
        try (LoopbackHttp ntfy = LoopbackHttp.ntfy("spike-test", null);
             LoopbackHttp webhook = LoopbackHttp.webhook("/hook")) {
            webhook.stop();
            int code = run("notify.ntfy.url=" + ntfy.url("/spike-test") + "\nnotify.webhook.url="
                    + webhook.url("/hook") + "\n");

            assertThat(code).isEqualTo(1);
            assertThat(out.toString()).contains("OK    ntfy     delivered to http://127.0.0.1:")
                    .contains("FAIL  webhook  cannot connect to http://127.0.0.1:")
                    .contains("check the network, the host and port in notify.webhook.url")
                    .contains("1 of 2 failed");
            assertThat(ntfy.accepted()).singleElement().satisfies(r -> {
                assertThat(r.header("X-Title")).isEqualTo("Spike terrarium: test message");
                assertThat(r.header("X-Tags")).isEqualTo("information_source,spike,test");
                assertThat(r.body()).startsWith("Test message from spike-agent notify-test at ");
            });
        }
    }

    @Test
    void exitsZeroWhenEveryNotifierDelivered() throws Exception {
        try (LoopbackHttp webhook = LoopbackHttp.webhook("/hook")) {
            assertThat(run("notify.webhook.url=" + webhook.url("/hook") + "\n")).isZero();
            assertThat(out.toString()).contains("1 delivered");
        }
    }

    @Test
    void saysSoWhenNoNotifierIsConfigured() throws Exception {
        assertThat(run("agent.id=t1\n")).isEqualTo(1);
        assertThat(out.toString()).startsWith("no notifier configured in ")
                .contains("set notify.ntfy.url, notify.webhook.url or notify.email.smtp");
    }

    @Test
    void aMissingSecretFileIsAConfigError() throws Exception {
        assertThat(run("notify.ntfy.url=https://ntfy.sh/x\nnotify.ntfy.tokenFile=" + dir.resolve("none") + "\n"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("notify.ntfy.tokenFile " + dir.resolve("none") + " does not exist");
    }

    @Test
    void aSecretFileEveryUserMayReadIsRefused() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "tk_x\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("notify.ntfy.url=https://ntfy.sh/x\nnotify.ntfy.tokenFile=" + token + "\n")).isEqualTo(2);
        assertThat(err.toString()).contains("is readable by every user of this machine").contains("chmod 600");
    }
}
