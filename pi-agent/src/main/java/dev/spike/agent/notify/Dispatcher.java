package dev.spike.agent.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the {@link AlertPolicy} decided: nothing lost, nothing twice, and never on the agent thread.
 *
 * <ul>
 *   <li>{@link #submit} returns at once. The {@code spike-notify} thread writes the policy's state and the new
 *       notifications to the {@link Outbox} in one transaction, each owed to every notifier, then wakes the
 *       notifiers.</li>
 *   <li>Each notifier has its own thread ({@code spike-notify-ntfy}, ...), so a slow mail server never holds up the
 *       phone push. It delivers what it owes oldest first and records each delivery as soon as the server accepted
 *       it, so a notifier delivers a notification at most once. (A crash between the server's answer and the record,
 *       a few milliseconds, can repeat one: the repeat carries the same id.)</li>
 *   <li>A failed delivery is retried after 5 s, then twice as late each time up to every 5 minutes, in order; after
 *       a restart it is tried at once. One that is older than {@code notify.maxAgeH} is dropped with an ERROR
 *       line.</li>
 *   <li>A notification the server refuses for good ({@link RefusedException}: an HTTP 400, an SMTP 554 for the
 *       message) is dropped for that notifier at once, recorded as refused, with an ERROR line quoting the server;
 *       the next one goes on. Retrying it would only hold up every later notification until the maximum age.</li>
 * </ul>
 * A notifier's failures are logged when they start, then at most every 10 minutes while they last, and when they
 * end.
 */
final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final Duration REPEAT_WARNING = Duration.ofMinutes(10);
    private static final int PAGE = 50;

    private final Outbox outbox;
    private final List<Channel> channels = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Clock clock;
    private final Duration maxAge;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final ExecutorService bookkeeping;

    /**
     * @param clock agent time: notifications carry it, and their age is judged by it
     */
    Dispatcher(Outbox outbox, List<Notifier> notifiers, Clock clock, Duration maxAge, Duration firstRetry,
            Duration maxRetry) {
        this.outbox = outbox;
        this.clock = clock;
        this.maxAge = maxAge;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.bookkeeping = Executors.newSingleThreadExecutor(daemon("spike-notify"));
        for (Notifier notifier : notifiers) {
            channels.add(new Channel(notifier));
            names.add(notifier.name());
        }
    }

    /** Delivers what an earlier run left owed. */
    void start() {
        int owed = outbox.owed();
        if (owed > 0) {
            LOG.info("notifications: {} deliveries left from before the restart; sending them now", owed);
        }
        channels.forEach(Channel::wake);
    }

    /** Records and sends; returns at once. Call from any thread, the agent's included. */
    void submit(AlertPolicy.State state, List<Notification> notifications) {
        try {
            bookkeeping.execute(() -> {
                try {
                    outbox.record(state, notifications, names);
                } catch (OutboxException e) {
                    LOG.error("notifications: {}; {} notification(s) lost: {}", e.getMessage(), notifications.size(),
                            notifications.stream().map(Notification::title).toList());
                    return;
                }
                for (Notification n : notifications) {
                    LOG.info("notification {}: {} - {}", n.id(), n.title(), n.text());
                }
                if (!notifications.isEmpty()) {
                    channels.forEach(Channel::wake);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("notifications: stopped, not sending {}", notifications.stream().map(Notification::title)
                    .toList());
        }
    }

    /** Stops the threads, waiting a bounded time for deliveries in flight; owed ones stay in the outbox. */
    @Override
    public void close() {
        bookkeeping.shutdown();
        try {
            if (!bookkeeping.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("notifications: the outbox writer did not finish within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Channel channel : channels) {
            channel.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One notifier and its thread. */
    private final class Channel {
        private final Notifier notifier;
        private final ScheduledExecutorService thread;
        /** Only touched on {@link #thread}. */
        private int failures;
        private Duration delay;
        private ScheduledFuture<?> retry;
        private long warnedAtNanos;

        Channel(Notifier notifier) {
            this.notifier = notifier;
            this.thread = Executors.newSingleThreadScheduledExecutor(daemon("spike-notify-" + notifier.name()));
            this.delay = firstRetry;
        }

        void wake() {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // closing: what is owed stays in the outbox for the next start
            }
        }

        private void drain() {
            if (retry != null && !retry.isDone()) {
                // backing off: a new notification does not hammer a server that is down; it waits its turn
                return;
            }
            while (!thread.isShutdown()) {
                List<Outbox.Pending> page;
                try {
                    page = outbox.pending(notifier.name(), PAGE);
                } catch (OutboxException e) {
                    LOG.error("notifications: {}", e.getMessage());
                    scheduleRetry();
                    return;
                }
                if (page.isEmpty()) {
                    return;
                }
                for (Outbox.Pending pending : page) {
                    if (!deliver(pending)) {
                        scheduleRetry();
                        return;
                    }
                }
            }
        }

        /** True if done with it (delivered or dropped), false to retry later. */
        private boolean deliver(Outbox.Pending pending) {
            Notification n = pending.notification();
            Instant now = clock.instant();
            if (now.isAfter(n.at().plus(maxAge))) {
                LOG.error("notification {} ({}) dropped for {}: not delivered within {} h ({} attempts, last error:"
                        + " {})", n.id(), n.title(), notifier.name(), maxAge.toHours(), pending.attempts(),
                        pending.lastError());
                outbox.dropped(n.id(), notifier.name(), now);
                return true;
            }
            try {
                notifier.send(n);
            } catch (RefusedException e) {
                return refused(n, e.getMessage());
            } catch (DeliveryException e) {
                failed(n, e.getMessage());
                return false;
            } catch (RuntimeException e) {
                failed(n, e.toString());
                return false;
            }
            outbox.delivered(n.id(), notifier.name(), clock.instant());
            if (failures > 0) {
                LOG.info("notifications: {} works again after {} failed attempt(s)", notifier.name(), failures);
            }
            failures = 0;
            delay = firstRetry;
            LOG.info("notification {} delivered by {}", n.id(), notifier.name());
            return true;
        }

        /** True once recorded; false (try again later) if the outbox cannot record it. */
        private boolean refused(Notification n, String error) {
            LOG.error("notification {} ({}) refused by {}: {}; not sent through {} again, the next notifications go"
                    + " on", n.id(), n.title(), notifier.name(), error, notifier.name());
            // the server answered: it is up, so what comes next is not held back by a backoff
            failures = 0;
            delay = firstRetry;
            try {
                outbox.refused(n, notifier.name(), clock.instant(), error);
                return true;
            } catch (OutboxException e) {
                LOG.error("notifications: {}", e.getMessage());
                return false;
            }
        }

        private void failed(Notification n, String error) {
            failures++;
            try {
                outbox.failed(n.id(), notifier.name(), error);
            } catch (OutboxException e) {
                LOG.error("notifications: {}", e.getMessage());
            }
            long now = System.nanoTime();
            if (failures == 1 || now - warnedAtNanos >= REPEAT_WARNING.toNanos()) {
                warnedAtNanos = now;
                LOG.warn("notifications: {} could not deliver {} ({}): {}; trying again in {} s, kept for up to {} h",
                        notifier.name(), n.id(), n.title(), error, delay.toMillis() / 1000.0, maxAge.toHours());
            }
        }

        private void scheduleRetry() {
            try {
                retry = thread.schedule(() -> {
                    retry = null;
                    drain();
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return;
            }
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(maxRetry) > 0 ? maxRetry : doubled;
        }

        void close() {
            thread.shutdownNow();
            try {
                if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("notifications: {} did not stop within 5 s", notifier.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
