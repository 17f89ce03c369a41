package dev.spike.station.app;

import dev.spike.station.app.AlarmsModel.AlarmItem;
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
    private TableView<AlarmItem> table;
    @FXML
    private TableColumn<AlarmItem, String> raisedColumn;
    @FXML
    private TableColumn<AlarmItem, String> sourceColumn;
    @FXML
    private TableColumn<AlarmItem, String> severityColumn;
    @FXML
    private TableColumn<AlarmItem, String> stateColumn;
    @FXML
    private TableColumn<AlarmItem, String> messageColumn;

    private AlarmsModel model;

    @FXML
    private void initialize() {
        text(raisedColumn, AlarmItem::raisedText);
        text(sourceColumn, AlarmItem::source);
        text(severityColumn, AlarmItem::severity);
        text(stateColumn, AlarmsView::state);
        text(messageColumn, AlarmItem::message);
        table.setRowFactory(t -> new TableRow<>() {
            {
                getStyleClass().add("alarm-row");
            }

            @Override
            protected void updateItem(AlarmItem item, boolean empty) {
                super.updateItem(item, empty);
                boolean filled = !empty && item != null;
                pseudoClassStateChanged(ACTIVE, filled && item.active());
                pseudoClassStateChanged(CLEARED, filled && !item.active());
                pseudoClassStateChanged(ACKNOWLEDGED, filled && item.acknowledged());
                pseudoClassStateChanged(UNACKNOWLEDGED, filled && !item.acknowledged());
                pseudoClassStateChanged(CRITICAL, filled && "critical".equals(item.severity()));
                pseudoClassStateChanged(WARNING, filled && "warning".equals(item.severity()));
            }
        });
    }

    public void bind(AlarmsModel alarms) {
        this.model = alarms;
        table.setItems(alarms.alarms());
        acknowledgeButton.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            AlarmItem selected = table.getSelectionModel().getSelectedItem();
            return selected == null || selected.acknowledged();
        }, table.getSelectionModel().selectedItemProperty(), alarms.alarms()));
        acknowledgeAllButton.disableProperty().bind(Bindings.createBooleanBinding(
                () -> alarms.alarms().stream().allMatch(AlarmItem::acknowledged), alarms.alarms()));
        summary.textProperty().bind(Bindings.createStringBinding(() -> {
            long active = alarms.alarms().stream().filter(AlarmItem::active).count();
            long open = alarms.alarms().stream().filter(a -> !a.acknowledged()).count();
            return active + " active · " + open + " to acknowledge";
        }, alarms.alarms()));
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void acknowledge() {
        AlarmItem selected = table.getSelectionModel().getSelectedItem();
        if (selected != null) {
            model.acknowledge(selected);
        }
    }

    @FXML
    private void acknowledgeAll() {
        model.acknowledgeAll();
    }

    /** "active", "cleared 2026-05-01 18:20:00", with "· acknowledged 18:16 by alice" once acknowledged. */
    static String state(AlarmItem alarm) {
        String state = alarm.active() ? "active" : "cleared " + alarm.clearedText();
        if (alarm.acknowledged()) {
            state += " · acknowledged" + (alarm.acknowledgedText().isEmpty() ? "" : " " + alarm.acknowledgedText());
        }
        return state;
    }

    private static void text(TableColumn<AlarmItem, String> column, Function<AlarmItem, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }
}
