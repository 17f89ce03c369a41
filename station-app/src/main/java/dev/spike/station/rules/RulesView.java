package dev.spike.station.rules;

import dev.spike.station.connection.CommandState;
import dev.spike.station.ui.PseudoClasses;
import java.util.Locale;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Rules.fxml}: one row per {@link RuleField} of the {@link RulesViewModel}, its text field
 * bound both ways and its own error under it as you type (the agent's message: "sprayDurationS must be 1..30, was
 * 45"); apply and revert delegate. The field's id is the rule's name ({@code #sprayDurationS}), its error label's
 * {@code #sprayDurationSError}; a field with an error has {@code :error}, a changed one {@code :changed}.
 */
public class RulesView {

    @FXML
    private VBox root;
    @FXML
    private Label agentLabel;
    @FXML
    private Label whyNot;
    @FXML
    private Label rulesStatus;
    @FXML
    private Button applyButton;
    @FXML
    private Button revertButton;
    @FXML
    private GridPane form;
    @FXML
    private VBox programBox;
    /** The preview under the form (issue 16), WhatIf.fxml included as {@code whatIf}. */
    @FXML
    private dev.spike.station.whatif.WhatIfView whatIfController;

    private RulesViewModel model;

    public void bind(RulesViewModel rules) {
        this.model = rules;
        int row = 0;
        for (RuleField field : rules.fields()) {
            Label label = new Label(field.label());
            TextField text = new TextField();
            text.setId(field.name());
            text.setPrefColumnCount(10);
            text.textProperty().bindBidirectional(field.textProperty());
            label.setLabelFor(text);
            Label unit = new Label(field.unit());
            unit.getStyleClass().add("form-unit");
            Label error = new Label();
            error.setId(field.name() + "Error");
            error.getStyleClass().add("field-error");
            error.setWrapText(true);
            error.textProperty().bind(field.errorProperty());
            PseudoClasses.bind(text, "error", field.errorProperty().isNotEmpty());
            PseudoClasses.bind(text, "changed", field.changedProperty());
            form.addRow(row++, label, text, unit, error);
        }
        ProgramPane.bind(programBox, rules.program());
        agentLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> rules.rulesInForceProperty().get() == null
                        ? "not known yet: the agent has not published its config" : "",
                rules.rulesInForceProperty()));
        whyNot.textProperty().bind(rules.whyNotProperty());
        rulesStatus.textProperty().bind(rules.resultTextProperty());
        showState(rules.stateProperty().get());
        rules.stateProperty().addListener((o, was, now) -> showState(now));
        applyButton.disableProperty().bind(rules.canApplyProperty().not());
        revertButton.disableProperty().bind(rules.dirtyProperty().not());
    }

    /** Shows the preview of the edited rules under the form. */
    public void bindWhatIf(dev.spike.station.whatif.WhatIfViewModel whatIf) {
        whatIfController.bind(whatIf);
    }

    private void showState(CommandState state) {
        for (CommandState each : CommandState.values()) {
            rulesStatus.pseudoClassStateChanged(PseudoClass.getPseudoClass(each.name().toLowerCase(Locale.ROOT)),
                    each == state);
        }
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void apply() {
        model.apply();
    }

    @FXML
    private void revert() {
        model.revert();
    }
}
