package dev.spike.agent.notify;

/**
 * One way of reaching the keeper. {@link #send} blocks for at most the notifier's own timeouts and is only ever
 * called from the dispatcher's thread for this notifier (or by {@code notify-test}), never from the agent thread.
 */
public interface Notifier {

    /** The channel's name in logs, in the outbox and in {@code notify-test}'s lines: ntfy, webhook, email. */
    String name();

    /** Where it sends, for a person: the URL or the SMTP server and recipients (never a secret). */
    String target();

    /** Delivers one notification, or throws saying what failed and what to check. */
    void send(Notification notification) throws DeliveryException;
}
