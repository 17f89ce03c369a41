package dev.spike.agent.systemd;

import dev.spike.agent.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings systemd's watchdog from a task of the agent's scheduler, that is on the one thread that owns the agent's
 * state: if that thread hangs (a deadlock, a blocked call, a loop), the pings stop, systemd kills the agent after
 * {@code WatchdogSec=} and restarts it, and the new agent closes the valve first. A ping from any other thread would
 * keep a hung agent alive with its valve in whatever state it was.
 */
public final class Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final ServiceNotifier notifier;
    private final Scheduler scheduler;
    private final Duration period;
    private final BooleanSupplier stopped;

    /**
     * @param period  in agent time: half of WATCHDOG_USEC, times the time scale under {@code --simulate}
     * @param stopped whether to stop pinging (the agent stopped)
     */
    public Watchdog(ServiceNotifier notifier, Scheduler scheduler, Duration period, BooleanSupplier stopped) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.period = Objects.requireNonNull(period, "period");
        this.stopped = Objects.requireNonNull(stopped, "stopped");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be > 0, was " + period);
        }
    }

    /** Pings at once and then every period; call on the agent thread or from any, the pings run on the agent's. */
    public void start() {
        LOG.info("systemd watchdog: pinging every {} ms from the agent thread", period.toMillis());
        scheduler.repeat(Duration.ZERO, () -> period, stopped, () -> notifier.send(ServiceNotifier.WATCHDOG),
                e -> LOG.error("watchdog ping failed: {}", e.toString(), e));
    }
}
