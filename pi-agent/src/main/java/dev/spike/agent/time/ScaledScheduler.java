package dev.spike.agent.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real agent's scheduler: one daemon thread, named "agent", and an agent clock. A task that throws is logged and
 * does not stop the thread: the agent must go on controlling.
 *
 * <p>At scale 1 the clock is the wall clock itself, so it follows NTP when it steps the system clock: a Pi has no
 * real-time clock and boots with the time it was shut down at, corrected only once the network is up. Delays are
 * counted on the monotonic clock, so a clock step never makes a waiting task fire early or late.
 *
 * <p>Faster scales (simulation only) run a simulated clock, paced to run {@code scale} times faster than real time
 * from the first task on. As on a {@link VirtualScheduler}, a task sees its own due time as now, however late the
 * thread gets to it, and the clock never passes a task that has not run. A simulation that lags (a cold JVM, a busy
 * machine: 200 ms of real lag are 2 minutes at x600) runs slower for a moment instead of skipping agent time, so its
 * own lag never reads as a stale sensor or a clock step.
 *
 * <p>A head start (simulation only) begins the simulated clock that much before the wall clock and runs it unpaced,
 * task after task as on a {@link VirtualScheduler}, until it reaches the wall clock's now; from then on it is paced
 * at {@code scale}. So a simulated agent has a day of history within seconds of its start. With a head start no task
 * runs before {@link #begin()}: the agent is set up completely (its link, its loop) before its day goes by.
 */
public final class ScaledScheduler implements Scheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScaledScheduler.class);
    /** Lateness of a simulated task beyond which the pace restarts from it rather than catching up. */
    private static final long MAX_LAG_NANOS = Duration.ofSeconds(1).toNanos();

    private final Clock wallClock;
    private final Instant startInstant;
    private final long startNanos;
    private final double scale;
    /** Scale 1 only. */
    private final ScheduledExecutorService executor;
    /** Scales above 1 only. */
    private final Simulated simulated;

    public ScaledScheduler(Clock wallClock, double scale) {
        this(wallClock, scale, Duration.ZERO);
    }

    /**
     * @param headStart how far before the wall clock the simulated clock starts (caught up unpaced); zero for none.
     *                  A head start always runs the simulated clock, also at scale 1.
     */
    public ScaledScheduler(Clock wallClock, double scale, Duration headStart) {
        if (!(scale >= 1 && scale <= 10_000)) {
            throw new IllegalArgumentException("time scale must be 1..10000, was " + scale);
        }
        if (headStart.isNegative()) {
            throw new IllegalArgumentException("head start must not be negative, was " + headStart);
        }
        this.scale = scale;
        this.wallClock = wallClock;
        this.startInstant = wallClock.instant().minus(headStart).truncatedTo(ChronoUnit.MILLIS);
        this.startNanos = System.nanoTime();
        if (scale == 1 && headStart.isZero()) {
            this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "agent");
                thread.setDaemon(true);
                return thread;
            });
            this.simulated = null;
        } else {
            this.executor = null;
            this.simulated = new Simulated(headStart.toNanos());
        }
    }

    public double scale() {
        return scale;
    }

    /** With a head start: lets the tasks run, from the start of the head start on. Without one: nothing. */
    public void begin() {
        if (simulated != null) {
            simulated.begin();
        }
    }

    /** Agent time to the millisecond: events carry readable times, and nothing the agent does needs finer. */
    @Override
    public Instant now() {
        if (simulated == null) {
            return wallClock.instant().truncatedTo(ChronoUnit.MILLIS);
        }
        return startInstant.plusNanos(simulated.nanos()).truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public long nanoTime() {
        return simulated == null ? System.nanoTime() - startNanos : simulated.nanos();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (simulated != null) {
            return simulated.schedule(delay, task);
        }
        ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("agent task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("agent task did not finish within " + timeout, e);
        }
    }

    @Override
    public void close() {
        if (simulated != null) {
            simulated.close();
        } else {
            executor.shutdownNow();
        }
    }

    /** The simulated clock and its thread: a virtual scheduler paced against the monotonic clock. */
    private final class Simulated implements Runnable {
        private final Object lock = new Object();
        private final PriorityQueue<Task> queue = new PriorityQueue<>();
        private final Thread thread;
        /** Agent time since startInstant: the running task's due time, or the last one's. */
        private long nanos;
        private long sequence;
        /** Pacing: agent time is anchorNanos + (real - anchorReal) * scale, from the first task on. */
        private boolean paced;
        private long anchorNanos;
        private long anchorReal;
        private boolean closed;
        /** Head start: until agent time reaches the wall clock's now, tasks run unpaced. */
        private final long headStartNanos;
        private boolean catchingUp;
        /** A head start holds every task until {@link #begin()}. */
        private boolean held;

        Simulated(long headStartNanos) {
            this.headStartNanos = headStartNanos;
            this.catchingUp = headStartNanos > 0;
            this.held = headStartNanos > 0;
            thread = new Thread(this, "agent");
            thread.setDaemon(true);
            thread.start();
        }

        /** On the agent thread the running task's time; elsewhere the paced time, never past a waiting task. */
        long nanos() {
            synchronized (lock) {
                if (Thread.currentThread() == thread || !paced) {
                    return nanos;
                }
                long now = pacedNanos(System.nanoTime());
                Task next = queue.peek();
                if (next != null) {
                    now = Math.min(now, next.due);
                }
                return Math.max(nanos, now);
            }
        }

        private long pacedNanos(long real) {
            return anchorNanos + (long) ((real - anchorReal) * scale);
        }

        Cancellable schedule(Duration delay, Runnable runnable) {
            synchronized (lock) {
                if (!paced && !catchingUp) {
                    // the simulated clock starts with the first task, not while the JVM is still loading classes
                    paced = true;
                    anchorNanos = nanos;
                    anchorReal = System.nanoTime();
                }
                long base = Thread.currentThread() == thread ? nanos : nanos();
                Task task = new Task(base + Math.max(0, delay.toNanos()), sequence++, runnable);
                queue.add(task);
                lock.notifyAll();
                return () -> {
                    synchronized (lock) {
                        task.cancelled = true;
                    }
                };
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Task task = next();
                    if (task == null) {
                        return;
                    }
                    runLogged(task.runnable);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for the next task to fall due and makes its due time the clock's; null once closed. */
        private Task next() throws InterruptedException {
            synchronized (lock) {
                while (!closed) {
                    Task next = queue.peek();
                    if (next == null || held) {
                        lock.wait();
                        continue;
                    }
                    if (next.cancelled) {
                        queue.poll();
                        continue;
                    }
                    long real = System.nanoTime();
                    if (catchingUp) {
                        // the wall clock's now, in agent time since startInstant
                        long present = headStartNanos + (real - startNanos);
                        if (next.due <= present) {
                            queue.poll();
                            nanos = Math.max(nanos, next.due);
                            return next;
                        }
                        catchingUp = false;
                        this.paced = true;
                        anchorNanos = Math.max(nanos, present);
                        anchorReal = real;
                        LOG.info("simulated clock caught up with the present after {} ms; now at x{}",
                                (real - startNanos) / 1_000_000, scale);
                    }
                    long paced = pacedNanos(real);
                    if (next.due > paced) {
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, (long) ((next.due - paced) / scale)));
                        continue;
                    }
                    queue.poll();
                    if (paced - next.due > MAX_LAG_NANOS) {
                        // late: go on from this task's time rather than skip the agent time that lag would cost
                        anchorNanos = next.due;
                        anchorReal = real;
                    }
                    nanos = Math.max(nanos, next.due);
                    return next;
                }
                return null;
            }
        }

        void begin() {
            synchronized (lock) {
                held = false;
                lock.notifyAll();
            }
        }

        void close() {
            synchronized (lock) {
                closed = true;
                lock.notifyAll();
            }
            thread.interrupt();
        }
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(long due, long order, Runnable runnable) {
            this.due = due;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(due, other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
