package dev.spike.station.water;

import dev.spike.station.ui.PseudoClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;

/**
 * Controller of {@code Water.fxml}: binds {@link WaterViewModel} and delegates. The tank as a bar with its litres and
 * days left ({@code :low} while {@code low_water} is raised), the Refilled button after a confirmation, and the rise of
 * each spray over the last weeks, in days before now ({@code :clogging} while the agent says the nozzle clogs).
 */
public class WaterView {

    /** The rise axis ends at a multiple of this many points. */
    private static final double RISE_AXIS_STEP = 10;

    @FXML
    private HBox root;
    @FXML
    private ProgressBar tankBar;
    @FXML
    private Label tank;
    @FXML
    private Label daysLeft;
    @FXML
    private Button refillButton;
    @FXML
    private Label refillResult;
    @FXML
    private ScatterChart<Number, Number> rises;
    @FXML
    private NumberAxis riseAxis;
    @FXML
    private Label efficacy;

    private WaterViewModel model;
    private final XYChart.Series<Number, Number> points = new XYChart.Series<>();

    public void bind(WaterViewModel water) {
        this.model = water;
        tankBar.progressProperty().bind(water.levelProperty());
        tankBar.visibleProperty().bind(water.hasTankProperty());
        tankBar.managedProperty().bind(water.hasTankProperty());
        tank.textProperty().bind(water.tankTextProperty());
        daysLeft.textProperty().bind(water.daysLeftTextProperty());
        refillButton.disableProperty().bind(water.canRefillProperty().not());
        refillButton.visibleProperty().bind(water.hasTankProperty());
        refillButton.managedProperty().bind(water.hasTankProperty());
        refillResult.textProperty().bind(water.refillTextProperty());
        refillResult.managedProperty().bind(refillResult.textProperty().isNotEmpty());
        efficacy.textProperty().bind(water.efficacyTextProperty());
        PseudoClasses.bind(root, "low", water.lowProperty());
        PseudoClasses.bind(root, "clogging", water.cloggingProperty());
        rises.getData().add(points);
        water.rises().addListener((ListChangeListener<WaterViewModel.Rise>) change -> plot());
        plot();
    }

    /**
     * Days before now on x, so the axis reads the same whatever the date. The rise axis is set here, from 0 to the
     * next 10 points above the highest rise: left to itself, a NumberAxis 40 px high picked 0 to 200 for rises of
     * 12 points and drew them as a line along the floor.
     */
    private void plot() {
        List<XYChart.Data<Number, Number>> data = new ArrayList<>();
        double highest = 0;
        for (WaterViewModel.Rise rise : model.rises()) {
            data.add(new XYChart.Data<>(model.daysAgo(rise), rise.risePct()));
            highest = Math.max(highest, rise.risePct());
        }
        riseAxis.setUpperBound(Math.max(RISE_AXIS_STEP, Math.ceil(highest / RISE_AXIS_STEP) * RISE_AXIS_STEP));
        riseAxis.setTickUnit(riseAxis.getUpperBound() / 2);
        points.getData().setAll(data);
    }

    @FXML
    private void refill() {
        if (model == null || !model.canRefillProperty().get()) {
            return;
        }
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, model.confirmationText(), ButtonType.OK,
                ButtonType.CANCEL);
        ask.setHeaderText("Tank refilled?");
        ask.initOwner(root.getScene() == null ? null : root.getScene().getWindow());
        Optional<ButtonType> answer = ask.showAndWait();
        if (answer.isPresent() && answer.get() == ButtonType.OK) {
            model.refill();
        }
    }

    public HBox root() {
        return root;
    }
}
