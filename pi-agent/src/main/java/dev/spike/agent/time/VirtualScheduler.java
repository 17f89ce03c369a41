package dev.spike.agent.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A scheduler on a virtual clock, for tests and for simulating days in seconds. Time stands still until the caller
 * advances it; {@link #advance} runs every task that falls due, in time order (ties in the order they were
 * scheduled), on the caller's thread, setting the clock to each task's time before running it.
 *
 * <p>Not thread-safe: one thread drives it, as one thread drives the real agent.
 */
public final class VirtualScheduler implements Scheduler {

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now;
    /** Monotonic time: moves with every advance and {@link #spend}, not with {@link #jump}. */
    private long nanos;
    private long sequence;

    public VirtualScheduler(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Task scheduled = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        queue.add(scheduled);
        return () -> scheduled.cancelled = true;
    }

    /** Runs everything due within {@code duration} from now, then leaves the clock at now + duration. */
    public void advance(Duration duration) {
        runUntil(now.plus(duration));
    }

    /** Runs everything due up to {@code end}, then leaves the clock at {@code end}. */
    public void runUntil(Instant end) {
        while (!queue.isEmpty() && !queue.peek().at.isAfter(end)) {
            Task task = queue.poll();
            if (!task.cancelled) {
                // a task that became due while an earlier one was spending time runs late, as on a real thread
                moveTo(task.at);
                task.runnable.run();
            }
        }
        moveTo(end);
    }

    /**
     * Lets {@code duration} pass inside the running task, as a slow I2C transfer or a busy JVM does: the clock moves
     * on, and tasks that fall due meanwhile run after this one returns, late.
     */
    public void spend(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, was " + duration);
        }
        moveTo(now.plus(duration));
    }

    private void moveTo(Instant time) {
        if (time.isAfter(now)) {
            nanos += Duration.between(now, time).toNanos();
            now = time;
        }
    }

    /** Runs the tasks that are due now, without moving the clock. */
    public void runDue() {
        runUntil(now);
    }

    /**
     * Steps the clock by {@code step} without running anything, as NTP steps the system clock under a running agent.
     * Waiting tasks keep their remaining delays, as they do on the real agent, whose executor counts delays on the
     * monotonic clock: only {@link #now()} jumps.
     */
    public void jump(Duration step) {
        List<Task> waiting = new ArrayList<>(queue);
        queue.clear();
        for (Task task : waiting) {
            task.at = task.at.plus(step);
            queue.add(task);
        }
        now = now.plus(step);
    }

    /** Tasks waiting, cancelled ones included until their time comes. */
    public int pending() {
        return queue.size();
    }

    private static final class Task implements Comparable<Task> {
        Instant at;
        final long order;
        final Runnable runnable;
        boolean cancelled;

        Task(Instant at, long order, Runnable runnable) {
            this.at = at;
            this.order = order;
            this.runnable = runnable;
        }

        @Override
        public int compareTo(Task other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }
}
