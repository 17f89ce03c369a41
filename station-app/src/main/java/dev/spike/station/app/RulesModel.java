package dev.spike.station.app;

import dev.spike.model.Rules;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;

/** The spray rules of the selected agent: the ones in force, and a command to replace them. */
public interface RulesModel {

    /** The rules in force on the selected agent (its retained config), or null while unknown. */
    ReadOnlyObjectProperty<Rules> rulesProperty();

    /** New rules may be sent: an agent is selected, online, and the station connected. */
    ReadOnlyBooleanProperty canApplyProperty();

    /** Sends {@code cmd/config}; the agent answers with {@code config_applied} or a rejection. */
    void apply(Rules rules);

    /** The outcome of the last apply for a person: "applied at 18:23", "rejected: maxSprayS must be ...". */
    ReadOnlyStringProperty statusProperty();
}
