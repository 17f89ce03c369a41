package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.spike.agent.testing.LogCapture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dispatcher with a real outbox and the webhook notifier against a loopback HTTP server that refuses one
 * notification: a refusal that retrying cannot fix drops that one and the next goes on; a failure that fixing the
 * set-up can cure (a token, a path, a server error, a rate limit) keeps it, and what comes after it, owed.
 */
class DispatcherTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Instant T0 = Instant.parse("2026-06-01T12:02:00Z");

    @TempDir
    Path dir;

    LoopbackHttp webhook;
    Outbox outbox;
    Dispatcher dispatcher;

    @BeforeEach
    void start() {
        webhook = LoopbackHttp.webhook("/hook");
        outbox = Outbox.open(dir.resolve("t-notify.db"), List.of("webhook"));
        dispatcher = new Dispatcher(outbox, List.of(new WebhookNotifier(URI.create(webhook.url("/hook")), new Http())),
                Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), Duration.ofHours(24), Duration.ofMillis(50),
                Duration.ofMillis(400));
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        dispatcher.close();
        outbox.close();
        webhook.close();
    }

    private static Notification notification(String id, int second) {
        Instant at = T0.plusSeconds(second);
        return new Notification(id, "t", Subject.SENSOR_DOWN, Notification.State.RAISED,
                Notification.Priority.URGENT, at, at, "Spike t: sensor down " + id, "Sensor down since 14:02: " + id);
    }

    private List<String> delivered() {
        return webhook.accepted().stream().map(r -> r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toList());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 413, 422, 418})
    void aNotificationTheServerRefusesIsDroppedAndTheNextGoesOn(int status) {
        String answer = "{\"code\":" + status + "01,\"error\":\"" + "this message is not welcome ".repeat(20) + "\"}";
        webhook.refuse(r -> r.body().contains("\"id\":\"t-1\""), status, answer);
        try (LogCapture log = new LogCapture(Dispatcher.class)) {
            dispatcher.submit(AlertPolicy.State.EMPTY, List.of(notification("t-1", 0), notification("t-2", 1)));

            await().atMost(WAIT).until(() -> outbox.owed() == 0);
            assertThat(delivered()).containsExactly("t-2");
            // refused once, not retried
            assertThat(webhook.refused()).hasSize(1);
            assertThat(outbox.refusals()).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo("t-1");
                assertThat(r.channel()).isEqualTo("webhook");
                assertThat(r.error()).contains("answered " + status).contains("this message is not welcome");
            });
            assertThat(log.messages(Level.ERROR)).singleElement().asString()
                    .contains("t-1").contains("refused by webhook").contains("answered " + status)
                    .contains("{\"code\":" + status + "01,\"error\":\"this message is not welcome")
                    // the answer is quoted, not copied whole
                    .contains("...").hasSizeLessThan(answer.length() + 200);
        }
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> webhook.refused().size() == 1);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403, 404, 408, 429, 500, 502, 503})
    void aFailureTheSetUpCanCureIsRetriedAndHoldsTheNextBack(int status) {
        webhook.refuse(r -> true, status, "{\"error\":\"not now\"}");
        dispatcher.submit(AlertPolicy.State.EMPTY, List.of(notification("t-1", 0), notification("t-2", 1)));

        await().atMost(WAIT).until(() -> outbox.pending("webhook", 10).stream()
                .anyMatch(p -> p.notification().id().equals("t-1") && p.attempts() >= 2));
        assertThat(webhook.accepted()).isEmpty();
        assertThat(outbox.refusals()).isEmpty();
        assertThat(outbox.pending("webhook", 10)).extracting(p -> p.notification().id())
                .containsExactly("t-1", "t-2");

        // the keeper fixes the token, the path or the server: both arrive, in order
        webhook.refuse(null, 0, null);
        await().atMost(WAIT).until(() -> outbox.owed() == 0);
        assertThat(delivered()).containsExactly("t-1", "t-2");
    }
}
