package dev.spike.agent.sensor;

/**
 * One I2C device as the SHT30 driver sees it: plain write and read transactions addressed to it. Pi4J lives behind
 * {@link Pi4jI2cTransport}; tests and the simulation use {@link FakeSht30}.
 *
 * <p>Implementations are called from the agent thread only and need no locking.
 */
public interface I2cTransport extends AutoCloseable {

    /** One write transaction: START, address+W, {@code data}, STOP. An empty array probes the address. */
    void write(byte[] data) throws I2cException;

    /** One read transaction that fills all of {@code buffer}. */
    void read(byte[] buffer) throws I2cException;

    /** Releases the bus; narrowed so that callers need not handle a generic {@link Exception}. */
    @Override
    void close() throws I2cException;
}
