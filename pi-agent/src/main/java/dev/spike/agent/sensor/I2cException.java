package dev.spike.agent.sensor;

import java.io.IOException;
import java.util.Objects;

/**
 * An I2C transaction failed. The {@link Kind} tells the driver whether a retry can help; the message tells a person
 * what happened and what to do, because it ends up in a log line and a {@code sensor_error} event.
 */
public final class I2cException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, ordered roughly from "retry" to "a person must act". */
    public enum Kind {
        /** The device did not acknowledge: it is busy measuring, there was bus noise, or it is not wired. */
        NACK,
        /** The bus or the device is not there at all (no /dev/i2c-N, sensor unplugged). Retrying does not help. */
        ABSENT,
        /** The process may not open the bus device. Retrying does not help. */
        PERMISSION,
        /** A kernel driver holds the address (i2c-dev answers EBUSY). Retrying does not help; unbinding does. */
        BUSY,
        /** Any other I/O error on the bus. */
        IO
    }

    private final Kind kind;

    public I2cException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public I2cException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
