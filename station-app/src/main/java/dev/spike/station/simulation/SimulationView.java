package dev.spike.station.simulation;

import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Simulation.fxml}: what the simulated sensor and tank do now, and switches for them
 * ({@link SimulationViewModel}); disabled with the reason while they cannot be used.
 */
public class SimulationView {

    @FXML
    private VBox root;
    @FXML
    private Label sensorState;
    @FXML
    private Label tankState;
    @FXML
    private HBox sensorButtons;
    @FXML
    private HBox tankButtons;
    @FXML
    private Label simulationStatus;
    @FXML
    private Label sensorsState;
    @FXML
    private HBox sensorChoice;
    @FXML
    private ToggleButton sensor1Toggle;
    @FXML
    private ToggleButton sensor2Toggle;

    private SimulationViewModel model;

    public void bind(SimulationViewModel simulation) {
        this.model = simulation;
        sensorState.textProperty().bind(simulation.sensorTextProperty());
        tankState.textProperty().bind(simulation.tankTextProperty());
        sensorButtons.disableProperty().bind(simulation.enabledProperty().not());
        tankButtons.disableProperty().bind(simulation.enabledProperty().not());
        sensorsState.textProperty().bind(simulation.sensorsTextProperty());
        sensorsState.visibleProperty().bind(simulation.twoSensorsProperty());
        sensorsState.managedProperty().bind(simulation.twoSensorsProperty());
        sensorChoice.visibleProperty().bind(simulation.twoSensorsProperty());
        sensorChoice.managedProperty().bind(simulation.twoSensorsProperty());
        // a click toggles the button itself, so its selection follows the ViewModel rather than being bound to it
        simulation.targetSensorProperty().addListener((o, was, now) -> showTarget());
        showTarget();
        simulationStatus.textProperty().bind(Bindings.createStringBinding(() -> simulation.resultTextProperty().get().isEmpty()
                ? simulation.whyNotProperty().get() : simulation.resultTextProperty().get(),
                simulation.resultTextProperty(), simulation.whyNotProperty()));
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void setSensor(ActionEvent e) {
        model.setSensor(SensorFault.valueOf((String) ((Node) e.getSource()).getUserData()));
    }

    private void showTarget() {
        sensor1Toggle.setSelected(model.targetSensorProperty().get() == 1);
        sensor2Toggle.setSelected(model.targetSensorProperty().get() == 2);
    }

    @FXML
    private void chooseSensor(ActionEvent e) {
        model.setTargetSensor(Integer.parseInt((String) ((Node) e.getSource()).getUserData()));
        showTarget();
    }

    @FXML
    private void setTank(ActionEvent e) {
        model.setTank(TankLevel.valueOf((String) ((Node) e.getSource()).getUserData()));
    }
}
