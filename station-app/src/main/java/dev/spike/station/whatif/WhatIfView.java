package dev.spike.station.whatif;

import dev.spike.station.chart.ReadingsChart;
import dev.spike.station.chart.TimeRange;
import java.time.Clock;
import java.time.ZoneId;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code WhatIf.fxml}: the period switch ({@code #day1}, {@code #days7}, {@code #days30}) and
 * {@code #previewButton} delegate to the {@link WhatIfViewModel}; {@code #table} lists its rows, {@code #chart} shows
 * its chart data over the period, {@code #note} says what a replay cannot know.
 */
public class WhatIfView {

    @FXML
    private VBox root;
    @FXML
    private ToggleGroup periods;
    @FXML
    private Button previewButton;
    @FXML
    private Label status;
    @FXML
    private Label note;
    @FXML
    private TableView<WhatIfViewModel.Row> table;
    @FXML
    private TableColumn<WhatIfViewModel.Row, String> labelColumn;
    @FXML
    private TableColumn<WhatIfViewModel.Row, String> currentColumn;
    @FXML
    private TableColumn<WhatIfViewModel.Row, String> proposedColumn;
    @FXML
    private ReadingsChart chart;

    private WhatIfViewModel model;

    public void bind(WhatIfViewModel whatIf) {
        this.model = whatIf;
        labelColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().label()));
        currentColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().current()));
        proposedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().proposed()));
        table.setItems(whatIf.rows());
        table.setPlaceholder(new Label("No preview yet"));
        status.textProperty().bind(whatIf.statusProperty());
        note.textProperty().bind(whatIf.noteProperty());
        note.visibleProperty().bind(whatIf.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        previewButton.disableProperty().bind(whatIf.runningProperty());
        select(whatIf.periodProperty().get());
        periods.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                select(whatIf.periodProperty().get());
                return;
            }
            whatIf.periodProperty().set(WhatIfViewModel.Period.valueOf((String) now.getUserData()));
        });
        chart.dataProperty().bind(whatIf.chartProperty());
        whatIf.outcomeProperty().addListener((o, was, now) -> {
            if (now != null) {
                // the chart's "now" is the end of the replayed period, its span the period's
                chart.setClock(Clock.fixed(now.to(), ZoneId.systemDefault()));
                chart.setRange(rangeOf(whatIf.periodProperty().get()));
                chart.followNow();
            }
        });
    }

    private static TimeRange rangeOf(WhatIfViewModel.Period period) {
        switch (period) {
            case DAY_1:
                return TimeRange.HOURS_24;
            case DAYS_7:
                return TimeRange.DAYS_7;
            default:
                return TimeRange.DAYS_30;
        }
    }

    private void select(WhatIfViewModel.Period period) {
        for (Toggle toggle : periods.getToggles()) {
            if (period.name().equals(toggle.getUserData())) {
                periods.selectToggle(toggle);
            }
        }
    }

    public VBox root() {
        return root;
    }

    @FXML
    private void preview() {
        model.preview();
    }
}
