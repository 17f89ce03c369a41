package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.NotifySettings;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.MutableEnvironment;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.testing.LogCapture;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent (fake SHT30, fake relay, policy, a real SQLite store) on a virtual clock with its alerts going to
 * real servers on loopback ports: ntfy and a webhook receiver (HTTP servers that check the real services' formats),
 * GreenMail for SMTP, a healthchecks stand-in for the heartbeat. Outages, a restart with a notification owed, and a
 * flapping sensor.
 */
class AlertsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** 14:02 in Berlin. */
    static final Instant T0 = Instant.parse("2026-06-01T12:02:00Z");
    static final String AGENT = "alerts-1";
    static final String TOPIC = "spike-alerts-test";
    static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
    static final String PING = "5f2a0a4e-1b7c-4a66-9d61-1ab5c1d0f2e9";

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();

    LoopbackHttp ntfy;
    LoopbackHttp webhook;
    LoopbackHttp healthchecks;
    MailServer mail;

    VirtualScheduler scheduler;
    FakeSht30 sensor;
    ResilientEventStore store;
    Agent agent;
    Alerts alerts;
    /** Agent time for the delivery threads: the virtual scheduler is for one thread only. */
    volatile Instant clockNow = T0;

    @AfterEach
    void closeAll() throws Exception {
        stopAgent();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private void servers() {
        ntfy = closeLater(LoopbackHttp.ntfy(TOPIC, TOKEN));
        webhook = closeLater(LoopbackHttp.webhook("/hooks/spike"));
        healthchecks = closeLater(LoopbackHttp.healthchecks(PING));
        mail = closeLater(new MailServer("smtp"));
    }

    private AgentConfig config(int maxAgeH) throws IOException {
        Path token = dir.resolve("ntfy-token");
        if (!Files.exists(token)) {
            Files.writeString(token, TOKEN + "\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
        NotifySettings settings = new NotifySettings(ntfy.url("/" + TOPIC), token, webhook.url("/hooks/spike"),
                new NotifySettings.Email(mail.url(), "spike@example.org", List.of("keeper@example.org"), null, null),
                12, maxAgeH, healthchecks.url("/ping/" + PING), 5);
        return AgentConfig.defaults().withAgentId(AGENT).withDataDir(dir).withRules(Rules.defaults(BERLIN))
                .withAlerts(settings);
    }

    /** Starts the agent with its alerts, as AgentMain does, at {@code at}, with the sensor working. */
    private void startAgent(AgentConfig config, Instant at) throws ConfigException {
        scheduler = new VirtualScheduler(at);
        clockNow = at;
        sensor = new FakeSht30(scheduler, new MutableEnvironment(80, 25), 3);
        store = ResilientEventStore.open(dir.resolve(AGENT + ".db"), AGENT);
        agent = new Agent(config, scheduler, new Sht30(sensor, scheduler), new FakeValve(scheduler), store, "test");
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clockNow;
            }
        };
        alerts = new Alerts(config, Notifiers.of(config.alerts()), scheduler, store, clock, Duration.ofMillis(50),
                Duration.ofMillis(400), new Http());
        alerts.attach(agent);
        agent.start();
        scheduler.execute(alerts::start);
        advance(Duration.ofSeconds(1));
    }

    private void stopAgent() {
        if (agent != null) {
            agent.close();
            scheduler.runDue();
            alerts.close();
            store.close();
            agent = null;
        }
    }

    private void advance(Duration duration) {
        scheduler.advance(duration);
        clockNow = scheduler.now();
    }

    private void sensorDown() {
        sensor.setFault(SensorFault.ABSENT);
        advance(Duration.ofMinutes(1));
    }

    private void sensorUp() {
        sensor.setFault(SensorFault.OK);
        advance(Duration.ofMinutes(6));
    }

    private List<String> ntfyTitles() {
        return ntfy.accepted().stream().map(r -> r.header("X-Title")).collect(Collectors.toList());
    }

    private void noRejections() {
        assertThat(ntfy.rejections()).isEmpty();
        assertThat(webhook.rejections()).isEmpty();
        assertThat(healthchecks.rejections()).isEmpty();
    }

    @Test
    void aSensorDownReachesNtfyTheWebhookAndEmailAndTheHeartbeatPingsFail() throws Exception {
        servers();
        startAgent(config(24), T0);
        await().atMost(WAIT).until(() -> healthchecks.accepted().size() == 1);
        assertThat(healthchecks.accepted().get(0).path()).isEqualTo("/ping/" + PING + "/start");

        advance(Duration.ofMinutes(5));
        // virtual minutes pass in microseconds: a ping still on its way when the next is due skips that one (as it
        // should), so each ping must have arrived before the clock moves past the next
        await().atMost(WAIT).until(() -> healthchecks.accepted().size() == 2);
        sensorDown();
        advance(Duration.ofMinutes(5));

        await().atMost(WAIT).until(() -> ntfy.accepted().size() == 1 && webhook.accepted().size() == 1
                && mail.received().size() == 1);
        LoopbackHttp.Request push = ntfy.accepted().get(0);
        assertThat(push.header("X-Title")).isEqualTo("Spike alerts-1: sensor down");
        assertThat(push.header("X-Priority")).isEqualTo("urgent");
        assertThat(push.header("X-Tags")).isEqualTo("rotating_light,spike,sensor_down");
        assertThat(push.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(push.body()).startsWith("Sensor down since 14:07: spraying 6 s every 6 h until it answers."
                + " Last error: ").contains("Check first: the sensor's cable and plug at the Pi");

        JsonNode hook = json.readTree(webhook.accepted().get(0).body());
        assertThat(hook.get("schema").asText()).isEqualTo("spike.notification/1");
        assertThat(hook.get("agentId").asText()).isEqualTo(AGENT);
        assertThat(hook.get("alarm").asText()).isEqualTo("sensor_down");
        assertThat(hook.get("state").asText()).isEqualTo("raised");
        assertThat(hook.get("priority").asText()).isEqualTo("urgent");
        assertThat(Instant.parse(hook.get("since").asText())).isBetween(T0.plusSeconds(300), T0.plusSeconds(400));
        assertThat(hook.get("text").asText()).isEqualTo(push.body());

        MailServer.Mail letter = mail.received().get(0);
        assertThat(letter.subject()).isEqualTo("Spike alerts-1: sensor down");
        assertThat(letter.from()).isEqualTo("spike@example.org");
        assertThat(letter.to()).containsExactly("keeper@example.org");
        assertThat(letter.text()).startsWith(push.body());
        assertThat(letter.messageId()).isEqualTo("<" + hook.get("id").asText() + "@spike-agent>");
        assertThat(letter.importance()).isEqualTo("high");

        // the heartbeat every 5 min of agent time: /fail while the sensor is down
        await().atMost(WAIT).until(() -> healthchecks.accepted().stream()
                .anyMatch(r -> r.path().equals("/ping/" + PING + "/fail")));

        sensorUp();
        await().atMost(WAIT).until(() -> ntfy.accepted().size() == 2 && webhook.accepted().size() == 2
                && mail.received().size() == 2);
        assertThat(ntfy.accepted().get(1).header("X-Priority")).isEqualTo("default");
        assertThat(ntfy.accepted().get(1).header("X-Tags")).isEqualTo("white_check_mark,spike,sensor_down");
        assertThat(ntfy.accepted().get(1).body()).startsWith("Sensor answers again since ");
        await().atMost(WAIT).until(() -> healthchecks.accepted().size() == 4);
        advance(Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> healthchecks.accepted().get(healthchecks.accepted().size() - 1).path()
                .equals("/ping/" + PING));
        noRejections();
    }

    @Test
    void anOutageOfEveryServerDuringAnAlarmEndsInExactlyOneDeliveryEach() throws Exception {
        servers();
        startAgent(config(24), T0);
        ntfy.stop();
        webhook.stop();
        mail.stop();

        sensorDown();
        // retried while the servers are down: every notifier failed at least twice
        await().atMost(WAIT).until(() -> alerts.outbox().pending("ntfy", 10).stream().anyMatch(p -> p.attempts() >= 2)
                && alerts.outbox().pending("webhook", 10).stream().anyMatch(p -> p.attempts() >= 2)
                && alerts.outbox().pending("email", 10).stream().anyMatch(p -> p.attempts() >= 2));
        assertThat(ntfy.accepted()).isEmpty();
        assertThat(mail.received()).isEmpty();

        ntfy.start();
        webhook.start();
        mail.start();
        await().atMost(WAIT).until(() -> alerts.outbox().owed() == 0);
        // and nothing more comes: the retries stopped with the delivery
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> ntfy.accepted().size() == 1
                && webhook.accepted().size() == 1 && mail.received().size() == 1);
        assertThat(ntfyTitles()).containsExactly("Spike alerts-1: sensor down");
        System.out.printf("outage of ntfy, webhook and SMTP during an alarm: delivered %d, %d and %d time(s)"
                + " after they came back%n", ntfy.accepted().size(), webhook.accepted().size(),
                mail.received().size());
        noRejections();
    }

    @Test
    void aNotificationOwedAtAStopIsDeliveredOnceAfterTheRestart() throws Exception {
        servers();
        AgentConfig config = config(24);
        startAgent(config, T0);
        ntfy.stop();
        sensorDown();
        await().atMost(WAIT).until(() -> webhook.accepted().size() == 1 && mail.received().size() == 1);
        stopAgent();
        assertThat(ntfy.accepted()).isEmpty();

        ntfy.start();
        startAgent(config, T0.plus(Duration.ofMinutes(10)));
        await().atMost(WAIT).until(() -> ntfy.accepted().size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> ntfy.accepted().size() == 1
                && webhook.accepted().size() == 1 && mail.received().size() == 1);
        assertThat(ntfyTitles()).containsExactly("Spike alerts-1: sensor down");
        // the restart remembered the alarm: no second "raised" for the same sensor-down
        assertThat(alerts.state().track(Subject.SENSOR_DOWN).active()).isTrue();
        noRejections();
    }

    @Test
    void aNotificationUndeliveredForMaxAgeIsDroppedWithALogLine() throws Exception {
        servers();
        startAgent(config(1), T0);
        ntfy.stop();
        try (LogCapture log = new LogCapture(Dispatcher.class)) {
            sensorDown();
            await().atMost(WAIT).until(() -> webhook.accepted().size() == 1);
            await().atMost(WAIT).until(() -> alerts.outbox().pending("ntfy", 10).stream()
                    .anyMatch(p -> p.attempts() >= 1));
            clockNow = clockNow.plus(Duration.ofMinutes(61));
            await().atMost(WAIT).until(() -> alerts.outbox().owed() == 0);
            assertThat(log.messages(Level.ERROR)).anySatisfy(line -> assertThat(line)
                    .contains("dropped for ntfy: not delivered within 1 h"));
        }
        ntfy.start();
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> ntfy.accepted().isEmpty());
    }

    @Test
    void twelveHoursOfAFlappingSensorMakeABoundedNumberOfMessages() throws Exception {
        servers();
        startAgent(config(24), T0);
        Instant end = T0.plus(Duration.ofHours(12));
        int cycles = 0;
        while (scheduler.now().isBefore(end)) {
            // down long enough for sensor-down mode, up long enough (30 good reads) to recover
            sensorDown();
            sensorUp();
            cycles++;
        }
        long modeChanges = store.read(1, 1_000_000).stream()
                .filter(e -> e instanceof dev.spike.model.event.ModeChanged).count();
        await().atMost(WAIT).until(() -> alerts.outbox().owed() == 0);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> ntfy.accepted().size()
                == webhook.accepted().size() && webhook.accepted().size() == mail.received().size());
        int messages = ntfy.accepted().size();
        System.out.printf("12 h of a flapping sensor: %d down/up cycles, %d mode changes, %d messages per notifier:"
                + " %s%n", cycles, modeChanges, messages, ntfyTitles());
        assertThat(modeChanges).as("the sensor really flapped").isGreaterThan(100);
        // the first raise and its clear, then the summary when the 12 h are up
        assertThat(messages).isBetween(2, 3);
        noRejections();
    }
}
