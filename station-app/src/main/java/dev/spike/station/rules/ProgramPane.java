package dev.spike.station.rules;

import dev.spike.station.ui.PseudoClasses;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The day/night program's part of {@code Rules.fxml}: a row per period of {@link ProgramRows} (from, to, threshold,
 * cooldown, each bound both ways with its own error under the row) with a remove button, and "Add period". Rebuilt
 * when periods are added or removed. Ids: {@code #programFrom0}, {@code #programTo0}, {@code #programThreshold0},
 * {@code #programCooldown0}, their errors with {@code Error} appended, {@code #programRemove0}, {@code #programAdd}.
 */
final class ProgramPane {

    private static final String[] IDS = {"programFrom", "programTo", "programThreshold", "programCooldown"};

    private final ProgramRows program;
    private final GridPane grid = new GridPane();

    private ProgramPane(ProgramRows program) {
        this.program = program;
    }

    static void bind(VBox box, ProgramRows program) {
        ProgramPane pane = new ProgramPane(program);
        Label title = new Label("Day/night program");
        title.getStyleClass().add("form-section");
        Label hint = new Label("Within a period its threshold replaces \"Spray below\", and a spray made in it is"
                + " followed by its cooldown (empty: \"Cooldown after a spray\"). Local time in the rules' time zone;"
                + " a period may run over midnight.");
        hint.getStyleClass().add("form-hint");
        hint.setWrapText(true);
        pane.grid.getStyleClass().add("rules-form");
        pane.grid.setId("programGrid");
        Button add = new Button("Add _period");
        add.setMnemonicParsing(true);
        add.setId("programAdd");
        add.setOnAction(event -> program.add());
        add.disableProperty().bind(program.canAddProperty().not());
        box.getChildren().addAll(title, hint, pane.grid, new HBox(add));
        pane.rebuild();
        program.rows().addListener((ListChangeListener<ProgramRows.Row>) change -> pane.rebuild());
    }

    private void rebuild() {
        grid.getChildren().clear();
        if (program.rows().isEmpty()) {
            Label none = new Label("No program: \"Spray below\" and \"Cooldown after a spray\" hold all day.");
            none.setId("programNone");
            none.getStyleClass().add("form-hint");
            grid.addRow(0, none);
            return;
        }
        int line = 0;
        for (int i = 0; i < program.rows().size(); i++) {
            ProgramRows.Row row = program.rows().get(i);
            HBox inputs = new HBox(8);
            VBox errors = new VBox(2);
            for (int f = 0; f < IDS.length; f++) {
                RuleField field = row.fields().get(f);
                Label label = new Label(field.label());
                label.setMinWidth(Region.USE_PREF_SIZE);
                TextField text = new TextField();
                text.setId(IDS[f] + i);
                text.textProperty().bindBidirectional(field.textProperty());
                label.setLabelFor(text);
                Label unit = new Label(field.unit());
                unit.setMinWidth(Region.USE_PREF_SIZE);
                unit.getStyleClass().add("form-unit");
                PseudoClasses.bind(text, "error", field.errorProperty().isNotEmpty());
                PseudoClasses.bind(text, "changed", field.changedProperty());
                inputs.getChildren().addAll(label, text, unit);
                Label error = new Label();
                error.setId(IDS[f] + i + "Error");
                error.getStyleClass().add("field-error");
                error.setWrapText(true);
                error.textProperty().bind(field.errorProperty());
                error.managedProperty().bind(field.errorProperty().isNotEmpty());
                errors.getChildren().add(error);
            }
            Button remove = new Button("Remove");
            remove.setMinWidth(Region.USE_PREF_SIZE);
            remove.setId("programRemove" + i);
            remove.setOnAction(event -> program.remove(row));
            inputs.getChildren().add(remove);
            inputs.getStyleClass().add("program-period");
            grid.addRow(line++, inputs);
            grid.addRow(line++, errors);
        }
    }
}
