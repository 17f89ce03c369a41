package dev.spike.agent.notify;

/**
 * The server refused this one notification, and sending it again cannot change its mind: an HTTP 400, 413, 422 or
 * another 4xx that is not about access, a missing path, a timeout or a rate limit (401, 403, 404, 408, 429), or an
 * SMTP 5xx answer to the message itself. The dispatcher drops the notification for that notifier, records it as
 * refused and goes on with the next; it does not block the ones after it until {@code notify.maxAgeH}.
 *
 * <p>What stays a plain {@link DeliveryException}, retried with backoff: refused logins and tokens, wrong paths,
 * refused recipients, connection failures, timeouts and server errors. Fixing the set-up and restarting the agent
 * delivers those.
 */
public final class RefusedException extends DeliveryException {

    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }

    public RefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
