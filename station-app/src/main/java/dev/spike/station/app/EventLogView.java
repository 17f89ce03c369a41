package dev.spike.station.app;

import dev.spike.station.app.EventLogModel.LogEntry;
import dev.spike.station.app.EventLogModel.Severity;
import java.time.ZoneId;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;

/** Controller of {@code EventLog.fxml}: the log, newest first; rows carry {@code :warning} or {@code :error}. */
public class EventLogView {

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
        ZoneId zone = ZoneId.systemDefault();
        text(timeColumn, e -> TimeTexts.moment(e.at(), zone));
        text(agentColumn, LogEntry::agentId);
        text(typeColumn, LogEntry::type);
        text(detailColumn, LogEntry::detail);
        table.setRowFactory(t -> new TableRow<>() {
            {
                getStyleClass().add("log-row");
            }

            @Override
            protected void updateItem(LogEntry item, boolean empty) {
                super.updateItem(item, empty);
                for (Severity severity : Severity.values()) {
                    pseudoClassStateChanged(PseudoClass.getPseudoClass(severity.name().toLowerCase(Locale.ROOT)),
                            !empty && item != null && item.severity() == severity);
                }
            }
        });
    }

    public void bind(EventLogModel log) {
        table.setItems(log.entries());
        filter.textProperty().bindBidirectional(log.filterProperty());
    }

    public VBox root() {
        return root;
    }

    private static void text(TableColumn<LogEntry, String> column, Function<LogEntry, String> value) {
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
    }
}
