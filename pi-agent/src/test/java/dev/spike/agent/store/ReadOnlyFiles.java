package dev.spike.agent.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes files and directories unwritable for the user running the tests. chmod does that for everyone but root;
 * for root (CI containers) the immutable attribute does, where the file system has it (ext4: yes, tmpfs: no).
 * Always undo with {@link #close()}, or @TempDir cannot clean up.
 */
final class ReadOnlyFiles implements AutoCloseable {

    private final List<Path> paths = new ArrayList<>();
    private boolean chattr;

    /** Makes {@code targets} read-only and says how ("chmod", "chattr +i"), or null if nothing works here. */
    String makeReadOnly(Path... targets) throws IOException {
        paths.addAll(List.of(targets));
        for (Path path : targets) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
        }
        if (!anyWritable(targets)) {
            return "chmod";
        }
        List<String> command = new ArrayList<>(List.of("chattr", "+i"));
        for (Path path : targets) {
            command.add(path.toString());
        }
        chattr = run(command);
        if (chattr && !anyWritable(targets)) {
            return "chattr +i";
        }
        close();
        return null;
    }

    @Override
    public void close() {
        if (chattr) {
            List<String> command = new ArrayList<>(List.of("chattr", "-i"));
            for (Path path : paths) {
                command.add(path.toString());
            }
            run(command);
            chattr = false;
        }
        for (Path path : paths) {
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot make " + path + " writable again", e);
            }
        }
        paths.clear();
    }

    private static boolean anyWritable(Path... targets) throws IOException {
        for (Path path : targets) {
            if (Files.isDirectory(path) ? canCreateIn(path) : canAppendTo(path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean canCreateIn(Path directory) throws IOException {
        Path probe = directory.resolve("probe");
        try {
            Files.createFile(probe);
        } catch (FileSystemException e) {
            return false; // EACCES from chmod, EPERM from the immutable attribute
        }
        Files.delete(probe);
        return true;
    }

    private static boolean canAppendTo(Path file) {
        try {
            Files.newOutputStream(file, StandardOpenOption.APPEND).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a command; false if it is missing, fails or hangs. */
    private static boolean run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
