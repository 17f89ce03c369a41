package dev.spike.station.connection;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh command ids: a prefix naming the command and 12 random hex digits ({@code spray-3f9c01ab77e2}). The agent
 * executes an id at most once, so an id is never reused for a new command; 48 random bits make a collision with
 * another station's id practically impossible.
 */
public final class CommandIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CommandIds() {
    }

    /** A new id such as {@code spray-3f9c01ab77e2}; {@code prefix} is {@code spray}, {@code config}, ... */
    public static String next(String prefix) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }
}
