package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.model.SensorFault;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": a real agent process (AgentMain in a child JVM, simulated hardware at 60x) with a
 * properties file pointing at loopback ntfy, webhook and healthchecks servers and GreenMail. The sensor is unplugged
 * through the simulation's {@code sim/set} over Debian's mosquitto; every notifier gets the alarm and the heartbeat
 * pings {@code /start}, then {@code /fail}. Then the process is killed (SIGKILL) and started again: the keeper is told
 * of the unclean stop.
 */
class AgentProcessAlertsTest {

    static final Duration START_WAIT = Duration.ofSeconds(90);
    static final String AGENT = "process-alerts";
    static final String TOPIC = "spike-process-test";
    static final String PING = "0d4b0b7e-4a0a-4d43-9c5e-3c2f6f1e7a55";

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Test
    void aRealAgentProcessAlertsEveryNotifierAndTheHeartbeatAndTellsOfAnUncleanStop() throws Exception {
        MosquittoBroker broker = closeLater(MosquittoBroker.builder().start());
        LoopbackHttp ntfy = closeLater(LoopbackHttp.ntfy(TOPIC, null));
        LoopbackHttp webhook = closeLater(LoopbackHttp.webhook("/hook"));
        LoopbackHttp healthchecks = closeLater(LoopbackHttp.healthchecks(PING));
        MailServer mail = closeLater(new MailServer("smtp"));
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "rules.timeZone=UTC",
                "notify.ntfy.url=" + ntfy.url("/" + TOPIC),
                "notify.webhook.url=" + webhook.url("/hook"),
                "notify.email.smtp=" + mail.url(),
                "notify.email.from=spike@example.org",
                "notify.email.to=keeper@example.org",
                "heartbeat.url=" + healthchecks.url("/ping/" + PING),
                // one minute of agent time is a second at 60x
                "heartbeat.everyMin=1", ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Path data = dir.resolve("data");

        Path firstLog = dir.resolve("agent-1.log");
        Process agent = start(config, data, broker, firstLog);
        awaitOrShow(firstLog, () -> healthchecks.accepted().stream()
                .anyMatch(r -> r.path().equals("/ping/" + PING + "/start")));
        awaitOrShow(firstLog, () -> healthchecks.accepted().stream().anyMatch(r -> r.path().equals("/ping/" + PING)));

        try (var sim = new SimClient(broker)) {
            sim.unplugSensor();
        }
        awaitOrShow(firstLog, () -> ntfy.accepted().size() >= 1 && webhook.accepted().size() >= 1
                && mail.received().size() >= 1);
        assertThat(ntfy.accepted().get(0).header("X-Title")).isEqualTo("Spike " + AGENT + ": sensor down");
        assertThat(ntfy.accepted().get(0).header("X-Priority")).isEqualTo("urgent");
        assertThat(ntfy.accepted().get(0).body()).startsWith("Sensor down since ")
                .contains("spraying 6 s every 6 h until it answers");
        assertThat(new ObjectMapper().readTree(webhook.accepted().get(0).body()).get("alarm").asText())
                .isEqualTo("sensor_down");
        assertThat(mail.received().get(0).subject()).isEqualTo("Spike " + AGENT + ": sensor down");
        awaitOrShow(firstLog, () -> healthchecks.accepted().stream()
                .anyMatch(r -> r.path().equals("/ping/" + PING + "/fail")));

        agent.destroyForcibly(); // SIGKILL: no clean stop recorded
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path secondLog = dir.resolve("agent-2.log");
        start(config, data, broker, secondLog);
        awaitOrShow(secondLog, () -> ntfy.accepted().stream()
                .anyMatch(r -> r.header("X-Title").equals("Spike " + AGENT + ": restarted after an unclean stop")));
        // the alarm the killed agent told of is not told again by the new one
        assertThat(ntfy.accepted().stream().filter(r -> r.header("X-Title").endsWith(": sensor down"))).hasSize(1);
        assertThat(ntfy.rejections()).isEmpty();
        assertThat(webhook.rejections()).isEmpty();
        assertThat(healthchecks.rejections()).isEmpty();
        System.out.printf("agent process: %d ntfy, %d webhook, %d e-mail messages, %d heartbeat pings (%s)%n",
                ntfy.accepted().size(), webhook.accepted().size(), mail.received().size(),
                healthchecks.accepted().size(), healthchecks.accepted().stream().map(LoopbackHttp.Request::path)
                        .distinct().toList());
    }

    private Process start(Path config, Path data, MosquittoBroker broker, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.spike.agent.AgentMain", "--simulate", "--time-scale", "60", "--config", config.toString(),
                "--agent-id", AGENT, "--data-dir", data.toString(), "--broker", broker.uri())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private static void awaitOrShow(Path log, java.util.concurrent.Callable<Boolean> condition) throws IOException {
        try {
            await().atMost(START_WAIT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + START_WAIT.toSeconds() + " s; agent output:\n"
                    + Files.readString(log), e);
        }
    }

    /** Switches the simulated sensor the way the station's Simulation tab does: {@code sim/set}. */
    private static final class SimClient implements AutoCloseable {
        private final Mqtt5BlockingClient client;

        SimClient(MosquittoBroker broker) {
            client = broker.clientBuilder().identifier("sim-switch").buildBlocking();
            client.connect();
        }

        /** Both simulated sensors: one alone is a sensor_failed alarm, not sensor-down mode. */
        void unplugSensor() {
            for (int sensor = 1; sensor <= 2; sensor++) {
                byte[] payload = new Codec().encode(new SimSetCommand("unplug-" + sensor, SensorFault.ABSENT, null,
                        sensor));
                client.publishWith().topic(Topic.of(AGENT, TopicKind.SIM_SET).toString())
                        .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
            }
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }
}
