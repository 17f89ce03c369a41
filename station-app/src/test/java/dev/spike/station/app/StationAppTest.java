package dev.spike.station.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.SprayReason;
import dev.spike.station.chart.ReadingsChart;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.chart.TimeRange;
import dev.spike.station.connection.ConnectionState;
import java.awt.Color;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class StationAppTest {

    private static final Instant NOW = Instant.parse("2026-05-31T12:00:00Z");
    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");

    private Stage stage;
    private MainView view;
    private DemoStation demo;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        demo = new DemoStation(Clock.fixed(NOW, ZoneId.of("Europe/Berlin")));
        view = StationApp.show(stage, demo);
    }

    private ReadingsChart chart() {
        return view.dashboard().chart().chart();
    }

    @Test
    void windowShowsTheAppIconAndTitle() {
        assertThat(stage.getTitle()).isEqualTo("Spike station");
        assertThat(stage.getIcons()).hasSize(7);
        assertThat(stage.getIcons()).allSatisfy(icon -> assertThat(icon.isError()).isFalse());
        assertThat(stage.getIcons()).extracting(icon -> (int) icon.getWidth())
                .containsExactly(16, 24, 32, 48, 64, 128, 256);
    }

    @Test
    void themeToggleSwitchesTheWholeWindowIncludingTheChart(FxRobot robot) {
        Color lightChart = chart().getModel().palette().background();
        assertThat(view.root().getPseudoClassStates()).doesNotContain(DARK);

        robot.clickOn("#themeToggle");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#themeToggle").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(view.root().getPseudoClassStates()).contains(DARK);
        Color darkChart = chart().getModel().palette().background();
        assertThat(brightness(darkChart)).isLessThan(brightness(lightChart));

        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.root().getPseudoClassStates()).doesNotContain(DARK);
        assertThat(chart().getModel().palette().background()).isEqualTo(lightChart);
    }

    @Test
    void chartFollowsTheSelectedAgentUpToNow() {
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(chart().getData()).isSameAs(demo.chartData("terrarium-1"));
        assertThat(chart().getVisibleEndMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(chart().isFollowing()).isTrue();
    }

    @Test
    void shortcutSwitchesTheChartRange(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(chart().getRange()).isEqualTo(TimeRange.DAYS_30);
        assertThat(robot.lookup("#range30d").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(chart().getVisibleStartMs()).isEqualTo(NOW.toEpochMilli() - TimeRange.DAYS_30.spanMs());
    }

    @Test
    void sprayAsksFirstThenOpensTheValve(FxRobot robot) {
        robot.clickOn("#sprayButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#spray-dialog").tryQuery()).isPresent();

        robot.clickOn("#confirm-spray");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#valveState").queryAs(Label.class).getText()).isEqualTo("Open · 6 s left");
        assertThat(robot.lookup("#sprayButton").queryAs(Button.class).isDisabled()).isTrue();
        List<SprayBand> sprays = demo.chartData("terrarium-1").sprays();
        SprayBand last = sprays.get(sprays.size() - 1);
        assertThat(last.startMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(last.reason()).isEqualTo(SprayReason.MANUAL);
    }

    @Test
    void cancellingTheSprayLeavesTheValveClosed(FxRobot robot) {
        robot.clickOn("#sprayButton");
        WaitForAsyncUtils.waitForFxEvents();

        robot.clickOn("#cancel-spray");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#valveState").queryAs(Label.class).getText()).isEqualTo("Closed");
    }

    @Test
    void connectionIndicatorShowsReconnectingWithItsAttempt(FxRobot robot) {
        robot.interact(() -> demo.setConnection(ConnectionState.reconnecting("tcp://pi:1883", 3, "timeout")));

        Button indicator = robot.lookup("#connectionIndicator").queryAs(Button.class);
        assertThat(indicator.getPseudoClassStates()).contains(PseudoClass.getPseudoClass("reconnecting"));
        assertThat(indicator.getText()).isEqualTo("Reconnecting (attempt 3)");
        assertThat(robot.lookup("#sprayButton").queryAs(Button.class).isDisabled()).isTrue();
    }

    @Test
    void simulationTabIsOfferedOnlyForASimulatedAgent(FxRobot robot) {
        assertThat(view.tabs().getTabs()).extracting(t -> t.getText()).doesNotContain("Simulation");

        robot.clickOn(robot.lookup(".agent-name")
                .match(node -> "rainforest-2".equals(((Label) node).getText())).queryAs(Label.class));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(demo.selectedAgentProperty().get()).isEqualTo("rainforest-2");
        assertThat(view.tabs().getTabs()).extracting(t -> t.getText()).contains("Simulation");
    }

    @Test
    void alarmBadgeCountsUnacknowledgedAlarmsAndOpensThem(FxRobot robot) {
        Button badge = robot.lookup(".alarm-badge").queryAs(Button.class);
        assertThat(badge.getText()).isEqualTo("2");

        robot.clickOn(badge);
        robot.clickOn("#acknowledgeAllButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Alarms");
        assertThat(badge.getText()).isEqualTo("0");
        assertThat(badge.getPseudoClassStates()).doesNotContain(PseudoClass.getPseudoClass("active"));
    }

    private static float brightness(Color c) {
        return Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null)[2];
    }
}
