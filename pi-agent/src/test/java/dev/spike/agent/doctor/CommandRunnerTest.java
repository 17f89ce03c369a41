package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

    private final CommandRunner runner = CommandRunner.system();

    @Test
    void capturesExitCodeStdoutAndStderr() throws Exception {
        CommandRunner.Result result = runner.run(Duration.ofSeconds(10),
                List.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result).isEqualTo(new CommandRunner.Result(3, "out\n", "err\n"));
        assertThat(result.message()).isEqualTo("err");
    }

    @Test
    void runsToolsInTheCLocaleSoTheirOutputParses() throws Exception {
        assertThat(runner.run(Duration.ofSeconds(10), List.of("sh", "-c", "echo $LC_ALL")).stdout())
                .isEqualTo("C\n");
    }

    @Test
    void aMissingToolIsNotStartedRatherThanAnException() throws Exception {
        CommandRunner.Result result = runner.run(Duration.ofSeconds(10), List.of("no-such-tool-spike-doctor"));

        assertThat(result.started()).isFalse();
        assertThat(result.message()).contains("no-such-tool-spike-doctor");
    }

    @Test
    void aHangingToolIsKilledAfterTheTimeout() throws Exception {
        long start = System.nanoTime();

        CommandRunner.Result result = runner.run(Duration.ofMillis(300), List.of("sleep", "30"));

        assertThat(result.exitCode()).isEqualTo(CommandRunner.Result.TIMED_OUT);
        assertThat(result.message()).isEqualTo("sleep did not finish within 0.3 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
