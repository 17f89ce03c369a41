package dev.spike.agent.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real agent's scheduler: one daemon thread, and an agent clock. At scale 1 the clock is the wall clock itself,
 * so it follows NTP when it steps the system clock: a Pi has no real-time clock and boots with the time it was shut
 * down at, corrected only once the network is up. Faster scales (simulation only) run a virtual clock {@code scale}
 * times faster than the wall clock from the moment of construction. Delays are counted on the monotonic clock either
 * way, so a clock step never makes a waiting task fire early or late. A task that throws is logged and does not stop
 * the thread: the agent must go on controlling.
 */
public final class ScaledScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScaledScheduler.class);

    private final ScheduledExecutorService executor;
    private final Clock wallClock;
    private final Instant startInstant;
    private final long startNanos;
    private final double scale;

    public ScaledScheduler(Clock wallClock, double scale) {
        if (!(scale >= 1 && scale <= 10_000)) {
            throw new IllegalArgumentException("time scale must be 1..10000, was " + scale);
        }
        this.scale = scale;
        this.wallClock = wallClock;
        this.startInstant = wallClock.instant().truncatedTo(ChronoUnit.MILLIS);
        this.startNanos = System.nanoTime();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "agent");
            thread.setDaemon(true);
            return thread;
        });
    }

    public double scale() {
        return scale;
    }

    /** Agent time to the millisecond: events carry readable times, and nothing the agent does needs finer. */
    @Override
    public Instant now() {
        if (scale == 1) {
            return wallClock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        return startInstant.plusNanos((long) (elapsedNanos * scale)).truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public long nanoTime() {
        return (long) ((System.nanoTime() - startNanos) * scale);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long wallNanos = Math.max(0, (long) (delay.toNanos() / scale));
        ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), wallNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("agent task failed; the agent goes on: {}", e.toString(), e);
        }
    }

    /** Runs {@code task} on the agent thread and waits for it, at most {@code timeout} of wall time. */
    public void runAndWait(Runnable task, Duration timeout) throws InterruptedException {
        try {
            executor.submit(task).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("agent task failed", e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("agent task did not finish within " + timeout, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
