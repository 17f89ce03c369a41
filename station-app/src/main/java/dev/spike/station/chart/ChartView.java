package dev.spike.station.chart;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.util.function.Function;
import java.time.format.DateTimeFormatter;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Controller of {@code Chart.fxml}: the readings chart with its range switch (1 h … 30 d), a button back to the
 * live view, and PNG and CSV export. Binds a {@link ChartViewModel}: its data, its "now" (the agent's clock) and the
 * agent's id for the exported files' names.
 */
public class ChartView {

    private static final DateTimeFormatter FILE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");

    @FXML
    private VBox root;
    @FXML
    private ToggleGroup ranges;
    @FXML
    private ReadingsChart chart;
    @FXML
    private Button liveButton;

    private String fileStem = "spike";
    /** Where an export goes, given the proposed file name (null cancels); null: ask with a save dialog. */
    private Function<String, File> saveTarget;

    /** Loads {@code Chart.fxml} and returns its controller; the node is {@link #root()}. */
    public static ChartView load() {
        FXMLLoader loader = new FXMLLoader(ChartView.class.getResource("Chart.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load Chart.fxml from the station jar: " + e.getMessage(), e);
        }
        return loader.getController();
    }

    @FXML
    private void initialize() {
        ranges.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                // a range is always chosen: clicking the selected one again keeps it (and returns to now)
                ranges.selectToggle(was);
                return;
            }
            chart.setRange(TimeRange.valueOf((String) now.getUserData()));
            chart.followNow();
        });
        chart.rangeProperty().addListener((o, was, now) -> select(now));
        liveButton.disableProperty().bind(chart.followingProperty());
    }

    public VBox root() {
        return root;
    }

    public ReadingsChart chart() {
        return chart;
    }

    /** Shows {@code model}'s chart: its data, its clock, its file names. */
    public void bind(ChartViewModel model) {
        chart.setClock(model.clock());
        chart.dataProperty().bind(model.dataProperty());
        fileStem = model.fileStemProperty().get();
        model.fileStemProperty().addListener((o, was, now) -> fileStem = now);
    }

    /**
     * Replaces the save dialog (for tests and scripts): {@code target} gets the proposed file name
     * ("terrarium-1-20260501-1800.png") and returns the file, or null to cancel.
     */
    public void setSaveTarget(Function<String, File> target) {
        this.saveTarget = target;
    }

    /** Shows the last {@code range} up to now. */
    public void showRange(TimeRange range) {
        chart.setRange(range);
        chart.followNow();
    }

    private void select(TimeRange range) {
        for (Toggle toggle : ranges.getToggles()) {
            if (range.name().equals(toggle.getUserData()) && !toggle.isSelected()) {
                ranges.selectToggle(toggle);
            }
        }
    }

    @FXML
    private void followNow() {
        chart.followNow();
        chart.requestFocus();
    }

    @FXML
    private void exportPng() {
        File file = choose("PNG image", "*.png", ".png");
        if (file != null) {
            try {
                chart.exportPng(file);
            } catch (IOException e) {
                fail("Could not save the chart as " + file + ": " + e.getMessage()
                        + ". Choose a folder you can write to.");
            }
        }
    }

    @FXML
    private void exportCsv() {
        File file = choose("CSV table", "*.csv", ".csv");
        if (file != null) {
            try {
                Files.writeString(file.toPath(), chart.visibleCsv(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                fail("Could not save the readings as " + file + ": " + e.getMessage()
                        + ". Choose a folder you can write to.");
            }
        }
    }

    private File choose(String description, String pattern, String extension) {
        String name = fileStem + "-" + LocalDateTime.now().format(FILE_STAMP) + extension;
        if (saveTarget != null) {
            return saveTarget.apply(name);
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export " + description);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, pattern));
        chooser.setInitialFileName(name);
        Window window = root.getScene() == null ? null : root.getScene().getWindow();
        return chooser.showSaveDialog(window);
    }

    private void fail(String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR, message);
        alert.setHeaderText("Export failed");
        if (root.getScene() != null) {
            alert.initOwner(root.getScene().getWindow());
        }
        alert.show();
    }
}
