package dev.spike.agent.link;

/** A message was not delivered because the connection to the broker went away; it is sent again after reconnect. */
final class LinkDownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LinkDownException(String message, Throwable cause) {
        super(message, cause);
    }
}
