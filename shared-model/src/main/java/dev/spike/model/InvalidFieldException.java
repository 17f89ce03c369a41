package dev.spike.model;

/**
 * A value was built with a bad field. Carries the field's name apart from the reason so the codec can report
 * {@code (field, reason)} without parsing the message.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
