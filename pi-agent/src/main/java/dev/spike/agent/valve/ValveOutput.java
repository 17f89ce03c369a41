package dev.spike.agent.valve;

/**
 * The raw relay that powers the 12 V valve, with no safety of its own: {@link Valve} adds that. {@code set} may throw
 * a runtime exception whose message says what happened and what to do.
 */
public interface ValveOutput extends AutoCloseable {

    /** Energises ({@code true}) or releases the relay; the adapter knows whether the relay is active-low. */
    void set(boolean open);

    /** The state last set successfully. */
    boolean isOpen();

    /** Leaves the valve closed and releases the hardware. */
    @Override
    void close();
}
