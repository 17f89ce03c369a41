package dev.spike.agent.sensor;

/** Opens the bus device for the sensor: {@code Pi4jI2cTransport::open} on the Pi, a fake in tests. */
@FunctionalInterface
public interface I2cOpener {

    /** A transport bound to the sensor's address, or an exception that says what is wrong and what to do. */
    I2cTransport open() throws I2cException;
}
