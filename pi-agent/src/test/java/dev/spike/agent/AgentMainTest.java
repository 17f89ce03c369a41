package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.link.LinkConfig;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.agent.store.EventStore;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import dev.spike.agent.sensor.Environment;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.I2cException;
import dev.spike.agent.sensor.I2cOpener;
import dev.spike.agent.sensor.SensorResult;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.time.VirtualScheduler;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void captureOutput() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryFlag() {
        assertThat(AgentMain.run("--help")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config", "--simulate", "--time-scale",
                "--agent-id", "--data-dir", "--stop-after", "--broker", "--username", "--password-file", "--ca-file",
                "SPIKE_MQTT_PASSWORD");
        assertThat(out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " "))
                .as("a %% in a description is picocli's format syntax").contains("loses PCT % of its effect per day");
        assertThat(stderr()).as("picocli warns of a description it cannot format").doesNotContain("picocli WARN");
    }

    @Test
    void helpSaysAMissingNotifierSecretFileIsExitCode2() {
        assertThat(AgentMain.run("--help")).isZero();

        // picocli wraps the exit code list: judge it as one line
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(help).containsPattern("2 bad flag or config file \\([^)]*MQTT password file[^)]*"
                + "notify\\.ntfy\\.tokenFile[^)]*notify\\.email\\.passwordFile[^)]*\\)");
    }

    @Test
    void aBadConfigValueGivesOneClearMessageAndExitCode2() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.properties"), "rules.sprayDurationS=45\n");

        assertThat(AgentMain.run("--config", config.toString(), "--simulate")).isEqualTo(2);

        assertThat(stderr()).startsWith("spike-agent: " + config + ": sprayDurationS must be 1..30, was 45")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnknownConfigKeyIsReported() throws IOException {
        Path config = Files.writeString(dir.resolve("agent.properties"), "rules.lowHumidity=70\n");

        assertThat(AgentMain.run("--config", config.toString(), "--simulate")).isEqualTo(2);

        assertThat(stderr()).contains("unknown key rules.lowHumidity");
    }

    @Test
    void aMissingConfigFileIsReported() {
        assertThat(AgentMain.run("--config", dir.resolve("nope.properties").toString())).isEqualTo(2);

        assertThat(stderr()).contains("does not exist");
    }

    @Test
    void theShippedSampleConfigIsValidAndStatesTheDefaults() throws Exception {
        dev.spike.agent.config.AgentConfig sample = dev.spike.agent.config.AgentConfig.load(
                Path.of("src/main/dist/agent.properties"));
        dev.spike.agent.config.AgentConfig defaults = dev.spike.agent.config.AgentConfig.defaults();

        assertThat(sample).isEqualTo(defaults);
    }

    @Test
    void badFlagsExitWith2() {
        assertThat(AgentMain.run("--time-scale", "fast")).isEqualTo(2);
        assertThat(AgentMain.run("--agent-id", "Bad Id", "--simulate")).isEqualTo(2);
        assertThat(stderr()).contains("--agent-id: must match");
        assertThat(AgentMain.run("--simulate", "--time-scale", "5000")).isEqualTo(2);
        assertThat(AgentMain.run("--stop-after", "soon", "--simulate")).isEqualTo(2);
    }

    @Test
    void badMqttSettingsGiveOneClearMessageAndExitCode2() throws IOException {
        assertThat(AgentMain.run("--simulate", "--broker", "localhost:1883")).isEqualTo(2);
        assertThat(stderr()).contains("spike-agent: --broker: must be tcp://host:port or ssl://host:port, was "
                + "\"localhost:1883\"");

        assertThat(AgentMain.run("--simulate", "--broker", "tcp://localhost", "--ca-file", "ca.crt")).isEqualTo(2);
        assertThat(stderr()).contains("--ca-file: needs an ssl:// broker");

        Path missing = dir.resolve("no-password");
        assertThat(AgentMain.run("--simulate", "--broker", "tcp://localhost", "--username", "u", "--password-file",
                missing.toString())).isEqualTo(2);
        assertThat(stderr()).contains("spike-agent: MQTT password file " + missing + " (--password-file or "
                + "mqtt.passwordFile) does not exist");

        Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate");
        assertThat(AgentMain.run("--simulate", "--broker", "ssl://localhost", "--ca-file", notPem.toString()))
                .isEqualTo(2);
        assertThat(stderr()).contains("spike-agent: the CA file " + notPem);

        Path config = Files.writeString(dir.resolve("agent.properties"), "mqtt.broker=http://localhost\n");
        assertThat(AgentMain.run("--config", config.toString(), "--simulate")).isEqualTo(2);
        assertThat(stderr()).contains("spike-agent: " + config + ": mqtt.broker must be tcp://host:port or ssl://");
        assertThat(stderr()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void runsWithABrokerTakingThePasswordFromTheEnvironmentAndLeavesItOffline() {
        try (MosquittoBroker broker = MosquittoBroker.builder().user("cli-mqtt", "from-the-env").start()) {
            int code = AgentMain.run(Map.of(LinkConfig.PASSWORD_ENV, "from-the-env"), "--simulate", "--time-scale",
                    "1000", "--stop-after", "10m", "--agent-id", "cli-mqtt", "--data-dir", dir.toString(),
                    "--broker", broker.uri(), "--username", "cli-mqtt");

            assertThat(code).isZero();
            try (EventStore store = EventStore.open(dir.resolve("cli-mqtt.db"), "cli-mqtt")) {
                assertThat(store.metaLong("broker_acked_seq", 0)).as("events the broker acknowledged").isPositive();
            }
            assertThat(broker.log()).contains("spike-agent-cli-mqtt").doesNotContain("not authorised");
        }
    }

    @Test
    void refusesATimeScaleOnRealHardware() {
        assertThat(AgentMain.run("--time-scale", "60")).isEqualTo(2);

        assertThat(stderr()).contains("--time-scale needs --simulate");
    }

    @Test
    void refusesAHeadStartOnRealHardware() {
        assertThat(AgentMain.run("--head-start", "24h")).isEqualTo(2);

        assertThat(stderr()).contains("--head-start needs --simulate");
    }

    @Test
    void runsASimulatedHourFastAndStopsCleanly() {
        int code = AgentMain.run("--simulate", "--time-scale", "1000", "--stop-after", "1h", "--agent-id", "cli-test",
                "--data-dir", dir.toString());

        assertThat(code).isZero();
        try (EventStore store = EventStore.open(dir.resolve("cli-test.db"), "cli-test")) {
            List<Event> events = store.read(1, 100_000);
            assertThat(events).extracting(Event::type).contains(EventType.AGENT_STARTED, EventType.CONFIG_APPLIED,
                    EventType.HUMIDITY_CHANGED, EventType.VALVE_OPENED, EventType.VALVE_CLOSED);
            assertThat(store.latest(EventType.VALVE_OPENED).orElseThrow().seq())
                    .isLessThan(store.latest(EventType.VALVE_CLOSED).orElseThrow().seq());
        }
    }

    @Test
    void aSensorBusThatBecomesUsableAfterStartIsPickedUpWithoutARestart() {
        VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2024-05-01T12:00:00Z"));
        FakeSht30 sht30 = new FakeSht30(scheduler, Environment.constant(60, 24));
        AtomicInteger attempts = new AtomicInteger();
        // the boot-time race: udev has not yet given /dev/i2c-1 to group i2c for the first three tries
        I2cOpener opener = () -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new I2cException(I2cException.Kind.PERMISSION, "permission denied on /dev/i2c-1: add the user"
                        + " to group i2c");
            }
            return sht30;
        };
        Sht30 sensor = new Sht30(AgentMain.openSensor(opener, scheduler), scheduler);
        List<SensorResult> results = new ArrayList<>();

        for (int i = 0; i < 6; i++) {
            sensor.measure(results::add);
            scheduler.advance(Duration.ofSeconds(10));
        }

        assertThat(((SensorResult.Failure) results.get(0)).reason())
                .isEqualTo("permission denied on /dev/i2c-1: add the user to group i2c; retrying in 1 s");
        assertThat(results.get(results.size() - 1)).isInstanceOf(SensorResult.Reading.class);
    }
}
