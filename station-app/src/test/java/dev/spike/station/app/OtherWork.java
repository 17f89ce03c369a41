package dev.spike.station.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many cores the rest of the machine kept busy while the load ran: the machine's busy CPU time (Linux's
 * {@code /proc/stat}) minus this JVM's, which holds the broker, the agents and the station. An FX stall is the
 * station's only on a machine that was otherwise idle; on a shared one, other builds take the CPU away from the FX
 * thread and the renderer for longer than 100 ms (see docs/performance.md), whatever the station does.
 */
public final class OtherWork {

    /** Above this many cores of other work on average, the machine did not leave the station alone. */
    public static final double IDLE_LIMIT_CORES = 0.25;
    private static final Path STAT = Path.of("/proc/stat");

    private final long[] startTicks;
    private final long startProcessNs;
    private final long startNs;

    private OtherWork() {
        this.startTicks = ticks();
        this.startProcessNs = processCpuNs();
        this.startNs = System.nanoTime();
    }

    /** Starts counting now. */
    public static OtherWork start() {
        return new OtherWork();
    }

    /** Cores kept busy by other processes on average since {@link #start}, or NaN where it cannot be known. */
    public double cores() {
        long[] ticks = ticks();
        long processNs = processCpuNs();
        long wallNs = System.nanoTime() - startNs;
        if (ticks == null || startTicks == null || processNs < 0 || startProcessNs < 0 || wallNs <= 0) {
            return Double.NaN;
        }
        long total = ticks[0] - startTicks[0];
        long busy = ticks[1] - startTicks[1];
        if (total <= 0) {
            return Double.NaN;
        }
        double machineCores = (double) busy / total * ticks[2];
        double ownCores = (double) (processNs - startProcessNs) / wallNs;
        return Math.max(0, machineCores - ownCores);
    }

    /** Whether the machine was idle apart from this JVM; unknown counts as idle, so the target is still held. */
    public boolean idle() {
        double cores = cores();
        return Double.isNaN(cores) || cores <= IDLE_LIMIT_CORES;
    }

    /** {total, busy} ticks of all CPUs together, and how many CPUs; null without /proc/stat. */
    private static long[] ticks() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            String[] f = lines.get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal (guest time is inside user)
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            long total = busy + Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long cpus = lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            return new long[] {total, busy, cpus};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long processCpuNs() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
        return -1;
    }
}
