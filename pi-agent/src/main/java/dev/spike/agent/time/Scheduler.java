package dev.spike.agent.time;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's clock and its only thread. Everything that changes agent state runs as a task of one scheduler, so
 * nothing needs locks (sensor ticks, valve timers, and later MQTT callbacks are all handed to it).
 *
 * <p>Time is agent time: with {@code --time-scale 60} an hour of rules passes in a minute, and in tests a
 * {@link VirtualScheduler} jumps from task to task without waiting at all. No code of the agent reads the wall clock
 * or sleeps; it asks {@link #now()} and {@link #schedule}s.
 */
public interface Scheduler {

    /** The current agent time. */
    Instant now();

    /**
     * Monotonic agent time in nanoseconds, for measuring short intervals such as the SHT30's 1 ms command gap: unlike
     * {@link #now()} it is never truncated and never steps with the wall clock. Only differences mean anything.
     */
    long nanoTime();

    /** Runs {@code task} on the scheduler's thread once {@code delay} of agent time has passed. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the scheduler's thread as soon as possible: how other threads hand work over. */
    default void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /**
     * Runs {@code task} on the scheduler's thread after {@code firstDelay}, then again every {@code period} (looked
     * up at each turn, so a changed setting applies at the next one), until {@code stopped} says so. A turn that
     * throws is handed to {@code onFailure} and the next turn still comes: a periodic duty of the agent must not end
     * because of one bad turn.
     */
    default void repeat(Duration firstDelay, Supplier<Duration> period, BooleanSupplier stopped, Runnable task,
            Consumer<RuntimeException> onFailure) {
        schedule(firstDelay, new Runnable() {
            @Override
            public void run() {
                if (stopped.getAsBoolean()) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    onFailure.accept(e);
                }
                schedule(period.get(), this);
            }
        });
    }

    /** A scheduled task that can be called off; cancelling one that already ran or was cancelled does nothing. */
    interface Cancellable {
        void cancel();
    }
}
