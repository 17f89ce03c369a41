package dev.spike.station.desktop;

/** This desktop has no notification service the station can reach; the message says why, for a person. */
public final class NotificationsUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    NotificationsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
