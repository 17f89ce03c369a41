package dev.spike.agent.doctor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tools as a test wants them: answers by program name; a program without an answer is "not installed". */
final class FakeCommands implements CommandRunner {

    private final Map<String, Result> answers = new HashMap<>();
    private final List<List<String>> calls = new ArrayList<>();
    private CommandRunner fallback;

    /** Programs without an answer go to {@code runner} (real processes, say) instead of being "not installed". */
    FakeCommands orElse(CommandRunner runner) {
        this.fallback = runner;
        return this;
    }

    FakeCommands answer(String program, int exitCode, String stdout, String stderr) {
        answers.put(program, new Result(exitCode, stdout, stderr));
        return this;
    }

    FakeCommands answer(String program, String stdout) {
        return answer(program, 0, stdout, "");
    }

    List<List<String>> calls() {
        return calls;
    }

    @Override
    public Result run(Duration timeout, List<String> command) throws InterruptedException {
        calls.add(command);
        Result result = answers.get(command.get(0));
        if (result == null && fallback != null) {
            return fallback.run(timeout, command);
        }
        return result != null ? result
                : new Result(Result.NOT_STARTED, "", "Cannot run program \"" + command.get(0) + "\": error=2,"
                        + " No such file or directory");
    }
}
