package dev.spike.station.connection;

import java.util.Objects;

/**
 * The station's connection to its broker.
 *
 * <pre>
 *                 connect()                  CONNACK + SUBACK
 *  DISCONNECTED ─────────────▶ CONNECTING ─────────────────────▶ CONNECTED
 *       ▲                         │  │                            │     ▲
 *       │                         │  │ network error              │     │ CONNACK + SUBACK
 *       │ disconnect()            │  ▼                            │     │
 *       │ (from any state)        │ RECONNECTING(1) ◀─────────────┘     │
 *       │                         │  │   connection lost                │
 *       │                         │  │ next attempt after 1, 2, 4 ... 30 s (never longer)
 *       │                         │  ▼                                  │
 *       │                         │ RECONNECTING(n+1) ──────────────────┘
 *       │                         │  │
 *       │     refused: bad user name or password, not authorized, banned, client id rejected,
 *       │     or the TLS handshake failed (untrusted certificate)
 *       │                         ▼  ▼
 *       └───────────────────── REFUSED(reason) ── connect() with new settings ──▶ CONNECTING
 * </pre>
 *
 * <p>REFUSED is final until the person changes the settings: retrying a wrong password every 30 s helps nobody and
 * may get the station banned. Every other failure is retried for ever.
 *
 * @param kind    which state
 * @param broker  the broker's address ({@code tcp://host:1883}), or null while DISCONNECTED
 * @param attempt for RECONNECTING, the number of the attempt being made (1, 2, ...); 0 otherwise
 * @param reason  for RECONNECTING, why the last attempt or the connection failed; for REFUSED, why the broker
 *                refused; null otherwise
 */
public record ConnectionState(Kind kind, String broker, int attempt, String reason) {

    /** The states; {@code name().toLowerCase()} makes a CSS pseudo-class ({@code :reconnecting}). */
    public enum Kind {
        DISCONNECTED, CONNECTING, CONNECTED, RECONNECTING, REFUSED
    }

    private static final ConnectionState DISCONNECTED = new ConnectionState(Kind.DISCONNECTED, null, 0, null);

    public ConnectionState {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.RECONNECTING && attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 while reconnecting, was " + attempt);
        }
        if (kind != Kind.RECONNECTING && attempt != 0) {
            throw new IllegalArgumentException("attempt is only for RECONNECTING, was " + attempt);
        }
        if (kind == Kind.REFUSED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("reason is required when REFUSED");
        }
    }

    public static ConnectionState disconnected() {
        return DISCONNECTED;
    }

    public static ConnectionState connecting(String broker) {
        return new ConnectionState(Kind.CONNECTING, broker, 0, null);
    }

    public static ConnectionState connected(String broker) {
        return new ConnectionState(Kind.CONNECTED, broker, 0, null);
    }

    public static ConnectionState reconnecting(String broker, int attempt, String reason) {
        return new ConnectionState(Kind.RECONNECTING, broker, attempt, reason);
    }

    public static ConnectionState refused(String broker, String reason) {
        return new ConnectionState(Kind.REFUSED, broker, 0, reason);
    }

    public boolean isConnected() {
        return kind == Kind.CONNECTED;
    }

    /** For a person: "connected to tcp://pi:1883", "reconnecting to tcp://pi:1883 (attempt 3): connection refused". */
    public String text() {
        switch (kind) {
            case DISCONNECTED:
                return "disconnected";
            case CONNECTING:
                return "connecting to " + broker + "…";
            case CONNECTED:
                return "connected to " + broker;
            case RECONNECTING:
                return "reconnecting to " + broker + " (attempt " + attempt + ")"
                        + (reason == null ? "" : ": " + reason);
            case REFUSED:
                return "refused by " + broker + ": " + reason;
            default:
                throw new IllegalStateException("unknown kind " + kind);
        }
    }
}
