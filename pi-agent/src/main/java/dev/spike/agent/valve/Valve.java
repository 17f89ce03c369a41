package dev.spike.agent.valve;

import dev.spike.agent.time.Scheduler;
import dev.spike.model.Checks;
import dev.spike.model.Rules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-safe valve. Whatever its callers do, it closes the relay when it is created, closes itself after every
 * opening, never opens for longer than {@link #maxSprayS()} (at most {@link Rules#ABSOLUTE_MAX_SPRAY_S}), and refuses
 * to open once the openings of the last rolling hour would exceed {@link #hourlyBudgetS()} (the runaway guard against
 * a rule or a station that sprays in a loop).
 *
 * <p>All methods run on the scheduler's thread, and the {@link Listener} is called synchronously on it, so the agent
 * can turn every call-back into an event. Times are agent times from the {@link Scheduler}; the reported open time is
 * measured on that clock between the relay switching on and off.
 */
public final class Valve {

    private static final Logger LOG = LoggerFactory.getLogger(Valve.class);

    public static final int DEFAULT_MAX_SPRAY_S = 30;
    public static final int DEFAULT_HOURLY_BUDGET_S = 120;
    static final Duration BUDGET_WINDOW = Duration.ofHours(1);
    /** How often a relay that failed to close is tried again: every second open floods the terrarium a bit more. */
    static final Duration CLOSE_RETRY = Duration.ofSeconds(1);

    /** What the valve did, for the agent to turn into events and alarms. Called on the scheduler's thread. */
    public interface Listener {
        /** The relay was switched on; it will be switched off after {@code planned}. */
        void opened(Instant at, Duration planned);

        /** The relay was switched off after {@code openMs} milliseconds of agent time. */
        void closed(Instant at, long openMs);

        /** An open request was refused; {@code reason} is for a person. */
        void refused(Instant at, Duration requested, String reason);

        /** The relay did not do what it was told; a person should look at the hardware. */
        void failed(Instant at, String reason);
    }

    /** The answer to {@link #open}. */
    public sealed interface Outcome {
        /** The valve is open and closes itself at {@code closesAt}. */
        record Opened(Instant at, Instant closesAt) implements Outcome {
        }

        /** Not opened because a rule of the valve forbids it; nothing was switched. */
        record Refused(String reason) implements Outcome {
        }

        /** Switching the relay failed; the reason says whether the valve could be closed again. */
        record Failed(String reason) implements Outcome {
        }
    }

    /** A past opening, as the agent stores it, so the runaway budget survives a restart. */
    public record Opening(Instant start, long openMs) {
        public Opening {
            Checks.notNull("start", start);
            Checks.atLeast("openMs", openMs, 0);
        }
    }

    private final ValveOutput output;
    private final Scheduler scheduler;
    private final Listener listener;
    private final List<Opening> history = new ArrayList<>();
    private int maxSprayS;
    private int hourlyBudgetS;

    private Instant openedAt;
    private Instant closesAt;
    private Scheduler.Cancellable closeTask;
    private boolean closeFailing;

    public Valve(ValveOutput output, Scheduler scheduler, Listener listener) {
        this(output, scheduler, listener, DEFAULT_MAX_SPRAY_S, DEFAULT_HOURLY_BUDGET_S);
    }

    /**
     * Closes the relay first, before looking at any other argument: a previous process may have died with it open.
     *
     * @throws IllegalStateException if the relay cannot be closed; the agent must not run then
     */
    public Valve(ValveOutput output, Scheduler scheduler, Listener listener, int maxSprayS, int hourlyBudgetS) {
        this.output = Objects.requireNonNull(output, "output");
        try {
            if (output.isOpen()) {
                LOG.warn("the relay was open at start-up (the previous agent died while spraying?): closing it");
            }
            output.set(false);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot close the valve at start-up: " + e.getMessage()
                    + "; check the relay wiring and GPIO permissions, and do not run the agent until it closes", e);
        }
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        setMaxSprayS(maxSprayS);
        setHourlyBudgetS(hourlyBudgetS);
    }

    /**
     * Opens the valve for {@code duration} (whole milliseconds, 1 s..{@link #maxSprayS()}) and schedules its closing,
     * or refuses and says why. Refusals and failures are also reported to the listener.
     */
    public Outcome open(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        Instant now = scheduler.now();
        if (isOpen()) {
            return refuse(now, duration, "valve already open");
        }
        long ms = duration.toMillis();
        if (duration.isNegative() || ms < 1000 || ms > maxSprayS * 1000L) {
            return refuse(now, duration, "durationS must be 1.." + maxSprayS + ", was " + seconds(ms));
        }
        long usedMs = openMsInLastHour(now);
        if (usedMs + ms > hourlyBudgetS * 1000L) {
            return refuse(now, duration, "runaway guard: " + seconds(usedMs) + " s open in the last hour; "
                    + seconds(ms) + " s more would exceed the budget of " + hourlyBudgetS + " s");
        }
        try {
            output.set(true);
        } catch (RuntimeException | Error e) {
            // an Error too (out of memory, stack): the relay's state is unknown either way, and it must end closed
            return openingFailed(now, e);
        }
        openedAt = now;
        closesAt = now.plus(duration);
        closeTask = scheduler.schedule(duration, this::closeOpenValve);
        listener.opened(now, duration);
        return new Outcome.Opened(now, closesAt);
    }

    /** Closes the valve at once (shutdown, errors). Also switches the relay off when the valve believes it closed. */
    public void closeNow() {
        if (closeTask != null) {
            closeTask.cancel();
            closeTask = null;
        }
        if (openedAt != null) {
            closeOpenValve();
            return;
        }
        try {
            output.set(false);
        } catch (RuntimeException | Error e) {
            String reason = "valve output failed to close: " + describe(e) + "; check the relay";
            LOG.error(reason, e);
            listener.failed(scheduler.now(), reason);
        }
    }

    /** Counts past openings (from the event store, say) toward the runaway budget by their overlap with the hour. */
    public void restoreHistory(List<Opening> openings) {
        for (Opening opening : openings) {
            history.add(Objects.requireNonNull(opening, "opening"));
        }
    }

    public boolean isOpen() {
        return openedAt != null;
    }

    /** When the valve will close itself (or next try to), while open. */
    public Optional<Instant> closesAt() {
        return Optional.ofNullable(closesAt);
    }

    /** Open time within the last rolling hour, the current opening included. */
    public double openSecondsInLastHour() {
        return openMsInLastHour(scheduler.now()) / 1000.0;
    }

    public int maxSprayS() {
        return maxSprayS;
    }

    /**
     * Changes the hard maximum open time, 1..{@link Rules#ABSOLUTE_MAX_SPRAY_S} s. An opening in progress that would
     * now be too long is cut short.
     */
    public void setMaxSprayS(int value) {
        Checks.range("maxSprayS", value, 1, Rules.ABSOLUTE_MAX_SPRAY_S);
        this.maxSprayS = value;
        if (openedAt != null && !closeFailing) {
            Instant limit = openedAt.plusSeconds(value);
            if (limit.isBefore(closesAt)) {
                Instant now = scheduler.now();
                closeTask.cancel();
                closesAt = limit.isAfter(now) ? limit : now;
                closeTask = scheduler.schedule(Duration.between(now, closesAt), this::closeOpenValve);
            }
        }
    }

    public int hourlyBudgetS() {
        return hourlyBudgetS;
    }

    /** Changes the runaway budget, 1..3600 s of open time per rolling hour. */
    public void setHourlyBudgetS(int value) {
        this.hourlyBudgetS = Checks.range("hourlyBudgetS", value, 1, 3600);
    }

    private Outcome refuse(Instant now, Duration requested, String reason) {
        LOG.info("valve refused {}: {}", requested, reason);
        listener.refused(now, requested, reason);
        return new Outcome.Refused(reason);
    }

    private Outcome openingFailed(Instant now, Throwable e) {
        String reason = "valve output failed to open: " + describe(e);
        try {
            output.set(false);
            reason += "; the valve is closed";
        } catch (RuntimeException | Error closing) {
            // The relay state is unknown now: treat it as open and keep trying to close it.
            reason += "; closing it failed too (" + describe(closing) + "), retrying every "
                    + CLOSE_RETRY.toSeconds() + " s: cut the 12 V supply if water keeps flowing";
            openedAt = now;
            closeFailing = true;
            closesAt = now.plus(CLOSE_RETRY);
            closeTask = scheduler.schedule(CLOSE_RETRY, this::closeOpenValve);
        }
        LOG.error(reason, e);
        listener.failed(now, reason);
        return new Outcome.Failed(reason);
    }

    private void closeOpenValve() {
        Instant now = scheduler.now();
        try {
            output.set(false);
        } catch (RuntimeException | Error e) {
            // Any Throwable, an OutOfMemoryError included: the retry is scheduled before anything else can fail, and
            // the error is logged here rather than thrown into the scheduler, which would end this close for good.
            closesAt = now.plus(CLOSE_RETRY);
            closeTask = scheduler.schedule(CLOSE_RETRY, this::closeOpenValve);
            String reason = "valve output failed to close: " + describe(e) + "; retrying every "
                    + CLOSE_RETRY.toSeconds() + " s: cut the 12 V supply if water keeps flowing";
            LOG.error(reason, e);
            if (!closeFailing) {
                // Once is enough for the event log; every retry is still logged above.
                closeFailing = true;
                listener.failed(now, reason);
            }
            return;
        }
        long openMs = Duration.between(openedAt, now).toMillis();
        history.add(new Opening(openedAt, openMs));
        openedAt = null;
        closesAt = null;
        closeTask = null;
        closeFailing = false;
        listener.closed(now, openMs);
    }

    private long openMsInLastHour(Instant now) {
        Instant windowStart = now.minus(BUDGET_WINDOW);
        history.removeIf(opening -> !opening.start().plusMillis(opening.openMs()).isAfter(windowStart));
        long total = 0;
        for (Opening opening : history) {
            total += overlapMs(opening.start(), opening.start().plusMillis(opening.openMs()), windowStart, now);
        }
        if (openedAt != null) {
            total += overlapMs(openedAt, now, windowStart, now);
        }
        return total;
    }

    private static long overlapMs(Instant start, Instant end, Instant windowStart, Instant windowEnd) {
        Instant from = start.isAfter(windowStart) ? start : windowStart;
        Instant to = end.isBefore(windowEnd) ? end : windowEnd;
        return to.isAfter(from) ? Duration.between(from, to).toMillis() : 0;
    }

    /** A failure of the output for a person: its message, or its type as well when it is an Error. */
    private static String describe(Throwable e) {
        return e instanceof RuntimeException ? e.getMessage() : e.toString();
    }

    private static String seconds(long ms) {
        return Checks.plain(ms / 1000.0);
    }
}
