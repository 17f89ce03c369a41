package dev.spike.station.rules;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.Program;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.app.StationApp;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import javafx.fxml.FXMLLoader;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A keeper adds a night period in the rules editor, sees a field's own error, corrects it, applies, removes it. */
@ExtendWith(ApplicationExtension.class)
class RulesViewProgramTest {

    @TempDir
    Path dir;

    private TestStation station;
    private RulesViewModel vm;

    @Start
    void start(Stage stage) throws IOException {
        station = TestStation.open(dir);
        station.gateway.connect();
        SelectedAgent selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new RulesViewModel(selected, station.gateway, TestStation.UI, station.clock);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        selected.select(AGENT);
        FXMLLoader loader = new FXMLLoader(RulesView.class.getResource("/dev/spike/station/rules/Rules.fxml"));
        loader.load();
        RulesView view = loader.getController();
        view.bind(vm);
        Scene scene = new Scene(view.root(), 1100, 900);
        scene.getStylesheets().addAll(StationApp.class.getResource(StationApp.STYLESHEET).toExternalForm(),
                StationApp.class.getResource(StationApp.LISTS_STYLESHEET).toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void close() {
        station.close();
    }

    @Test
    void aKeeperAddsANightPeriodCorrectsItsThresholdAppliesAndRemovesIt(FxRobot robot) {
        assertThat(robot.lookup("#programNone").tryQuery()).isPresent();

        robot.clickOn("#programAdd");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#programFrom0")).isEqualTo("22:00");
        assertThat(text(robot, "#programTo0")).isEqualTo("07:00");
        assertThat(text(robot, "#programThreshold0")).isEqualTo("85");

        robot.doubleClickOn("#programThreshold0").eraseText(2).write("120");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#programThreshold0Error").queryAs(Label.class).getText())
                .isEqualTo("program[0].lowHumidityPct must be 1..99, was 120");
        assertThat(robot.lookup("#applyButton").queryAs(Button.class).isDisabled()).isTrue();

        robot.doubleClickOn("#programThreshold0").eraseText(3).write("88");
        robot.clickOn("#programCooldown0").write("20");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#programThreshold0Error").queryAs(Label.class).getText()).isEmpty();
        robot.clickOn("#applyButton");
        WaitForAsyncUtils.waitForFxEvents();

        List<ConfigCommand> sent = station.gateway.sent(ConfigCommand.class);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).rules().program()).isEqualTo(Program.of(
                new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 88, 20)));

        robot.interact(() -> {
            station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                    TestEvents.result(1, T0, sent.get(0).id(), CommandKind.CONFIG, true, null));
            station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, sent.get(0).rules()));
        });
        assertThat(robot.lookup("#rulesStatus").queryAs(Label.class).getText())
                .isEqualTo("accepted: the new rules are in force on " + AGENT);
        robot.clickOn("#programRemove0");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#programFrom0").tryQuery()).isEmpty();
        assertThat(robot.lookup("#programNone").tryQuery()).isPresent();
        assertThat(robot.lookup("#applyButton").queryAs(Button.class).isDisabled()).as("removal is a change")
                .isFalse();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(TextField.class).getText();
    }
}
