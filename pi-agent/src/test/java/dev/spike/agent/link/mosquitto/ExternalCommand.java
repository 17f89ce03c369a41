package dev.spike.agent.link.mosquitto;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the Debian command-line tools the broker tests stand on (mosquitto, mosquitto_passwd, openssl).
 * A missing tool fails the test with the package to install: a test that skips when the broker is absent would
 * pass on exactly the machines where nobody checked the ACL.
 */
final class ExternalCommand {

    /** openssl and mosquitto_passwd finish in milliseconds; this only bounds a hung tool. */
    private static final long TIMEOUT_S = 30;

    private ExternalCommand() {
    }

    /**
     * The executable {@code name}: the first of {@code fixedPlaces} that is executable, else the first hit on
     * {@code searchPath} (a PATH value, may be null).
     */
    static Optional<Path> locate(String name, List<Path> fixedPlaces, String searchPath) {
        for (Path place : fixedPlaces) {
            if (Files.isExecutable(place)) {
                return Optional.of(place);
            }
        }
        if (searchPath != null) {
            for (String entry : searchPath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    Path candidate = Path.of(entry, name);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The Debian tool {@code name}, found in /usr/sbin, /usr/bin or on PATH; fails naming the package. */
    static Path require(String name, String debianPackage) {
        return locate(name, List.of(Path.of("/usr/sbin", name), Path.of("/usr/bin", name)), System.getenv("PATH"))
                .orElseThrow(() -> new IllegalStateException(
                        name + " not installed: apt-get install " + debianPackage));
    }

    /** Runs the command in {@code workDir} and returns its output; fails with that output on a non-zero exit. */
    static String run(Path workDir, List<String> command) {
        Path output = workDir.resolve(".command-output");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        try {
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + TIMEOUT_S + " s");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // only a scratch file inside the caller's temporary directory, which the caller deletes anyway
            }
        }
    }
}
