package dev.spike.station.calibration;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import dev.spike.station.ui.Fxml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What a keeper does on the calibration page: choose the second sensor and table salt, start waiting, see the raw
 * reading and the time waited, record it once settled, send it, see the agent accept. The ViewModel runs on the FX
 * thread over a fake gateway; the agent's messages go through the real codec.
 */
@ExtendWith(ApplicationExtension.class)
class CalibrationViewTest {

    private TestStation station;
    private CalibrationViewModel model;
    private Stage stage;
    private long seq = 10;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        station = TestStation.open(Files.createTempDirectory("calibration-view"));
        station.gateway.connect();
        SelectedAgent selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        model = new CalibrationViewModel(selected, station.gateway, TestStation.UI);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        selected.select(AGENT);
        reading(70, 71.2);
        CalibrationView view = Fxml.load(CalibrationView.class, "Calibration.fxml");
        view.bind(model);
        Scene scene = new Scene(view.root(), 1000, 760);
        scene.getStylesheets().add(getClass().getResource("/dev/spike/station/app/app.css").toExternalForm());
        scene.getStylesheets().add(getClass().getResource("/dev/spike/station/app/lists.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
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

    private void reading(double raw1, double raw2) {
        station.gateway.receive(Topic.event(AGENT, EventType.HUMIDITY_CHANGED), new HumidityChanged(AGENT, ++seq,
                station.now(), (raw1 + raw2) / 2, raw1, raw1, raw2, raw2));
    }

    private void later(int minutes, Double raw2) throws Exception {
        onFx(() -> {
            station.clock.advance(Duration.ofMinutes(minutes));
            if (raw2 != null) {
                reading(70, raw2);
            }
            model.refresh();
            return null;
        });
    }

    private String label(FxRobot robot, String id) throws Exception {
        return onFx(() -> robot.lookup(id).queryAs(Label.class).getText());
    }

    private boolean disabled(FxRobot robot, String id) throws Exception {
        return onFx(() -> robot.lookup(id).queryAs(Button.class).isDisabled());
    }

    @Test
    void aSaltTestOfTheSecondSensorFromPackToAcceptedCalibration(FxRobot robot) throws Exception {
        robot.clickOn("#sensor2Toggle");
        robot.clickOn("#naclToggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(onFx(() -> robot.lookup("#sensor2Toggle").queryAs(ToggleButton.class).isSelected())).isTrue();
        assertThat(label(robot, "#liveReading")).startsWith("sensor 2 reads 71.2 % raw");
        assertThat(disabled(robot, "#recordButton")).isTrue();

        robot.clickOn("#startButton");
        later(5, 74.8);
        assertThat(label(robot, "#waitState")).startsWith("waited 5 min; not settled yet");
        assertThat(label(robot, "#liveReading")).startsWith("sensor 2 reads 74.8 % raw");
        later(31, null);
        assertThat(label(robot, "#waitState")).startsWith("waited 36 min; settled at 74.80 % raw");
        assertThat(disabled(robot, "#recordButton")).isFalse();

        robot.clickOn("#recordButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(label(robot, "#preview")).isEqualTo("sensor 2 will read offset +0.5 %RH (one salt)");
        shot("calibration-salt-test");
        robot.clickOn("#sendButton");
        WaitForAsyncUtils.waitForFxEvents();

        CalibrationCommand sent = station.gateway.sent(CalibrationCommand.class).get(0);
        assertThat(sent.sensorNumber()).isEqualTo(2);
        assertThat(sent.rawAtNaClPct()).isEqualTo(74.8);
        onFx(() -> {
            station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                    TestEvents.result(++seq, station.now(), sent.id(), CommandKind.CALIBRATION, true, null));
            return null;
        });
        assertThat(label(robot, "#calibrationStatus")).isEqualTo("accepted: sensor 2 is calibrated");
    }

    private void shot(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage image = onFx(() -> stage.getScene().snapshot(null));
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }
}
