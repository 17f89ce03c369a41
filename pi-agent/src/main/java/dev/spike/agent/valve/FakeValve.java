package dev.spike.agent.valve;

import dev.spike.agent.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A relay for tests and the simulation: remembers every state change with the scheduler's time, so spray durations
 * can be checked to the millisecond, and can be told to fail like a broken driver would. Use from the scheduler's
 * thread only.
 */
public final class FakeValve implements ValveOutput {

    /** One change of the relay state. */
    public record Transition(Instant at, boolean open) {
    }

    private final Scheduler scheduler;
    private final List<Transition> transitions = new ArrayList<>();
    private boolean open;
    private boolean failOpening;
    private boolean failClosing;
    private boolean closed;

    /** A relay that starts closed. */
    public FakeValve(Scheduler scheduler) {
        this(scheduler, false);
    }

    /** {@code initiallyOpen} plays a relay left energised by a previous process that was killed. */
    public FakeValve(Scheduler scheduler, boolean initiallyOpen) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.open = initiallyOpen;
    }

    /** From now on, {@code set(true)} throws and leaves the relay as it is. */
    public void failWhenOpening(boolean fail) {
        this.failOpening = fail;
    }

    /** From now on, {@code set(false)} throws and leaves the relay as it is. */
    public void failWhenClosing(boolean fail) {
        this.failClosing = fail;
    }

    @Override
    public void set(boolean open) {
        if (closed) {
            throw new IllegalStateException("fake valve output is closed; create a new one");
        }
        if (open ? failOpening : failClosing) {
            throw new IllegalStateException("simulated relay failure while " + (open ? "opening" : "closing"));
        }
        if (this.open != open) {
            this.open = open;
            transitions.add(new Transition(scheduler.now(), open));
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    /** How long each completed opening lasted, in order. */
    public List<Duration> openDurations() {
        List<Duration> durations = new ArrayList<>();
        Instant openedAt = null;
        for (Transition transition : transitions) {
            if (transition.open()) {
                openedAt = transition.at();
            } else if (openedAt != null) {
                durations.add(Duration.between(openedAt, transition.at()));
                openedAt = null;
            }
        }
        return durations;
    }

    /** Closes the relay and releases it; when told to fail closing, the relay stays open and this throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        set(false);
        closed = true;
    }
}
