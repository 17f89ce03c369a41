package dev.spike.model.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.WireName;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Typed, strict access to the fields of one JSON object. Every failure throws {@link InvalidFieldException} with
 * the field's full path, which {@link Codec} turns into a {@link DecodeError}. Unknown fields are never looked at,
 * which is what makes the protocol forward compatible.
 */
final class Fields {

    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    /**
     * ISO-8601's four-digit years bound every time on the wire. {@link Instant#parse} takes years up to a billion,
     * which no reader can turn into epoch milliseconds (the station's store) or a calendar date (its texts): such a
     * time must fail here, as a decode error, not later as an exception in whoever uses it.
     */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static Fields root(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidFieldException(DecodeError.PAYLOAD, "must be a JSON object, was " + kind(node));
        }
        return new Fields(node, "");
    }

    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    private JsonNode required(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidFieldException(path(name), "is required");
        }
        return value;
    }

    Fields object(String name) {
        JsonNode value = required(name);
        if (!value.isObject()) {
            throw wrongType(name, "an object", value);
        }
        return new Fields(value, path(name));
    }

    ArrayNode array(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array", value);
        }
        return (ArrayNode) value;
    }

    Fields element(String arrayName, int index, JsonNode element) {
        String elementPath = path(arrayName) + "[" + index + "]";
        if (!element.isObject()) {
            throw new InvalidFieldException(elementPath, "must be an object, was " + kind(element));
        }
        return new Fields(element, elementPath);
    }

    String text(String name) {
        JsonNode value = required(name);
        if (!value.isTextual()) {
            throw wrongType(name, "a string", value);
        }
        return value.textValue();
    }

    String optionalText(String name) {
        return has(name) ? text(name) : null;
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false", value);
        }
        return value.booleanValue();
    }

    boolean optionalBool(String name, boolean fallback) {
        return has(name) ? bool(name) : fallback;
    }

    int int32(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "a whole number", value);
        }
        if (!value.canConvertToInt()) {
            throw new InvalidFieldException(path(name), "is out of range, was " + value.asText());
        }
        return value.intValue();
    }

    Integer optionalInt32(String name) {
        return has(name) ? int32(name) : null;
    }

    /** The field names of this object, in their order. */
    java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    long int64(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "a whole number", value);
        }
        if (!value.canConvertToLong()) {
            throw new InvalidFieldException(path(name), "is out of range, was " + value.asText());
        }
        return value.longValue();
    }

    double number(String name) {
        JsonNode value = required(name);
        if (!value.isNumber()) {
            throw wrongType(name, "a number", value);
        }
        double number = value.doubleValue();
        if (!Double.isFinite(number)) {
            throw new InvalidFieldException(path(name), "is out of range, was " + value.asText());
        }
        return number;
    }

    Double optionalNumber(String name) {
        return has(name) ? number(name) : null;
    }

    Instant instant(String name) {
        String text = text(name);
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(path(name),
                    "must be an ISO-8601 UTC time such as 2026-05-01T12:00:00Z, was \"" + shorten(text) + "\"");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidFieldException(path(name), "must be in the years 0000..9999, was \"" + shorten(text)
                    + "\"");
        }
        return instant;
    }

    Instant optionalInstant(String name) {
        return has(name) ? instant(name) : null;
    }

    LocalTime localTime(String name) {
        String text = text(name);
        try {
            return LocalTime.parse(text, HH_MM);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(path(name), "must be a time HH:mm such as 20:00, was \""
                    + shorten(text) + "\"");
        }
    }

    ZoneId zone(String name) {
        String text = text(name);
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new InvalidFieldException(path(name), "must be a time zone such as Europe/Berlin or UTC, was \""
                    + shorten(text) + "\"");
        }
    }

    <E extends Enum<E> & WireName> E enumValue(String name, Class<E> type) {
        String text = text(name);
        return WireName.parse(type, text).orElseThrow(() -> new InvalidFieldException(path(name),
                "must be one of " + WireName.choices(type) + ", was \"" + shorten(text) + "\""));
    }

    <E extends Enum<E> & WireName> E optionalEnum(String name, Class<E> type) {
        return has(name) ? enumValue(name, type) : null;
    }

    /**
     * Runs a record constructor, re-homing its field errors under this object's path. Errors of this class's own
     * accessors already carry the full path and pass through unchanged.
     */
    <T> T build(java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidFieldException e) {
            boolean homed = path.isEmpty() || e.field().startsWith(path + ".") || e.field().startsWith(path + "[");
            throw homed ? e : new InvalidFieldException(path(e.field()), e.reason());
        }
    }

    private InvalidFieldException wrongType(String name, String expected, JsonNode actual) {
        return new InvalidFieldException(path(name), "must be " + expected + ", was " + kind(actual));
    }

    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return shorten(node.asText());
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
