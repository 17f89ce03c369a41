package dev.spike.station.broker;

/** The built-in broker could not start; the message says why and what to do. */
public final class BrokerException extends Exception {

    private static final long serialVersionUID = 1L;

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
