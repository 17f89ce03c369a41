package dev.spike.station.calibration;

import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Calibration.fxml}: the guided salt test and the plain offset of
 * {@link CalibrationViewModel}; it binds and delegates, nothing more.
 */
public class CalibrationView {

    @FXML
    private VBox root;
    @FXML
    private HBox sensorChoice;
    @FXML
    private ToggleButton sensor1Toggle;
    @FXML
    private ToggleButton sensor2Toggle;
    @FXML
    private ToggleButton naclToggle;
    @FXML
    private ToggleButton mgcl2Toggle;
    @FXML
    private ToggleButton offsetToggle;
    @FXML
    private VBox saltBox;
    @FXML
    private HBox offsetBox;
    @FXML
    private TextField offsetField;
    @FXML
    private Label liveReading;
    @FXML
    private Label waitState;
    @FXML
    private Label recorded;
    @FXML
    private Label preview;
    @FXML
    private Label current;
    @FXML
    private Button startButton;
    @FXML
    private Button cancelButton;
    @FXML
    private Button recordButton;
    @FXML
    private Button sendButton;
    @FXML
    private Button resetButton;
    @FXML
    private Label calibrationStatus;

    private CalibrationViewModel model;

    public void bind(CalibrationViewModel calibration) {
        this.model = calibration;
        sensorChoice.visibleProperty().bind(calibration.twoSensorsProperty());
        sensorChoice.managedProperty().bind(calibration.twoSensorsProperty());
        // a click toggles the button itself, so its selection follows the ViewModel rather than being bound to it
        calibration.sensorNumberProperty().addListener((o, was, now) -> showChoices());
        calibration.methodProperty().addListener((o, was, now) -> showChoices());
        showChoices();
        var offset = calibration.methodProperty().isEqualTo(CalibrationViewModel.Method.OFFSET);
        saltBox.visibleProperty().bind(offset.not());
        saltBox.managedProperty().bind(offset.not());
        offsetBox.visibleProperty().bind(offset);
        offsetBox.managedProperty().bind(offset);
        offsetField.textProperty().addListener((o, was, now) -> calibration.setOffsetText(now));

        liveReading.textProperty().bind(calibration.liveTextProperty());
        waitState.textProperty().bind(calibration.waitTextProperty());
        recorded.textProperty().bind(calibration.recordedTextProperty());
        preview.textProperty().bind(calibration.previewTextProperty());
        current.textProperty().bind(calibration.currentTextProperty());
        startButton.disableProperty().bind(calibration.enabledProperty().not().or(calibration.waitingProperty()));
        cancelButton.disableProperty().bind(calibration.waitingProperty().not());
        recordButton.disableProperty().bind(calibration.stableProperty().not());
        sendButton.disableProperty().bind(calibration.canSendProperty().not());
        resetButton.disableProperty().bind(calibration.enabledProperty().not());
        calibrationStatus.textProperty().bind(Bindings.createStringBinding(
                () -> calibration.resultTextProperty().get().isEmpty() ? calibration.whyNotProperty().get()
                        : calibration.resultTextProperty().get(),
                calibration.resultTextProperty(), calibration.whyNotProperty()));
    }

    public VBox root() {
        return root;
    }

    private void showChoices() {
        int sensor = model.sensorNumberProperty().get();
        CalibrationViewModel.Method method = model.methodProperty().get();
        sensor1Toggle.setSelected(sensor == 1);
        sensor2Toggle.setSelected(sensor == 2);
        naclToggle.setSelected(method == CalibrationViewModel.Method.NACL);
        mgcl2Toggle.setSelected(method == CalibrationViewModel.Method.MGCL2);
        offsetToggle.setSelected(method == CalibrationViewModel.Method.OFFSET);
    }

    @FXML
    private void chooseSensor(ActionEvent e) {
        model.setSensor(Integer.parseInt((String) ((Node) e.getSource()).getUserData()));
        showChoices();
    }

    @FXML
    private void chooseMethod(ActionEvent e) {
        model.setMethod(CalibrationViewModel.Method.valueOf((String) ((Node) e.getSource()).getUserData()));
        showChoices();
    }

    @FXML
    private void startWaiting() {
        model.startWaiting();
    }

    @FXML
    private void cancelWaiting() {
        model.cancelWaiting();
    }

    @FXML
    private void record() {
        model.record();
    }

    @FXML
    private void send() {
        model.send();
    }

    @FXML
    private void reset() {
        model.reset();
    }
}
