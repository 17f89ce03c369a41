package dev.spike.model.codec;

/**
 * Why bytes from the network could not be decoded.
 *
 * @param field  the JSON path of the offending field ("rules.lowHumidityPct"), or {@code "payload"} for the whole
 * @param reason what is wrong, for a person: "must be 1..60, was 90"
 */
public record DecodeError(String field, String reason) {

    public static final String PAYLOAD = "payload";

    @Override
    public String toString() {
        return field + " " + reason;
    }
}
