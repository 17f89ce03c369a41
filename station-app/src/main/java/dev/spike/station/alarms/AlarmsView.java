package dev.spike.station.alarms;

import dev.spike.station.store.AlarmRecord.Severity;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Alarms.fxml}: every agent's alarms, newest first. Rows carry pseudo-classes
 * {@code :active}, {@code :cleared}, {@code :acknowledged} and {@code :unacknowledged}.
 */
public class AlarmsView {

    private static final PseudoClass ACTIVE = PseudoClass.getPseudoClass("active");
    private static final PseudoClass CLEARED = PseudoClass.getPseudoClass("cleared");
    private static final PseudoClass ACKNOWLEDGED = PseudoClass.getPseudoClass("acknowledged");
    private static final PseudoClass UNACKNOWLEDGED = PseudoClass.getPseudoClass("unacknowledged");
    private static final PseudoClass CRITICAL = PseudoClass.getPseudoClass("critical");
    private static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");

    @FXML
    private VBox root;
    @FXML
    private Label summary;
    @FXML
    private Button acknowledgeButton;
    @FXML
    private Button acknowledgeAllButton;
    @FXML
    private TableView<AlarmRow> table;
    @FXML
    private TableColumn<AlarmRow, String> raisedColumn;
    @FXML
    private TableColumn<AlarmRow, String> sourceColumn;
    @FXML
    private TableColumn<AlarmRow, String> severityColumn;
    @FXML
    private TableColumn<AlarmRow, String> stateColumn;
    @FXML
    private TableColumn<AlarmRow, String> messageColumn;

    private AlarmsViewModel model;

    @FXML
    private void initialize() {
        text(raisedColumn, AlarmRow::raisedText);
        text(sourceColumn, AlarmRow::sourceText);
        text(severityColumn, row -> row.severity().name().toLowerCase(Locale.ROOT));
        text(stateColumn, AlarmsView::state);
        text(messageColumn, AlarmRow::message);
        table.setRowFactory(t -> new TableRow<>() {
            {
                getStyleClass().add("alarm-row");
            }

            @Override
            protected void updateItem(AlarmRow item, boolean empty) {
                super.updateItem(item, empty);
                boolean filled = !empty && item != null;
                pseudoClassStateChanged(ACTIVE, filled && item.active());
                pseudoClassStateChanged(CLEARED, filled && !item.active());
                pseudoClassStateChanged(ACKNOWLEDGED, filled && item.acknowledged());
                pseudoClassStateChanged(UNACKNOWLEDGED, filled && !item.acknowledged());
                pseudoClassStateChanged(CRITICAL, filled && item.severity() == Severity.CRITICAL);
                pseudoClassStateChanged(WARNING, filled && item.severity() == Severity.WARNING);
            }
        });
    }

    public void bind(AlarmsViewModel alarms) {
        this.model = alarms;
        table.setItems(alarms.alarms());
        acknowledgeButton.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            AlarmRow selected = table.getSelectionModel().getSelectedItem();
            return selected == null || selected.acknowledged();
        }, table.getSelectionModel().selectedItemProperty(), alarms.alarms()));
        acknowledgeAllButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> alarms.alarms().stream().allMatch(AlarmRow::acknowledged), alarms.alarms()));
        summary.textProperty().bind(Bindings.createStringBinding(() -> {
            long active = alarms.alarms().stream().filter(AlarmRow::active).count();
            long open = alarms.alarms().stream().filter(a -> !a.acknowledged()).count();
            return active + " active · " + open + " to acknowledge";
        }, alarms.alarms()));
    }

    /** Selects and shows the alarm with {@code alarmId}, if it is listed. */
    public void select(long alarmId) {
        for (AlarmRow row : table.getItems()) {
            if (row.id() == alarmId) {
                table.getSelectionModel().select(row);
                table.scrollTo(row);
                table.requestFocus();
                return;
            }
        }
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void acknowledge() {
        AlarmRow selected = table.getSelectionModel().getSelectedItem();
        if (selected != null) {
            model.acknowledge(selected.id());
        }
    }

    @FXML
    private void acknowledgeAll() {
        model.acknowledgeAll();
    }

    /** "active", "cleared 2026-05-01 18:20:00", with "· acknowledged 18:16 by alice" once acknowledged. */
    static String state(AlarmRow alarm) {
        String state = alarm.active() ? "active" : "cleared " + alarm.clearedText();
        if (alarm.acknowledged()) {
            state += " · acknowledged" + (alarm.acknowledgedText().isEmpty() ? "" : " " + alarm.acknowledgedText());
        }
        return state;
    }

    private static void text(TableColumn<AlarmRow, String> column, Function<AlarmRow, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }
}
