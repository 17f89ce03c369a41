package dev.spike.model;

import java.util.regex.Pattern;

/**
 * Argument checks for the model's compact constructors. Every message names the field, the bad value and what is
 * allowed ("durationS must be 1..30, was 45"), because these messages reach a person: in a rejected command, in a
 * decode error, in a log line.
 */
public final class Checks {

    /** Agent ids appear in topics, file names and client ids, hence the narrow alphabet. */
    public static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private Checks() {
    }

    public static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }

    public static String agentId(String field, String value) {
        notNull(field, value);
        if (!AGENT_ID.matcher(value).matches()) {
            throw new InvalidFieldException(field,
                    "must match [a-z0-9][a-z0-9-]{0,31}, was \"" + abbreviate(value) + "\"");
        }
        return value;
    }

    /** A free text of 1..maxLength characters, such as a command id or an error message. */
    public static String text(String field, String value, int maxLength) {
        notNull(field, value);
        if (value.isEmpty() || value.length() > maxLength) {
            throw new InvalidFieldException(field,
                    "must be 1.." + maxLength + " characters, was " + value.length());
        }
        return value;
    }

    public static String optionalText(String field, String value, int maxLength) {
        return value == null ? null : text(field, value, maxLength);
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(field, "must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    public static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new InvalidFieldException(field, "must be >= " + min + ", was " + value);
        }
        return value;
    }

    public static double range(String field, double value, double min, double max) {
        if (!Double.isFinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number, was " + value);
        }
        if (value < min || value > max) {
            throw new InvalidFieldException(field,
                    "must be " + plain(min) + ".." + plain(max) + ", was " + plain(value));
        }
        return value;
    }

    public static Double optionalRange(String field, Double value, double min, double max) {
        return value == null ? null : range(field, value.doubleValue(), min, max);
    }

    public static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number, was " + value);
        }
        return value;
    }

    /** 75.0 prints as 75, 72.4 as 72.4: the way a person writes a threshold. */
    public static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
