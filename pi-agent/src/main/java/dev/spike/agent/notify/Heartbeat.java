package dev.spike.agent.notify;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A healthchecks-compatible dead-man's switch ({@code heartbeat.url}): a GET of {@code <url>/start} when the agent
 * starts, then every {@code heartbeat.everyMin} a GET of {@code <url>}, or of {@code <url>/fail} while an alarm is
 * active. When the pings stop (the Pi is dead, the network is down, the agent hangs), the healthchecks service
 * alerts the keeper: the one alarm the agent cannot send itself.
 *
 * <p>The agent thread calls {@link #ping}; the GET runs on the {@code spike-heartbeat} thread with bounded timeouts.
 * A ping due while the previous one is still on its way is skipped, so a slow network never queues up pings. A ping
 * is not retried: the next one comes a period later, and the service's grace time covers a lost one.
 */
final class Heartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
    static final String KEY = "heartbeat.url";

    /** What the ping says. */
    enum Kind {
        START("/start"),
        OK(""),
        FAIL("/fail");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    private final URI url;
    private final Http http;
    private final ExecutorService thread;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    /** Only touched on the heartbeat thread. */
    private boolean failing;

    Heartbeat(URI url, Http http) {
        this.url = url;
        this.http = http;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "spike-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** The URL of a ping of this kind. */
    URI uri(Kind kind) {
        String base = url.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + kind.suffix);
    }

    /** Hands one ping to the heartbeat thread; returns at once. False if skipped (the last one is still going). */
    boolean ping(Kind kind) {
        if (!inFlight.compareAndSet(false, true)) {
            LOG.debug("heartbeat: the previous ping is still on its way; skipping one");
            return false;
        }
        try {
            thread.execute(() -> {
                try {
                    http.send(http.request(uri(kind)).GET().build(), KEY);
                    if (failing) {
                        LOG.info("heartbeat: {} answers again", Http.hostOf(url));
                        failing = false;
                    }
                } catch (DeliveryException e) {
                    if (!failing) {
                        LOG.warn("heartbeat: ping {} failed: {}; the service alerts the keeper if pings stay away",
                                kind.name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
                        failing = true;
                    }
                } finally {
                    inFlight.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.set(false);
            return false;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
