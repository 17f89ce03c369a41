package dev.spike.agent.sensor;

import dev.spike.agent.time.Scheduler;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor's bus, opened again and again until it opens: at boot udev may not yet have given /dev/i2c-1 to group
 * i2c, or the keeper enables I2C after installing. Without this the agent stayed on the sensor-down fallback until
 * someone restarted it.
 *
 * <p>The first attempt is made at construction; after a failure the next comes after {@link #FIRST_RETRY}, each
 * following one twice as late, at most {@link #MAX_RETRY} apart. Until the bus is open every transfer fails with the
 * last reason and when the next attempt comes ("...; retrying in 30 s"), which the driver reports as a
 * {@code sensor_error}. Use from the scheduler's thread only, as every transport.
 */
public final class ReopeningI2cTransport implements I2cTransport {

    private static final Logger LOG = LoggerFactory.getLogger(ReopeningI2cTransport.class);

    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final I2cOpener opener;
    private final Scheduler scheduler;

    private I2cTransport transport;
    private I2cException lastError;
    private int attempts;
    private Duration nextDelay = FIRST_RETRY;
    private long retryAtNanos;
    private Scheduler.Cancellable retry;
    private boolean closed;

    public ReopeningI2cTransport(I2cOpener opener, Scheduler scheduler) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        attempt();
    }

    /** Whether the bus is open now. */
    public boolean isOpen() {
        return transport != null;
    }

    private void attempt() {
        retry = null;
        if (closed) {
            return;
        }
        attempts++;
        try {
            transport = opener.open();
            if (attempts > 1) {
                LOG.info("sensor bus opened at attempt {}; the sensor is read again", attempts);
            }
            lastError = null;
            return;
        } catch (I2cException e) {
            if (lastError == null || !lastError.getMessage().equals(e.getMessage())) {
                LOG.error("sensor unavailable: {}; retrying in {}, then less and less often", e.getMessage(),
                        text(nextDelay));
            } else {
                LOG.debug("sensor bus still unavailable at attempt {}: {}", attempts, e.getMessage());
            }
            lastError = e;
        } catch (RuntimeException e) {
            LOG.error("opening the sensor bus failed unexpectedly; retrying", e);
            lastError = new I2cException(I2cException.Kind.IO, "cannot open the sensor bus: " + e, e);
        }
        // Not fatal: with no sensor the rules fall back to spraying every few hours, which keeps the animal safe.
        retryAtNanos = scheduler.nanoTime() + nextDelay.toNanos();
        retry = scheduler.schedule(nextDelay, this::attempt);
        nextDelay = nextDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextDelay.multipliedBy(2);
    }

    @Override
    public void write(byte[] data) throws I2cException {
        open().write(data);
    }

    @Override
    public void read(byte[] buffer) throws I2cException {
        open().read(buffer);
    }

    private I2cTransport open() throws I2cException {
        if (transport != null) {
            return transport;
        }
        if (closed) {
            throw new I2cException(I2cException.Kind.IO, "sensor bus is closed: the agent is stopping");
        }
        Duration left = Duration.ofNanos(Math.max(0, retryAtNanos - scheduler.nanoTime()));
        throw new I2cException(lastError.kind(), lastError.getMessage() + "; retrying in " + text(left), lastError);
    }

    /** Whole seconds, rounded up, under two minutes; whole minutes above. */
    private static String text(Duration d) {
        long seconds = (d.toNanos() + 999_999_999L) / 1_000_000_000L;
        return seconds < 120 ? seconds + " s" : String.format(Locale.ROOT, "%d min", (seconds + 59) / 60);
    }

    @Override
    public void close() throws I2cException {
        closed = true;
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        if (transport != null) {
            transport.close();
        }
    }
}
