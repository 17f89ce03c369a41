package dev.spike.station.app;

import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;

/** Switches of a simulated agent ({@code sim/set}); offered only while a simulated agent is selected. */
public interface SimulationModel {

    /** The selected agent is simulated (its status says so): the simulation panel is shown. */
    ReadOnlyBooleanProperty availableProperty();

    void setSensor(SensorFault fault);

    void setTank(TankLevel level);

    /** The outcome of the last switch: "sensor set to absent", "rejected: ...". */
    ReadOnlyStringProperty statusProperty();
}
