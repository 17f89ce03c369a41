package dev.spike.agent.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs an external tool (gpiodetect, timedatectl, the stop step's dry run); tests pass a fake. */
@FunctionalInterface
interface CommandRunner {

    /** Never throws for a failing or missing tool: that is in the result. */
    Result run(Duration timeout, List<String> command) throws InterruptedException;

    /**
     * @param exitCode {@link #NOT_STARTED} if the program could not be started (not installed), {@link #TIMED_OUT}
     *                 if it was killed after the timeout
     * @param stderr   the error output, or why it could not be started
     */
    record Result(int exitCode, String stdout, String stderr) {
        public static final int NOT_STARTED = -1;
        public static final int TIMED_OUT = -2;

        public boolean ok() {
            return exitCode == 0;
        }

        public boolean started() {
            return exitCode != NOT_STARTED;
        }

        /** The first line of stderr, else of stdout: what to show a person. */
        public String message() {
            String text = stderr.isBlank() ? stdout : stderr;
            String line = text.strip();
            int end = line.indexOf('\n');
            return end < 0 ? line : line.substring(0, end);
        }
    }

    /** Real processes, with {@code LC_ALL=C} so that tools print what the parsers expect. */
    static CommandRunner system() {
        return (timeout, command) -> {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("LC_ALL", "C");
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(Result.NOT_STARTED, "", e.getMessage());
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> text(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(process.getErrorStream()));
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return new Result(Result.TIMED_OUT, "", String.format(java.util.Locale.ROOT,
                            "%s did not finish within %.1f s", command.get(0), timeout.toMillis() / 1000.0));
                }
                return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                return new Result(process.exitValue(), "", "cannot read the output of " + command.get(0) + ": " + e);
            } finally {
                process.destroy();
            }
        };
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
