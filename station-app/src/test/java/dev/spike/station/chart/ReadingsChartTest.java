package dev.spike.station.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.SprayReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import javafx.scene.Scene;
import javafx.geometry.VerticalDirection;
import javafx.scene.control.Button;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.jfree.chart.ui.Layer;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ReadingsChartTest {

    private static final long HOUR_MS = 3_600_000L;
    private static final long NOW = Instant.parse("2026-05-31T12:00:00Z").toEpochMilli();

    private ChartView view;
    private ChartData data;

    @Start
    void start(Stage stage) {
        data = new ChartData();
        data.update(() -> {
            for (long t = NOW - 30 * 24 * HOUR_MS; t <= NOW; t += 10_000) {
                data.humidity().append(t, 80 + 5 * Math.sin(t / 3_600_000.0));
                data.temperature().append(t, 26 + Math.cos(t / 3_600_000.0));
            }
            data.setLowHumidityPct(75);
        });
        data.addSpray(new SprayBand(NOW - 30 * 60_000L, NOW - 30 * 60_000L + 6_000, SprayReason.LOW_HUMIDITY));
        view = ChartView.load();
        view.chart().setClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
        view.chart().setData(data);
        Scene scene = new Scene(view.root(), 1100, 600);
        scene.getStylesheets().add(getClass().getResource("/dev/spike/station/app/app.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void switchesBetweenTheRanges(FxRobot robot) {
        for (TimeRange range : TimeRange.values()) {
            String id = "#range" + range.label().replace(" ", "");
            robot.clickOn(id);
            WaitForAsyncUtils.waitForFxEvents();

            assertThat(robot.lookup(id).queryAs(ToggleButton.class).isSelected()).as(id).isTrue();
            assertThat(view.chart().getRange()).isEqualTo(range);
            assertThat(view.chart().getVisibleEndMs()).isEqualTo(NOW);
            assertThat(view.chart().getVisibleEndMs() - view.chart().getVisibleStartMs()).isEqualTo(range.spanMs());
            assertThat((long) view.chart().getModel().timeAxis().getLowerBound()).isEqualTo(NOW - range.spanMs());
        }
    }

    @Test
    void zoomingLeavesTheLiveViewUntilNowIsPressed(FxRobot robot) {
        robot.clickOn("#range6h");
        robot.clickOn("#readings-chart-viewer");
        robot.type(KeyCode.MINUS);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.chart().isFollowing()).isFalse();
        assertThat(view.chart().getVisibleEndMs() - view.chart().getVisibleStartMs()).isEqualTo(9 * HOUR_MS);
        assertThat(robot.lookup("#liveButton").queryAs(Button.class).isDisabled()).isFalse();

        robot.clickOn("#liveButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.chart().isFollowing()).isTrue();
        assertThat(view.chart().getVisibleStartMs()).isEqualTo(NOW - 6 * HOUR_MS);
        assertThat(view.chart().getVisibleEndMs()).isEqualTo(NOW);
    }

    @Test
    void mouseWheelZoomsTheTimeAxisOnly(FxRobot robot) {
        robot.clickOn("#range24h");
        double humidityLow = view.chart().getModel().plot().getRangeAxis(0).getLowerBound();

        robot.moveTo("#readings-chart-viewer").scroll(2, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.chart().isFollowing()).isFalse();
        assertThat(view.chart().getVisibleEndMs() - view.chart().getVisibleStartMs()).isNotEqualTo(24 * HOUR_MS);
        assertThat(view.chart().getModel().plot().getRangeAxis(0).getLowerBound()).isEqualTo(humidityLow);
    }

    @Test
    void aNewReadingMovesTheLiveWindowOn(FxRobot robot) {
        robot.clickOn("#range1h");
        long later = NOW + 60_000;
        robot.interact(() -> view.chart().setClock(Clock.fixed(Instant.ofEpochMilli(later), ZoneOffset.UTC)));

        robot.interact(() -> data.appendHumidity(later, 77));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.chart().getVisibleEndMs()).isEqualTo(later);
    }

    @Test
    void redrawsFromAtMostTwoPointsPerPixelColumn(FxRobot robot) {
        robot.clickOn("#range30d");
        WaitForAsyncUtils.waitForFxEvents();

        int width = (int) view.chart().getViewer().getWidth();
        assertThat(view.chart().getModel().plot().getDataset(0).getItemCount(0)).isLessThanOrEqualTo(2 * width + 2);
        assertThat(view.chart().getModel().plot().getDataset(1).getItemCount(0)).isLessThanOrEqualTo(2 * width + 2);
    }

    @Test
    void showsTheSprayAsABandInItsReasonsColour(FxRobot robot) {
        robot.clickOn("#range1h");
        WaitForAsyncUtils.waitForFxEvents();

        Collection<?> markers = view.chart().getModel().plot().getDomainMarkers(0, Layer.BACKGROUND);
        assertThat(markers).hasSize(1);
        ReadingsPlot.SprayMarker band = (ReadingsPlot.SprayMarker) markers.iterator().next();
        assertThat(band.getStartValue()).isEqualTo(NOW - 30 * 60_000L);
        assertThat(band.reason()).isEqualTo(SprayReason.LOW_HUMIDITY);
        assertThat(band.getPaint()).isEqualTo(view.chart().getModel().palette().spray(SprayReason.LOW_HUMIDITY));
        assertThat(view.chart().getModel().spraysInLane()).isFalse();
    }
}
