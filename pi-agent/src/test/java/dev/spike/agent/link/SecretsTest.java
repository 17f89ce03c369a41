package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.model.Status;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's MQTT password never shows: not in the process list, not in its log, even at DEBUG level with the MQTT
 * client's own logging, neither when the broker takes it nor when it refuses it. Against Mosquitto with the shipped
 * ACL and password file, with the agent as the separate process it is on a Pi.
 */
class SecretsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String AGENT = "secret-agent";
    private static final String PASSWORD = "Zq7-never-shown-4711";
    private static final String STATION_PASSWORD = "station-Zq7-4712";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private MosquittoBroker broker() {
        return closeLater(MosquittoBroker.builder().aclFile(Path.of("../docs/mosquitto/acl"))
                .user(AGENT, PASSWORD).user("station.home", STATION_PASSWORD).start());
    }

    @Test
    void aPasswordFromAFileShowsNeitherInTheProcessListNorInTheLog() throws Exception {
        MosquittoBroker broker = broker();
        StationClient station = closeLater(new StationClient(broker.clientBuilder().simpleAuth(
                Mqtt5SimpleAuth.builder().username("station.home")
                        .password(STATION_PASSWORD.getBytes(StandardCharsets.UTF_8)).build()),
                "station-secrets", false));
        Path log = dir.resolve("agent.log");
        Process agent = start(broker, log, Map.of(), "--password-file", passwordFile().toString());
        try {
            await().atMost(WAIT).until(() -> station.latest(Topic.status(AGENT), Status.class)
                    .map(Status::online).orElse(false) || !agent.isAlive());
            assertThat(agent.isAlive()).as("agent output:%n%s", Files.readString(log)).isTrue();
            // really connected with it: a command goes through the ACL and is answered (refused or not: the dry
            // simulated terrarium may have the valve open already)
            station.publish(Topic.of(AGENT, TopicKind.CMD_SPRAY), "{\"id\":\"secret-spray\",\"durationS\":1}");
            await().atMost(WAIT).until(() -> !station.results(AGENT, "secret-spray").isEmpty());

            assertThat(processList()).as("the command lines of every process").doesNotContain(PASSWORD);
        } finally {
            stop(agent);
        }
        assertThat(Files.readString(log)).contains("MQTT").doesNotContain(PASSWORD);
    }

    @Test
    void aPasswordFromTheEnvironmentShowsNeitherInTheProcessListNorInTheLogWhenRefused() throws Exception {
        MosquittoBroker broker = broker();
        String wrong = PASSWORD + "-but-wrong";
        Path log = dir.resolve("agent.log");
        Process agent = start(broker, log, Map.of(LinkConfig.PASSWORD_ENV, wrong));
        try {
            await().atMost(WAIT).until(() -> Files.readString(log).contains("refused") || !agent.isAlive());
            assertThat(processList()).doesNotContain(wrong);
        } finally {
            stop(agent);
        }
        assertThat(Files.readString(log)).contains("refused").doesNotContain(wrong);
    }

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("mqtt-password");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The agent as on a Pi, logging at DEBUG, so that the MQTT client's own logging is in the check too. */
    private Process start(MosquittoBroker broker, Path log, Map<String, String> env, String... extra)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.spike.agent.AgentMain", "--simulate",
                "--agent-id", AGENT, "--data-dir", dir.resolve("data").toString(), "--broker", broker.uri(),
                "--username", AGENT));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPIKE_LOG_LEVEL", "DEBUG");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void stop(Process agent) throws InterruptedException {
        agent.destroy();
        if (!agent.waitFor(20, TimeUnit.SECONDS)) {
            agent.destroyForcibly();
        }
    }

    /** What {@code ps -eo args} shows: the command line of every process this user can see. */
    private static String processList() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                Path cmdline = process.resolve("cmdline");
                if (process.getFileName().toString().matches("\\d+") && Files.isReadable(cmdline)) {
                    try {
                        all.append(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' '))
                                .append('\n');
                    } catch (IOException gone) {
                        // the process ended while we looked
                    }
                }
            }
        }
        assertThat(all).as("the process list, with this JVM in it").contains("dev.spike.agent.AgentMain");
        return all.toString();
    }
}
