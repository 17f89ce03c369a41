package dev.spike.agent.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's vital signs for {@code health}, read from Linux's {@code /proc} and {@code /sys}. What the platform
 * cannot tell is null (the CPU temperature off a Pi) or 0, never an exception: health is informative and must not
 * fail the link.
 */
final class HealthProbe {

    private static final Logger LOG = LoggerFactory.getLogger(HealthProbe.class);

    private final Path proc;
    private final Path sys;
    private final Path dataDir;
    private boolean reported;

    /** What was measured; sizes in bytes. */
    record Figures(Double cpuTemperatureC, double load1, long memTotalBytes, long memAvailableBytes,
            long diskFreeBytes, long heapUsedBytes, long heapMaxBytes) {
    }

    /** Reads the real {@code /proc} and {@code /sys}; free disk space is that of {@code dataDir}. */
    HealthProbe(Path dataDir) {
        this(Path.of("/proc"), Path.of("/sys"), dataDir);
    }

    /** For tests: {@code proc} and {@code sys} stand for {@code /proc} and {@code /sys}. */
    HealthProbe(Path proc, Path sys, Path dataDir) {
        this.proc = proc;
        this.sys = sys;
        this.dataDir = dataDir;
    }

    Figures measure() {
        Runtime runtime = Runtime.getRuntime();
        long heapUsed = runtime.totalMemory() - runtime.freeMemory();
        long[] memory = memory();
        return new Figures(cpuTemperature(), load1(), memory[0], memory[1], diskFree(), Math.max(0, heapUsed),
                runtime.maxMemory() == Long.MAX_VALUE ? runtime.totalMemory() : runtime.maxMemory());
    }

    /** {@code thermal_zone0/temp} holds millidegrees Celsius; on a Pi zone 0 is the SoC. */
    private Double cpuTemperature() {
        String text = firstLine(sys.resolve("class/thermal/thermal_zone0/temp"));
        if (text == null) {
            return null;
        }
        try {
            double celsius = Long.parseLong(text.strip()) / 1000.0;
            return celsius >= -40 && celsius <= 150 ? celsius : null;
        } catch (NumberFormatException e) {
            unreadable("thermal_zone0/temp", text);
            return null;
        }
    }

    /** {@code /proc/loadavg}: "0.12 0.10 0.05 1/123 4567". */
    private double load1() {
        String text = firstLine(proc.resolve("loadavg"));
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            double load = Double.parseDouble(text.strip().split("\\s+")[0]);
            return Double.isFinite(load) ? Math.max(0, Math.min(10_000, load)) : 0;
        } catch (NumberFormatException e) {
            unreadable("/proc/loadavg", text);
            return 0;
        }
    }

    /** Total and available bytes from {@code /proc/meminfo} (in kB there); MemFree before kernel 3.14. */
    private long[] memory() {
        long total = 0;
        long available = -1;
        long free = 0;
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("meminfo"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return new long[] {0, 0};
        }
        for (String line : lines) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2) {
                continue;
            }
            long bytes;
            try {
                bytes = Long.parseLong(parts[1]) * (parts.length > 2 && parts[2].toLowerCase(Locale.ROOT)
                        .equals("kb") ? 1024 : 1);
            } catch (NumberFormatException e) {
                continue;
            }
            switch (parts[0]) {
                case "MemTotal:":
                    total = bytes;
                    break;
                case "MemAvailable:":
                    available = bytes;
                    break;
                case "MemFree:":
                    free = bytes;
                    break;
                default:
                    break;
            }
        }
        return new long[] {Math.max(0, total), Math.max(0, available >= 0 ? available : free)};
    }

    private long diskFree() {
        try {
            return Math.max(0, Files.getFileStore(dataDir).getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? null : lines.get(0);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Once: a kernel that writes these files differently would otherwise fill the log every minute. */
    private void unreadable(String file, String text) {
        if (!reported) {
            reported = true;
            LOG.warn("health: cannot read {} (\"{}\"); the figure is left out", file, text);
        }
    }
}
