package dev.spike.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.AlarmKind;
import dev.spike.model.SprayReason;
import dev.spike.station.chart.ReadingsChart;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.chart.TimeRange;
import dev.spike.station.connection.FakeGateway;
import dev.spike.station.store.PlatformDirs;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real station in its window: {@link StationContext} (store, feed, backfill, alarm tracker, every ViewModel) over
 * a {@link FakeGateway}, so all an agent says and every command goes through the protocol codec, with a
 * {@link ScriptedAgent} answering like the real one. What a person does: spray (accepted, then refused), correct a
 * rule, acknowledge an alarm, export the chart.
 */
@ExtendWith(ApplicationExtension.class)
class StationAppTest {

    private static final String AGENT = "terrarium-1";
    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");

    @TempDir
    Path dir;

    private Stage stage;
    private MainView view;
    private StationContext station;
    private ScriptedAgent agent;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Clock clock = Clock.system(ZoneId.of("Europe/Berlin"));
        FakeGateway gateway = new FakeGateway("station-ui-test");
        station = StationContext.open(clock, new PlatformDirs(dir.resolve("config"), dir.resolve("data")), gateway,
                Platform::runLater, "keeper");
        view = StationApp.show(stage, station);
        gateway.connect();
        // the agent's clock runs two hours ahead of the station's: times shown are the agent's, the skew is said
        agent = new ScriptedAgent(gateway, AGENT, clock, Duration.ofHours(2)).announce();
    }

    @AfterEach
    void close() throws Exception {
        onFx(() -> {
            station.close();
            return null;
        });
    }

    private static <T> T onFx(Callable<T> task) throws Exception {
        return WaitForAsyncUtils.asyncFx(task).get();
    }

    private String text(FxRobot robot, String query) throws Exception {
        return onFx(() -> robot.lookup(query).queryAs(Label.class).getText());
    }

    /**
     * Saves the window as {@code target/screenshots/<name>.png}: what a person sees at this step, on the real
     * station (for a look at the views, not compared with anything).
     */
    private void shot(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage image = onFx(() -> stage.getScene().snapshot(null));
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }

    private ReadingsChart chart() {
        return view.dashboard().chart().chart();
    }

    private void awaitAgentShown(FxRobot robot) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(text(robot, "#humidityValue")).isEqualTo("72.4");
            assertThat(onFx(() -> robot.lookup("#sprayButton").queryAs(Button.class).isDisabled())).isFalse();
        });
    }

    @Test
    void windowShowsTheAppIconAndTitle() {
        assertThat(stage.getTitle()).isEqualTo("Spike station");
        assertThat(stage.getIcons()).hasSize(7);
        assertThat(stage.getIcons()).allSatisfy(icon -> assertThat(icon.isError()).isFalse());
    }

    @Test
    void theSelectedAgentsChartEndsAtTheAgentsNowAndTheSkewIsShown(FxRobot robot) throws Exception {
        awaitAgentShown(robot);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(onFx(() -> chart().getData().humidity().size())).isEqualTo(31);
            assertThat(onFx(() -> chart().getData().sprays())).extracting(SprayBand::reason)
                    .containsExactly(SprayReason.LOW_HUMIDITY, SprayReason.EVENING);
        });
        long agentNow = agent.now().toEpochMilli();
        assertThat(onFx(() -> chart().getVisibleEndMs())).isBetween(agentNow - 5_000, agentNow + 5_000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text(robot, "#clock")).startsWith("simulated clock 2 h ahead of this computer's");
            assertThat(text(robot, "#humidityAge")).isEqualTo("just now");
        });
        shot("dashboard-agent-clock-ahead");
        assertThat(onFx(() -> robot.lookup(".agent-name").queryAs(Label.class).getText())).isEqualTo(AGENT);
    }

    @Test
    void aSprayIsConfirmedThenAcceptedOpenAndClosedThenARefusalShowsTheAgentsReason(FxRobot robot) throws Exception {
        awaitAgentShown(robot);

        robot.clickOn("#sprayButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#spray-dialog").tryQuery()).isPresent();
        robot.clickOn("#confirm-spray");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text(robot, "#progress")).startsWith("spraying, ").endsWith(" s left");
            assertThat(onFx(() -> robot.lookup("#sprayButton").queryAs(Button.class).isDisabled())).isTrue();
            assertThat(text(robot, "#valveState")).startsWith("Open, ");
        });
        shot("spray-open");
        agent.closeValve();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text(robot, "#progress")).isEqualTo("done: sprayed 6.0 s");
            assertThat(text(robot, "#valveState")).isEqualTo("Closed");
            assertThat(onFx(() -> chart().getData().sprays())).extracting(SprayBand::reason)
                    .contains(SprayReason.MANUAL);
        });

        agent.refuseSprays("runaway guard: the valve was open 60 s in the last hour");
        robot.clickOn("#sprayButton");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#confirm-spray");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Label progress = robot.lookup("#progress").queryAs(Label.class);
            assertThat(text(robot, "#progress"))
                    .isEqualTo("rejected: runaway guard: the valve was open 60 s in the last hour");
            assertThat(onFx(() -> progress.getPseudoClassStates()))
                    .contains(PseudoClass.getPseudoClass("rejected"));
        });
        shot("spray-refused");
    }

    @Test
    void aRuleFieldShowsItsOwnErrorAsItIsTypedAndAValidChangeIsApplied(FxRobot robot) throws Exception {
        awaitAgentShown(robot);
        robot.clickOn(robot.lookup(".tab-label").match(n -> "Rules".equals(((Label) n).getText()))
                .queryAs(Node.class));

        robot.doubleClickOn("#sprayDurationS").eraseText(4).write("45");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(text(robot, "#sprayDurationSError")).startsWith("sprayDurationS must be").contains("45");
            assertThat(text(robot, "#lowHumidityPctError")).isEmpty();
            assertThat(onFx(() -> robot.lookup("#applyButton").queryAs(Button.class).isDisabled())).isTrue();
        });
        shot("rules-field-error");

        robot.doubleClickOn("#sprayDurationS").eraseText(4).write("8");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(text(robot, "#sprayDurationSError")).isEmpty();
            assertThat(onFx(() -> robot.lookup("#applyButton").queryAs(Button.class).isDisabled())).isFalse();
        });
        robot.clickOn("#applyButton");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text(robot, "#rulesStatus")).isEqualTo("accepted: the new rules are in force on " + AGENT);
            assertThat(onFx(() -> station.rules.rulesInForceProperty().get().sprayDurationS())).isEqualTo(8);
            assertThat(onFx(() -> robot.lookup("#sprayDurationS").queryAs(TextField.class).getText()))
                    .isEqualTo("8");
        });
    }

    @Test
    void anAlarmFromTheAgentIsCountedAndAcknowledged(FxRobot robot) throws Exception {
        awaitAgentShown(robot);
        agent.raiseAlarm(AlarmKind.LOW, "humidity below 60 % for 15 min");
        Button badge = robot.lookup(".alarm-badge").queryAs(Button.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(onFx(badge::getText)).isEqualTo("1"));

        robot.clickOn(badge);
        robot.clickOn(robot.lookup(".alarm-row").match(n -> !((javafx.scene.control.TableRow<?>) n).isEmpty())
                .queryAs(Node.class));
        robot.clickOn("#acknowledgeButton");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(onFx(badge::getText)).isEqualTo("0");
            assertThat(onFx(() -> badge.getPseudoClassStates())).doesNotContain(PseudoClass.getPseudoClass("active"));
            assertThat(onFx(() -> station.alarms.alarms().get(0).acknowledgedText())).endsWith("by keeper");
        });
        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Alarms");
    }

    @Test
    void theWaterStripPlotsEachSprayRiseOnAnAxisItsPointsFit(FxRobot robot) throws Exception {
        awaitAgentShown(robot);
        agent.sprayEffect(30, 11.9);
        agent.sprayEffect(3, 15.5);

        ScatterChart<?, ?> rises = robot.lookup(".rise-chart").queryAs(ScatterChart.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            int plotted = onFx(() -> rises.getData().get(0).getData().size());
            assertThat(plotted).isEqualTo(2);
        });
        NumberAxis riseAxis = (NumberAxis) rises.getYAxis();
        double top = onFx(riseAxis::getUpperBound);
        double bottom = onFx(riseAxis::getLowerBound);
        double highestAt = onFx(() -> riseAxis.getDisplayPosition(15.5));
        double height = onFx(riseAxis::getHeight);
        assertThat(top).as("the next 10 points above the highest rise").isEqualTo(20.0);
        assertThat(bottom).isZero();
        assertThat(highestAt).as("the highest point is drawn inside the plot, high enough to tell from 0")
                .isStrictlyBetween(0.0, height / 2);
        shot("water-strip");
    }

    @Test
    void theVisibleChartIsExportedAsCsvAndPng(FxRobot robot) throws Exception {
        awaitAgentShown(robot);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(onFx(() -> chart().getData().humidity().size())).isEqualTo(31));
        Path exports = Files.createDirectories(dir.resolve("exports"));
        onFx(() -> {
            view.dashboard().chart().setSaveTarget(name -> exports.resolve(name).toFile());
            return null;
        });

        robot.clickOn("#csvButton");
        robot.clickOn("#pngButton");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (var files = Files.list(exports)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(n -> n.startsWith(AGENT + "-") && n.endsWith(".csv"))
                        .anyMatch(n -> n.startsWith(AGENT + "-") && n.endsWith(".png"));
            }
        });
        try (var files = Files.list(exports)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                if (file.toString().endsWith(".png")) {
                    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
                } else {
                    String csv = new String(bytes, StandardCharsets.UTF_8);
                    assertThat(csv.lines().count()).isGreaterThan(10);
                    assertThat(csv).startsWith("time,humidity_pct,temperature_c");
                }
            }
        }
    }

    @Test
    void themeToggleSwitchesTheWholeWindowIncludingTheChart(FxRobot robot) {
        Color lightChart = chart().getModel().palette().background();

        robot.clickOn("#themeToggle");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#themeToggle").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(view.root().getPseudoClassStates()).contains(DARK);
        assertThat(brightness(chart().getModel().palette().background())).isLessThan(brightness(lightChart));

        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(view.root().getPseudoClassStates()).doesNotContain(DARK);
    }

    @Test
    void shortcutSwitchesTheChartRange(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(chart().getRange()).isEqualTo(TimeRange.DAYS_30);
        assertThat(robot.lookup("#range30d").queryAs(ToggleButton.class).isSelected()).isTrue();
    }

    @Test
    void theSimulationTabShowsTheSimulatedSensorAndTank(FxRobot robot) throws Exception {
        awaitAgentShown(robot);
        robot.clickOn(robot.lookup(".tab-label").match(n -> "Simulation".equals(((Label) n).getText()))
                .queryAs(Node.class));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text(robot, "#sensorState")).startsWith("working: 72.4 %, last read ");
            assertThat(text(robot, "#tankState")).isEqualTo("sprays raise the humidity: water in the tank");
        });
        shot("simulation");
    }

    private static float brightness(Color c) {
        return Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null)[2];
    }
}
