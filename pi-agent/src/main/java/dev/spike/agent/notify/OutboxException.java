package dev.spike.agent.notify;

/** The outbox's file could not be opened, read or written; the message names the file and what to check. */
final class OutboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OutboxException(String message) {
        super(message);
    }

    OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
