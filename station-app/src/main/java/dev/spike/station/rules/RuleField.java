package dev.spike.station.rules;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One setting of the rules in the rules editor: an editable text and, as it is typed, the error the agent would
 * give for it ("sprayDurationS must be 1..30, was 45"), or empty.
 */
public final class RuleField {

    /** How the text is read. */
    enum Kind {
        NUMBER, WHOLE, TIME, ZONE
    }

    private final String name;
    private final String label;
    private final String unit;
    private final Kind kind;
    private final StringProperty text;
    private final ReadOnlyStringWrapper error;
    private final ReadOnlyBooleanWrapper changed;

    RuleField(String name, String label, String unit, Kind kind) {
        this.name = name;
        this.label = label;
        this.unit = unit;
        this.kind = kind;
        this.text = new SimpleStringProperty(this, name, "");
        this.error = new ReadOnlyStringWrapper(this, name + "Error", "");
        this.changed = new ReadOnlyBooleanWrapper(this, name + "Changed");
    }

    /** The field's name in the rules and on the wire: {@code sprayDurationS}. */
    public String name() {
        return name;
    }

    /** For a person: "Spray duration". */
    public String label() {
        return label;
    }

    /** "s", "min", "%RH", "HH:mm", or "". */
    public String unit() {
        return unit;
    }

    Kind kind() {
        return kind;
    }

    /** Editable. */
    public StringProperty textProperty() {
        return text;
    }

    /** Empty while the text is valid; else the whole message, as the agent would reject it. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The text differs from the rules in force. */
    public ReadOnlyBooleanProperty changedProperty() {
        return changed.getReadOnlyProperty();
    }

    void setError(String message) {
        error.set(message == null ? "" : message);
    }

    void setChanged(boolean value) {
        changed.set(value);
    }

    @Override
    public String toString() {
        return name + "=" + text.get();
    }
}
