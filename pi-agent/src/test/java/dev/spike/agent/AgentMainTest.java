package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
                "--agent-id", "--data-dir", "--stop-after");
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
    void refusesATimeScaleOnRealHardware() {
        assertThat(AgentMain.run("--time-scale", "60")).isEqualTo(2);

        assertThat(stderr()).contains("--time-scale needs --simulate");
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
}
