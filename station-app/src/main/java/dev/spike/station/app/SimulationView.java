package dev.spike.station.app;

import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Controller of {@code Simulation.fxml}: switches the simulated sensor and tank of the selected agent. */
public class SimulationView {

    @FXML
    private VBox root;
    @FXML
    private Label status;

    private SimulationModel model;

    public void bind(SimulationModel simulation) {
        this.model = simulation;
        status.textProperty().bind(simulation.statusProperty());
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void setSensor(ActionEvent e) {
        model.setSensor(SensorFault.valueOf((String) ((Node) e.getSource()).getUserData()));
    }

    @FXML
    private void setTank(ActionEvent e) {
        model.setTank(TankLevel.valueOf((String) ((Node) e.getSource()).getUserData()));
    }
}
