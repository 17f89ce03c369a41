package dev.spike.model;

import java.util.Optional;

/** An enum constant with its exact spelling on the wire ("sensor_down"), kept apart from the Java name. */
public interface WireName {

    String wire();

    /** The constant spelled {@code wire}, or empty: the lenient path for bytes from the network. */
    static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** The allowed spellings, for error messages: "one of normal, sensor_down". */
    static <E extends Enum<E> & WireName> String choices(Class<E> type) {
        StringBuilder out = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            out.append(out.length() == 0 ? "" : ", ").append(constant.wire());
        }
        return out.toString();
    }
}
