package dev.spike.station.app;

import dev.spike.station.broker.BrokerException;
import dev.spike.station.demo.DemoSystem;
import dev.spike.station.desktop.DesktopNotifications;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.ui.AppIcons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import javafx.scene.control.Alert;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The station's JavaFX application. Start it through {@link Launcher} (a plain-classpath jar cannot start a class
 * that extends {@code Application} directly).
 *
 * <p>Normally it opens the station ({@link StationContext}: store, broker connection, ViewModels) and connects with
 * the saved broker settings, or asks for them first. With {@code --demo} it first starts the whole system
 * ({@link DemoSystem}: built-in broker and a simulated agent process), with a store of its own in a temporary
 * folder, and connects to it; closing the window stops everything. The simulated agent first lives through a day
 * (a few seconds), so the station opens on a day of history, sent, backfilled and stored through the real path.
 * {@code --sample-data} is the same system with the agent's clock at real time after its day, so the agent's and
 * the station's clocks agree (for trying the window and for screenshots). {@code --dark} starts in the dark theme.
 */
public class StationApp extends Application {

    /** The window title. */
    public static final String TITLE = "Spike station";

    /** The app stylesheet: palette, themes and shared control styles. */
    public static final String STYLESHEET = "/dev/spike/station/app/app.css";
    /** Tables, forms and pages of the tabs. */
    public static final String LISTS_STYLESHEET = "/dev/spike/station/app/lists.css";

    private StationContext context;
    private DemoSystem demoSystem;
    private Path demoDir;
    private Timeline everySecond;

    @Override
    public void start(Stage stage) {
        StationOptions options = StationOptions.parse(getParameters().getRaw().toArray(new String[0]));
        Clock clock = Clock.systemDefaultZone();
        if ((options.demo || options.sampleData) && !startDemoSystem(options)) {
            Platform.exit();
            return;
        }
        context = demoSystem != null
                ? StationContext.open(clock, new PlatformDirs(demoDir.resolve("config"), demoDir.resolve("data")))
                : StationContext.open(clock);
        MainView view = show(stage, context);
        // after the window is up: the desktop's notification service never delays it
        context.desktop.connect(DesktopNotifications::open);
        // ages, countdowns and answer timeouts move once a second
        everySecond = new Timeline(new KeyFrame(Duration.seconds(1), e -> context.refresh()));
        everySecond.setCycleCount(Animation.INDEFINITE);
        everySecond.play();
        if (demoSystem != null) {
            context.connection.uriProperty().set(demoSystem.brokerUri());
            context.connection.connect();
        } else if (context.connection.hasSavedSettings()) {
            context.connection.connect();
        } else {
            Platform.runLater(view::editConnection);
        }
        view.darkProperty().set(options.dark);
    }

    /** Starts broker and simulated agent; on failure says why in a dialog and on stderr, and returns false. */
    private boolean startDemoSystem(StationOptions options) {
        try {
            demoDir = Files.createTempDirectory("spike-demo");
            Path agentJar = DemoSystem.findAgentJar().orElseThrow(() -> new IOException(
                    "no agent jar found: build everything first with `mvn -B -DskipTests install` at the project"
                            + " root, or name it with -Dspike.agent.jar=PATH"));
            // --sample-data: after its day of history the agent's clock runs at real time, like the station's
            demoSystem = DemoSystem.start(new DemoSystem.Options(agentJar, options.brokerPort,
                    options.sampleData ? 1 : options.timeScale, "demo-terrarium", demoDir.resolve("agent")));
            return true;
        } catch (IOException | BrokerException e) {
            System.err.println("spike-station --demo: " + e.getMessage());
            Alert alert = new Alert(Alert.AlertType.ERROR, e.getMessage());
            alert.setHeaderText("The demo could not start");
            alert.showAndWait();
            return false;
        }
    }

    @Override
    public void stop() {
        if (everySecond != null) {
            everySecond.stop();
        }
        if (context != null) {
            context.close();
        }
        if (demoSystem != null) {
            demoSystem.close();
        }
        if (demoDir != null) {
            deleteRecursively(demoDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove the demo folder " + dir + ": " + e.getMessage());
        }
    }

    /** Puts the main window for {@code station} on {@code stage}: title, icons, stylesheet, size; and shows it. */
    public static MainView show(Stage stage, StationContext station) {
        MainView view = MainView.load();
        view.bind(station);
        Scene scene = new Scene(view.root(), 1280, 800);
        scene.getStylesheets().add(StationApp.class.getResource(STYLESHEET).toExternalForm());
        scene.getStylesheets().add(StationApp.class.getResource(LISTS_STYLESHEET).toExternalForm());
        stage.setTitle(TITLE);
        stage.getIcons().setAll(AppIcons.window());
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        stage.setScene(scene);
        stage.show();
        return view;
    }
}
