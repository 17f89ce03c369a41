package dev.spike.agent.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Check 9: free space for the event store, on the file system that holds (or will hold) the data directory. */
final class DiskCheck {

    static final String NAME = "disk";
    static final long FAIL_BELOW = 100L * 1000 * 1000;
    static final long WARN_BELOW = 1000L * 1000 * 1000;

    /** Usable bytes on the file system of an existing path. */
    @FunctionalInterface
    interface Space {
        long usableBytes(Path existing) throws IOException;

        /**
         * statvfs through {@link java.io.File#getUsableSpace()}: unlike {@code Files.getFileStore}, it needs no entry
         * in /proc/mounts, so it also answers inside a chroot (an image build, the install rehearsal).
         */
        static Space system() {
            return path -> {
                long usable = path.toFile().getUsableSpace();
                if (usable == 0L && path.toFile().getTotalSpace() == 0L) {
                    throw new IOException("the system reports no file system for " + path);
                }
                return usable;
            };
        }
    }

    private DiskCheck() {
    }

    static Finding run(Path dataDir, Space space) {
        // the data directory may not exist before the first start: its nearest existing parent is on the same disk
        Path existing = dataDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Finding.fail(NAME, "no part of " + dataDir + " exists.", "set data.dir to a directory on the Pi.");
        }
        try {
            return judge(dataDir, space.usableBytes(existing));
        } catch (IOException e) {
            return Finding.fail(NAME, "cannot tell the free space for " + dataDir + ": " + e.getMessage(),
                    "check that data.dir is a directory the agent may use.");
        }
    }

    static Finding judge(Path dataDir, long usableBytes) {
        String figure = String.format(Locale.ROOT, "%s free for the store in %s", size(usableBytes), dataDir);
        if (usableBytes < FAIL_BELOW) {
            return Finding.fail(NAME, figure + " (less than 100 MB): the store will soon fail to write.",
                    "free space on that disk (sudo apt-get clean, sudo journalctl --vacuum-size=100M) or move"
                            + " data.dir.");
        }
        if (usableBytes < WARN_BELOW) {
            return Finding.warn(NAME, figure + " (less than 1 GB).",
                    "free some space so that the store has room to grow.");
        }
        return Finding.ok(NAME, figure + ".");
    }

    static String size(long bytes) {
        if (bytes >= 1000L * 1000 * 1000) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        return String.format(Locale.ROOT, "%d MB", bytes / (1000 * 1000));
    }
}
