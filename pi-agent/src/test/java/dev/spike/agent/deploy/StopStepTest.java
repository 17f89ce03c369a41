package dev.spike.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.deploy.DeploymentFilesTest.Result;
import dev.spike.agent.valve.GpioValveOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The valve's stop step ({@code spike-valve-close}) reads the agent's config with its own small parser, because it
 * must run without a JVM within milliseconds of a crash. These tests hold it to the agent's reading: wherever the
 * stop step names a line and level, the agent (java.util.Properties through {@link AgentConfig}) reads the same
 * file as the same line and level; where it cannot be sure, it refuses. The rehearsal on the Debian 12 and 13 images
 * runs it with the images' own gpioset.
 */
class StopStepTest {

    static final Path STOP_STEP = DeploymentFilesTest.DIST.resolve("spike-valve-close");

    @TempDir
    Path dir;

    private Result showConfig(String properties) throws Exception {
        Path file = Files.createTempFile(dir, "agent", ".properties");
        Files.writeString(file, properties);
        return DeploymentFilesTest.run(List.of("bash", STOP_STEP.toString(), "--config", file.toString(),
                "--show-config"));
    }

    /** The agent's reading as the stop step prints it, or null where the agent refuses the file. */
    private String agentReading(String properties) throws Exception {
        Path file = Files.createTempFile(dir, "agent", ".properties");
        Files.writeString(file, properties);
        try {
            AgentConfig config = AgentConfig.load(file);
            return "gpio=" + config.valveGpio() + "\nactiveLow=" + config.valveActiveLow() + "\nclosedLevel="
                    + (config.valveActiveLow() ? 1 : 0) + "\n";
        } catch (ConfigException e) {
            return null;
        }
    }

    @Test
    void theStopStepPassesShellcheck() throws Exception {
        Result result = DeploymentFilesTest.run(List.of("shellcheck", STOP_STEP.toString()));

        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void withoutValveKeysItUsesTheAgentsDefaults() throws Exception {
        Result result = showConfig("agent.id=terrarium\n");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo("gpio=" + GpioValveOutput.DEFAULT_BCM_PIN + "\nactiveLow="
                + AgentConfig.defaults().valveActiveLow() + "\nclosedLevel=0\n");
        assertThat(result.output()).isEqualTo(agentReading("agent.id=terrarium\n"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            valve.gpio=22\\nvalve.activeLow=true                  | 22 | true
            valve.gpio = 22\\nvalve.activeLow : true               | 22 | true
            '   valve.gpio\\t5\\n\\tvalve.activeLow   false   '    | 5  | false
            valve.gpio=0x1b\\nvalve.activeLow=true                 | 27 | true
            valve.gpio=+017                                        | 17 | false
            valve.gpio=4\\nvalve.gpio=9                            | 9  | false
            valve.gpio=4\\nvalve.gpio=                             | 17 | false
            valve.activeLow=true\\r\\nvalve.gpio=6\\r\\n           | 6  | true
            '# valve.gpio=3\\n! valve.activeLow=true'              | 17 | false
            mqtt.username=u\\\\\\n  valve.gpio=3                   | 17 | false
            valve.gpio=12\\nvalve.activeLow=true\\n# trailing\\\\  | 12 | true
            """)
    void readsTheValveKeysAsTheAgentDoes(String escaped, int gpio, boolean activeLow) throws Exception {
        String properties = unescape(escaped);

        Result result = showConfig(properties);

        String expected = "gpio=" + gpio + "\nactiveLow=" + activeLow + "\nclosedLevel=" + (activeLow ? 1 : 0) + "\n";
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).isEqualTo(expected);
        assertThat(agentReading(properties)).as("the agent's reading").isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            valve.gpio=28                          | valve.gpio must be a BCM line number 0..27, was "28"
            valve.gpio=-1                          | valve.gpio must be a BCM line number 0..27, was "-1"
            valve.gpio=seventeen                   | valve.gpio must be a BCM line number 0..27
            valve.gpio=99999999999999999999        | valve.gpio must be a BCM line number 0..27
            valve.activeLow=yes                    | valve.activeLow must be true or false, was "yes"
            valve.activeLow=TRUE                   | valve.activeLow must be true or false, was "TRUE"
            valve.activeLow=tru\\\\e               | escapes or a continued line in a valve key
            valve.gp\\\\u0069o=3                   | escapes or a continued line in a valve key
            valve.gpio=1\\\\\\n7                   | escapes or a continued line in a valve key
            """)
    void refusesWhatItCannotReadExactlyAndNamesWhy(String escaped, String message) throws Exception {
        Result result = showConfig(unescape(escaped));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains(message).contains("the valve was NOT driven closed by this step");
    }

    @Test
    void aMissingConfigIsAnErrorNeverADefault() throws Exception {
        Result result = DeploymentFilesTest.run(List.of("bash", STOP_STEP.toString(), "--config",
                dir.resolve("absent.properties").toString()));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("cannot read " + dir.resolve("absent.properties"));
    }

    /**
     * Random files from fragments that trip parsers up (separators, blanks, comments, continuations, escapes,
     * duplicates, CRLF): wherever the stop step answers, the agent reads the same; where the agent reads a valve
     * setting the stop step does not, the stop step refused.
     */
    @Test
    void neverReadsAValveSettingDifferentlyFromTheAgent() throws Exception {
        String[] fragments = {"valve.gpio=22", "valve.gpio = 5", "valve.gpio:0x10", "valve.gpio\t9", "valve.gpio=",
            "valve.gpio=28", "valve.gpio=+3", "valve.gpio=007", "valve.activeLow=true", "valve.activeLow = false",
            "valve.activeLow:true ", "valve.activeLow=True", "valve.activeLow", "# valve.gpio=1", "! valve.activeLow=true",
            "  ", "", "agent.id=t", "agent.id=a\\", "mqtt.username=u\\", "   valve.gpio=4", "valve\\.gpio=6",
            "valve.activeLow=fals\\e", "valve.gpio 11 12", "valve.gpio==3", "\tvalve.activeLow\t\ttrue",
            "agent.id=x\\\\", "valve.activeLow=true\\\\"};
        Random random = new Random(20261206);
        int compared = 0;
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            List<String> lines = new ArrayList<>();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                lines.add(fragments[random.nextInt(fragments.length)]);
            }
            String properties = String.join(random.nextBoolean() ? "\n" : "\r\n", lines) + "\n";
            Result stopStep = showConfig(properties);
            String agent = agentReading(properties);
            if (stopStep.exit() == 0) {
                if (agent != null) {
                    assertThat(stopStep.output()).as("stop step vs agent for:%n%s", properties).isEqualTo(agent);
                    compared++;
                }
            } else {
                assertThat(stopStep.exit()).isEqualTo(1);
                refused++;
            }
        }
        assertThat(compared).as("files both read").isGreaterThan(50);
        assertThat(refused).as("files the stop step refused").isGreaterThan(5);
    }

    private static String unescape(String escaped) {
        return escaped.replace("\\\\", "\u0000").replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")
                .replace("\u0000", "\\");
    }
}
