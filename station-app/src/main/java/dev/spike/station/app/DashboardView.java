package dev.spike.station.app;

import dev.spike.station.chart.ChartView;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Dashboard.fxml}: the selected agent's readings, valve and status above its chart. Binds and
 * delegates; the spray asks for confirmation first ({@link SprayDialog}).
 */
public class DashboardView {

    @FXML
    private VBox root;
    @FXML
    private VBox humidityCard;
    @FXML
    private VBox temperatureCard;
    @FXML
    private VBox valveCard;
    @FXML
    private GridPane statusCard;
    @FXML
    private Label humidityValue;
    @FXML
    private Label humidityAge;
    @FXML
    private Label temperatureValue;
    @FXML
    private Label temperatureAge;
    @FXML
    private Label valveState;
    @FXML
    private Label cooldown;
    @FXML
    private Label mode;
    @FXML
    private Label lastSpray;
    @FXML
    private Label nextSpray;
    @FXML
    private Label health;
    @FXML
    private Button sprayButton;
    @FXML
    private ChartView chartController;

    private DashboardModel model;

    public void bind(DashboardModel dashboard) {
        this.model = dashboard;
        humidityValue.textProperty().bind(dashboard.humidityProperty());
        temperatureValue.textProperty().bind(dashboard.temperatureProperty());
        humidityAge.textProperty().bind(dashboard.readingAgeProperty());
        temperatureAge.textProperty().bind(dashboard.readingAgeProperty());
        PseudoClasses.bind(humidityCard, "stale", dashboard.staleProperty());
        PseudoClasses.bind(temperatureCard, "stale", dashboard.staleProperty());

        valveState.textProperty().bind(dashboard.valveProperty());
        cooldown.textProperty().bind(dashboard.cooldownProperty());
        PseudoClasses.bind(valveCard, "open", dashboard.valveOpenProperty());
        sprayButton.disableProperty().bind(dashboard.canSprayProperty().not());

        mode.textProperty().bind(dashboard.modeProperty());
        lastSpray.textProperty().bind(dashboard.lastSprayProperty());
        nextSpray.textProperty().bind(dashboard.nextSprayProperty());
        health.textProperty().bind(dashboard.healthProperty());
        PseudoClasses.bind(statusCard, "sensor-down", dashboard.sensorDownProperty());
        PseudoClasses.bind(statusCard, "health-problem", dashboard.healthProblemProperty());

        chartController.chart().dataProperty().bind(dashboard.chartDataProperty());
        chartController.setFileStem(dashboard.agentIdProperty().get());
        dashboard.agentIdProperty().addListener((o, was, now) -> chartController.setFileStem(now));
    }

    public VBox root() {
        return root;
    }

    public ChartView chart() {
        return chartController;
    }

    @FXML
    private void spray() {
        requestSpray();
    }

    /** Asks "spray terrarium-1 for 6 s?" and sends the spray if the person confirms; nothing while not allowed. */
    public void requestSpray() {
        if (model == null || !model.canSprayProperty().get()) {
            return;
        }
        SprayDialog.ask(root, model.agentIdProperty().get(), model.sprayDurationSProperty().get(),
                model.maxSprayDurationSProperty().get()).ifPresent(model::spray);
    }
}
