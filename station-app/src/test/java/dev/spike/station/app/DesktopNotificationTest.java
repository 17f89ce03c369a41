package dev.spike.station.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.AlarmKind;
import dev.spike.station.alarms.AlarmRow;
import dev.spike.station.connection.FakeGateway;
import dev.spike.station.desktop.DesktopAlerts;
import dev.spike.station.desktop.DesktopNotifications;
import dev.spike.station.desktop.DesktopSession;
import dev.spike.station.store.PlatformDirs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
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
 * The station's desktop notifications end to end: an agent's alarm while the window is minimised reaches a real
 * notification server (dunst, on a private D-Bus session bus), and a click on it brings the window back with the
 * alarm selected. The station is the real {@link StationContext} over the fake gateway through the codec.
 */
@ExtendWith(ApplicationExtension.class)
class DesktopNotificationTest {

    private static final String AGENT = "terrarium-1";

    @TempDir
    Path dir;

    private Stage stage;
    private StationContext station;
    private ScriptedAgent agent;
    private DesktopSession desktop;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        desktop = DesktopSession.start(dir);
        Clock clock = Clock.system(ZoneId.of("Europe/Berlin"));
        FakeGateway gateway = new FakeGateway("station-desktop-test");
        station = StationContext.open(clock, new PlatformDirs(dir.resolve("config"), dir.resolve("data")), gateway,
                Platform::runLater, "keeper");
        StationApp.show(stage, station);
        station.desktop.connect(onClick -> DesktopNotifications.open(desktop.address(), onClick));
        gateway.connect();
        agent = new ScriptedAgent(gateway, AGENT, clock, Duration.ZERO).announce();
    }

    @AfterEach
    void close() throws Exception {
        onFx(() -> {
            // TestFX hands the same stage to the next test class: a minimised one takes no keys
            stage.setIconified(false);
            station.close();
            return null;
        });
        desktop.close();
    }

    private static <T> T onFx(Callable<T> task) throws Exception {
        return WaitForAsyncUtils.asyncFx(task).get();
    }

    private void awaitConnected() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                onFx(() -> station.desktop.serviceProperty().get())).isEqualTo("the desktop's notification service"));
    }

    @Test
    void anAlarmWhileMinimisedIsNotifiedAndItsClickBringsTheWindowToThatAlarm(FxRobot robot) throws Exception {
        awaitConnected();
        onFx(() -> {
            stage.setIconified(true);
            return null;
        });
        assertThat(onFx(() -> station.desktop.windowProperty().get())).isEqualTo(DesktopAlerts.Window.AWAY);

        agent.raiseAlarm(AlarmKind.LOW, "humidity below 60 % for 15 min");

        await().atMost(Duration.ofSeconds(20)).until(() -> !desktop.shown().isEmpty());
        AlarmRow raised = onFx(() -> station.alarms.alarms().get(0));
        assertThat(desktop.shown()).containsExactly(
                "Spike: " + AGENT + "\t" + raised.message() + "\tdialog-error\tCRITICAL");

        desktop.clickNewest();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(onFx(stage::isIconified)).isFalse();
            assertThat(onFx(() -> robot.lookup(".main-tabs").queryAs(javafx.scene.control.TabPane.class)
                    .getSelectionModel().getSelectedItem().getText())).startsWith("Alarms");
            @SuppressWarnings("unchecked")
            TableView<AlarmRow> table = robot.lookup(".alarm-table").queryAs(TableView.class);
            assertThat(onFx(() -> table.getSelectionModel().getSelectedItem().id())).isEqualTo(raised.id());
        });
    }

    @Test
    void turnedOffInTheTopBarNothingIsNotifiedAndTheSettingIsKept(FxRobot robot) throws Exception {
        awaitConnected();
        ToggleButton toggle = robot.lookup(".notify-toggle").queryAs(ToggleButton.class);
        assertThat(onFx(toggle::isSelected)).isTrue();
        robot.clickOn(toggle);
        onFx(() -> {
            stage.setIconified(true);
            return null;
        });

        agent.raiseAlarm(AlarmKind.LOW, "humidity below 60 % for 15 min");

        await().atMost(Duration.ofSeconds(20)).until(() -> onFx(() -> station.alarms.alarms().size()) == 1);
        // the alarm list has it; give a notice that should not come the time one that should takes
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> desktop.shown().isEmpty());
        assertThat(dev.spike.station.connection.BrokerSettingsFile.inDir(dir.resolve("config"))
                .desktopNotifications()).isFalse();
    }
}
