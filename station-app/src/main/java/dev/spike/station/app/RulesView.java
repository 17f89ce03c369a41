package dev.spike.station.app;

import dev.spike.model.InvalidFieldException;
import dev.spike.model.Rules;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Rules.fxml}: shows the rules in force and sends edited ones. Checking is the model's
 * ({@link Rules} refuses what breaks a range, with the field and the allowed values); this view only reads the
 * text fields and shows that message next to the form.
 */
public class RulesView {

    @FXML
    private VBox root;
    @FXML
    private Label agentLabel;
    @FXML
    private Label error;
    @FXML
    private Label status;
    @FXML
    private Button applyButton;
    @FXML
    private Button revertButton;
    @FXML
    private TextField lowHumidityPct;
    @FXML
    private TextField sprayDurationS;
    @FXML
    private TextField minIntervalMin;
    @FXML
    private TextField eveningTime;
    @FXML
    private TextField eveningSkipIfSprayedWithinMin;
    @FXML
    private TextField timeZone;
    @FXML
    private TextField sensorDownAfterFailures;
    @FXML
    private TextField sensorDownSprayEveryH;
    @FXML
    private TextField maxSprayS;
    @FXML
    private TextField readIntervalS;
    @FXML
    private TextField alarmLowPct;
    @FXML
    private TextField alarmHighPct;

    private RulesModel model;

    @FXML
    private void initialize() {
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
    }

    public void bind(RulesModel rules) {
        this.model = rules;
        status.textProperty().bind(rules.statusProperty());
        applyButton.disableProperty().bind(rules.canApplyProperty().not().or(rules.rulesProperty().isNull()));
        revertButton.disableProperty().bind(rules.rulesProperty().isNull());
        show(rules.rulesProperty().get());
        rules.rulesProperty().addListener((o, was, now) -> show(now));
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void apply() {
        try {
            model.apply(read());
            error.setText("");
        } catch (InvalidFieldException e) {
            error.setText(e.getMessage());
        }
    }

    @FXML
    private void revert() {
        show(model.rulesProperty().get());
    }

    private void show(Rules rules) {
        error.setText("");
        agentLabel.setText(rules == null ? "not known yet: the agent has not published its config" : "");
        if (rules == null) {
            return;
        }
        lowHumidityPct.setText(plain(rules.lowHumidityPct()));
        sprayDurationS.setText(Integer.toString(rules.sprayDurationS()));
        minIntervalMin.setText(Integer.toString(rules.minIntervalMin()));
        eveningTime.setText(rules.eveningTime().toString());
        eveningSkipIfSprayedWithinMin.setText(Integer.toString(rules.eveningSkipIfSprayedWithinMin()));
        timeZone.setText(rules.timeZone().getId());
        sensorDownAfterFailures.setText(Integer.toString(rules.sensorDownAfterFailures()));
        sensorDownSprayEveryH.setText(Integer.toString(rules.sensorDownSprayEveryH()));
        maxSprayS.setText(Integer.toString(rules.maxSprayS()));
        readIntervalS.setText(Integer.toString(rules.readIntervalS()));
        alarmLowPct.setText(plain(rules.alarmLowPct()));
        alarmHighPct.setText(plain(rules.alarmHighPct()));
    }

    /** The rules as typed; throws with the field and what is wrong, as the model words it. */
    private Rules read() {
        return new Rules(
                number("lowHumidityPct", lowHumidityPct),
                whole("sprayDurationS", sprayDurationS),
                whole("minIntervalMin", minIntervalMin),
                whole("sensorDownSprayEveryH", sensorDownSprayEveryH),
                whole("sensorDownAfterFailures", sensorDownAfterFailures),
                time("eveningTime", eveningTime),
                whole("eveningSkipIfSprayedWithinMin", eveningSkipIfSprayedWithinMin),
                zone("timeZone", timeZone),
                whole("maxSprayS", maxSprayS),
                whole("readIntervalS", readIntervalS),
                number("alarmLowPct", alarmLowPct),
                number("alarmHighPct", alarmHighPct));
    }

    private static int whole(String name, TextField field) {
        try {
            return Integer.parseInt(field.getText().trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(name, "must be a whole number, was \"" + field.getText() + "\"");
        }
    }

    private static double number(String name, TextField field) {
        try {
            return Double.parseDouble(field.getText().trim().replace(',', '.'));
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(name, "must be a number, was \"" + field.getText() + "\"");
        }
    }

    private static LocalTime time(String name, TextField field) {
        try {
            return LocalTime.parse(field.getText().trim());
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(name, "must be a time HH:mm such as 20:00, was \"" + field.getText()
                    + "\"");
        }
    }

    private static ZoneId zone(String name, TextField field) {
        try {
            return ZoneId.of(field.getText().trim());
        } catch (DateTimeException e) {
            throw new InvalidFieldException(name, "must be a time zone such as Europe/Berlin or UTC, was \""
                    + field.getText() + "\"");
        }
    }

    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
