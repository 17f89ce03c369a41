package dev.spike.station.log;

import dev.spike.model.event.EventType;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code EventLog.fxml}: the selected agent's {@link EventLogViewModel}, newest first, times as the
 * agent stamped them; rows carry {@code :warning} or {@code :error}.
 */
public class EventLogView {

    private static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");

    @FXML
    private VBox root;
    @FXML
    private TextField filter;
    @FXML
    private TableView<LogEntry> table;
    @FXML
    private TableColumn<LogEntry, String> timeColumn;
    @FXML
    private TableColumn<LogEntry, String> agentColumn;
    @FXML
    private TableColumn<LogEntry, String> typeColumn;
    @FXML
    private TableColumn<LogEntry, String> detailColumn;

    @FXML
    private void initialize() {
        text(timeColumn, LogEntry::timeText);
        text(agentColumn, e -> e.event().agentId());
        text(typeColumn, LogEntry::typeText);
        text(detailColumn, LogEntry::text);
        table.setRowFactory(t -> new TableRow<>() {
            {
                getStyleClass().add("log-row");
            }

            @Override
            protected void updateItem(LogEntry item, boolean empty) {
                super.updateItem(item, empty);
                EventType type = empty || item == null ? null : item.type();
                pseudoClassStateChanged(ERROR, type == EventType.HUMIDITY_ALARM || type == EventType.SENSOR_ERROR);
                pseudoClassStateChanged(WARNING, type == EventType.SPRAY_SKIPPED || type == EventType.MODE_CHANGED
                        || type == EventType.COMMAND_RESULT);
            }
        });
    }

    public void bind(EventLogViewModel log) {
        table.setItems(log.entries());
        filter.textProperty().bindBidirectional(log.searchProperty());
    }

    public VBox root() {
        return root;
    }

    private static void text(TableColumn<LogEntry, String> column, Function<LogEntry, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }
}
