package dev.spike.station.dashboard;

import dev.spike.station.chart.ChartView;
import dev.spike.station.chart.ChartViewModel;
import dev.spike.station.spray.SprayView;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.ui.PseudoClasses;
import dev.spike.station.water.WaterView;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import dev.spike.model.Mode;

/**
 * Controller of {@code Dashboard.fxml}: binds the selected agent's {@link DashboardViewModel} (situation, readings,
 * valve, status, clock), the inline spray ({@link SprayView}) and the chart ({@link ChartView}). Binds and delegates.
 */
public class DashboardView {

    @FXML
    private VBox root;
    @FXML
    private Label situation;
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
    private Label clockName;
    @FXML
    private Label clock;
    @FXML
    private SprayView sprayController;
    @FXML
    private ChartView chartController;
    @FXML
    private WaterView waterController;

    public void bind(DashboardViewModel dashboard, SprayViewModel spray, ChartViewModel chart) {
        situation.textProperty().bind(dashboard.situationTextProperty());
        showSituation(dashboard.situationProperty().get());
        dashboard.situationProperty().addListener((o, was, now) -> showSituation(now));

        humidityValue.textProperty().bind(number(dashboard.humidityProperty()));
        temperatureValue.textProperty().bind(number(dashboard.temperatureProperty()));
        humidityAge.textProperty().bind(dashboard.readingAgeTextProperty());
        temperatureAge.textProperty().bind(dashboard.readingAgeTextProperty());
        PseudoClasses.bind(humidityCard, "stale", dashboard.readingStaleProperty());
        PseudoClasses.bind(temperatureCard, "stale", dashboard.readingStaleProperty());

        valveState.textProperty().bind(capitalized(dashboard.valveTextProperty()));
        cooldown.textProperty().bind(dashboard.cooldownTextProperty());
        PseudoClasses.bind(valveCard, "open", dashboard.valveOpenProperty());

        mode.textProperty().bind(capitalized(dashboard.modeTextProperty()));
        lastSpray.textProperty().bind(dashboard.lastSprayTextProperty());
        nextSpray.textProperty().bind(dashboard.nextSprayTextProperty());
        health.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!dashboard.storeErrorTextProperty().get().isEmpty()) {
                return dashboard.storeErrorTextProperty().get();
            }
            if (DashboardViewModel.NONE.equals(dashboard.healthAgeTextProperty().get())) {
                return "no health report yet";
            }
            return "up " + dashboard.uptimeTextProperty().get() + " · CPU "
                    + dashboard.cpuTemperatureTextProperty().get() + "\n" + dashboard.healthAgeTextProperty().get();
        }, dashboard.storeErrorTextProperty(), dashboard.uptimeTextProperty(), dashboard.cpuTemperatureTextProperty(),
                dashboard.healthAgeTextProperty()));
        PseudoClasses.bind(statusCard, "sensor-down", dashboard.modeProperty().isEqualTo(Mode.SENSOR_DOWN));
        PseudoClasses.bind(statusCard, "health-problem", dashboard.storeErrorTextProperty().isNotEmpty());
        clock.textProperty().bind(dashboard.clockTextProperty());
        for (Label label : new Label[] {clockName, clock}) {
            label.visibleProperty().bind(dashboard.clockTextProperty().isNotEmpty());
            label.managedProperty().bind(dashboard.clockTextProperty().isNotEmpty());
        }

        sprayController.bind(spray);
        chartController.bind(chart);
    }

    private void showSituation(Situation now) {
        for (Situation each : Situation.values()) {
            situation.pseudoClassStateChanged(PseudoClass.getPseudoClass(each.name().toLowerCase(Locale.ROOT)),
                    each == now);
        }
    }

    private static ObservableValue<String> number(ObservableValue<Double> value) {
        return Bindings.createStringBinding(() -> value.getValue() == null ? DashboardViewModel.NONE
                : String.format(Locale.ROOT, "%.1f", value.getValue()), value);
    }

    private static ObservableValue<String> capitalized(ObservableValue<String> text) {
        return Bindings.createStringBinding(() -> {
            String value = text.getValue();
            return value == null || value.isEmpty() ? "" : Character.toUpperCase(value.charAt(0)) + value.substring(1);
        }, text);
    }

    public VBox root() {
        return root;
    }

    public ChartView chart() {
        return chartController;
    }

    /** The water card: bound apart, since an older caller of {@link #bind} knows nothing of it. */
    public WaterView water() {
        return waterController;
    }

    public SprayView spray() {
        return sprayController;
    }
}
