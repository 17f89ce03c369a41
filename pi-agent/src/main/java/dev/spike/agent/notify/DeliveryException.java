package dev.spike.agent.notify;

/**
 * A notifier could not deliver: the message says what went wrong and what to check ("ntfy answered 403 Forbidden;
 * check notify.ntfy.tokenFile"). The dispatcher retries it later, unless it is a {@link RefusedException}.
 */
public class DeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
