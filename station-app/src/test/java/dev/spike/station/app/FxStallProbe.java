package dev.spike.station.app;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * Measures how long the FX thread keeps a posted task waiting: a heartbeat posted with {@code Platform.runLater}
 * every 10 ms records its lateness (run time minus post time). A stall of the FX thread makes every heartbeat
 * posted during it late, the first one by about the stall's length, so the maximum lateness is the longest stall.
 *
 * <p>Heartbeats that waited across one of the rig's own forced GCs ({@link #measuringHeap}) are left out and
 * counted: that pause is the measurement's, not the station's. Every other GC pause counts.
 *
 * <p>Lateness is kept in a histogram of 0.1 ms buckets up to 60 s, written on the FX thread only.
 */
public final class FxStallProbe implements AutoCloseable {

    static final long PERIOD_MS = 10;
    static final long STALL_MS = 100;
    private static final long BUCKET_NS = 100_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** What the probe saw; all in milliseconds. */
    public record Stalls(long heartbeats, long excluded, double maxMs, double p50Ms, double p99Ms, long lateHeartbeats,
            long stallsOverLimit, double fxCpuPct) {

        public String text() {
            return String.format(Locale.ROOT, "%,d heartbeats: max %.0f ms, p50 %.1f ms, p99 %.1f ms;"
                    + " %d stalls > %d ms (%d heartbeats late > %d ms); %d left out (waited across a forced GC);"
                    + " FX thread busy %.1f %% of the time (its CPU time)",
                    heartbeats, maxMs, p50Ms, p99Ms, stallsOverLimit, STALL_MS, lateHeartbeats, STALL_MS, excluded,
                    fxCpuPct);
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fx-stall-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final long[] buckets = new long[600_001];
    // FX thread only
    private long heartbeats;
    private long excluded;
    private long maxNs;
    private long late;
    private long stalls;
    private long stallEndNs;
    // the FX thread's CPU time: how much of the wall time the station's own work took, contention aside
    private long fxThreadId = -1;
    private long fxCpuStartNs;
    private long startNs;
    // the current or last forced GC, written by the heap sampler
    private volatile long gcStartNs = Long.MAX_VALUE;
    private volatile long gcEndNs = Long.MIN_VALUE;

    void start() {
        Platform.runLater(() -> {
            fxThreadId = Thread.currentThread().getId();
            fxCpuStartNs = THREADS.getThreadCpuTime(fxThreadId);
            startNs = System.nanoTime();
        });
        timer.scheduleAtFixedRate(() -> {
            long posted = System.nanoTime();
            Platform.runLater(() -> record(posted, System.nanoTime()));
        }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts the figures afresh, e.g. after a warm-up; call on the FX thread. */
    void reset() {
        heartbeats = 0;
        excluded = 0;
        maxNs = 0;
        late = 0;
        stalls = 0;
        stallEndNs = 0;
        Arrays.fill(buckets, 0);
        fxCpuStartNs = fxThreadId < 0 ? 0 : THREADS.getThreadCpuTime(fxThreadId);
        startNs = System.nanoTime();
    }

    /** Runs {@code forcedGc}, leaving out the heartbeats that wait across it. */
    void measuringHeap(Runnable forcedGc) {
        gcEndNs = Long.MAX_VALUE;
        gcStartNs = System.nanoTime();
        try {
            forcedGc.run();
        } finally {
            gcEndNs = System.nanoTime();
        }
    }

    private void record(long postedNs, long ranNs) {
        long start = gcStartNs;
        long end = gcEndNs;
        if (start <= ranNs && end >= postedNs) {
            excluded++;
            return;
        }
        long lateNs = ranNs - postedNs;
        heartbeats++;
        maxNs = Math.max(maxNs, lateNs);
        buckets[(int) Math.min(buckets.length - 1, lateNs / BUCKET_NS)]++;
        if (lateNs > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
            late++;
            // the heartbeats queued behind one stall are late together: count the stall once
            if (postedNs > stallEndNs) {
                stalls++;
            }
            stallEndNs = ranNs;
        }
    }

    /** The figures so far; call on the FX thread. */
    Stalls stalls() {
        double cpuPct = fxThreadId < 0 ? Double.NaN : 100.0 * (THREADS.getThreadCpuTime(fxThreadId) - fxCpuStartNs)
                / Math.max(1, System.nanoTime() - startNs);
        return new Stalls(heartbeats, excluded, maxNs / 1e6, percentile(0.50), percentile(0.99), late, stalls,
                cpuPct);
    }

    /** The upper edge, in ms, of the 0.1 ms bucket the quantile falls in. */
    private double percentile(double quantile) {
        long rank = (long) Math.ceil(quantile * heartbeats);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank && rank > 0) {
                return (i + 1) * BUCKET_NS / 1e6;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
