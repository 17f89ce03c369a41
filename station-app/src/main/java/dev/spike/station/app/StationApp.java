package dev.spike.station.app;

import dev.spike.station.demo.DemoSystem;
import dev.spike.station.desktop.DesktopNotifications;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.ui.AppIcons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.slf4j.LoggerFactory;

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
 * The window comes first; broker and agent start behind it.
 */
public class StationApp extends Application {

    /** The window title. */
    public static final String TITLE = "Spike station";

    /** The app stylesheet: palette, themes and shared control styles. */
    public static final String STYLESHEET = "/dev/spike/station/app/app.css";
    /** Tables, forms and pages of the tabs. */
    public static final String LISTS_STYLESHEET = "/dev/spike/station/app/lists.css";

    /** How long closing waits for a demo that is still starting (the broker's own start timeout is 60 s). */
    private static final long DEMO_START_TIMEOUT_S = 65;

    private StationContext context;
    private DemoSystem.Options demoOptions;
    private CompletableFuture<DemoSystem> demoStarting;
    private Path demoDir;
    private Timeline everySecond;
    private boolean closed;

    @Override
    public void start(Stage stage) {
        StationOptions options = StationOptions.parse(getParameters().getRaw().toArray(new String[0]));
        Clock clock = Clock.systemDefaultZone();
        if ((options.demo || options.sampleData) && !startDemoSystem(options)) {
            Platform.exit();
            return;
        }
        context = demoOptions != null
                ? StationContext.open(clock, new PlatformDirs(demoDir.resolve("config"), demoDir.resolve("data")))
                : StationContext.open(clock);
        MainView view = show(stage, context);
        // after the window is up: the desktop's notification service never delays it
        context.desktop.connect(DesktopNotifications::open);
        // ages, countdowns and answer timeouts move once a second
        everySecond = new Timeline(new KeyFrame(Duration.seconds(1), e -> context.refresh()));
        everySecond.setCycleCount(Animation.INDEFINITE);
        everySecond.play();
        if (demoOptions != null) {
            // the window is up first: broker and agent start behind it, and the station connects once the broker
            // listens (the window used to wait for them: docs/performance.md, "The demo's start")
            demoStarting = DemoSystem.startInBackground(demoOptions);
            demoStarting.whenComplete((system, error) -> Platform.runLater(() -> demoStarted(system, error)));
        } else if (context.connection.hasSavedSettings()) {
            context.connection.connect();
        } else {
            Platform.runLater(view::editConnection);
        }
        view.darkProperty().set(options.dark);
    }

    /**
     * Starts broker and simulated agent in the background ({@link DemoSystem#startInBackground}), so the window does
     * not wait for them; a missing agent jar is said at once. On failure says why in a dialog and on stderr, and
     * returns false.
     */
    private boolean startDemoSystem(StationOptions options) {
        try {
            demoDir = Files.createTempDirectory("spike-demo");
            Path agentJar = DemoSystem.findAgentJar().orElseThrow(() -> new IOException(
                    "no agent jar found: build everything first with `mvn -B -DskipTests install` at the project"
                            + " root, or name it with -Dspike.agent.jar=PATH"));
            // --sample-data: after its day of history the agent's clock runs at real time, like the station's
            demoOptions = new DemoSystem.Options(agentJar, options.brokerPort,
                    options.sampleData ? 1 : options.timeScale, "demo-terrarium", demoDir.resolve("agent"));
            // SIGTERM (a logout, `kill`) closes the demo like the window does: store, agent's valve, broker, folder
            Runtime.getRuntime().addShutdownHook(new Thread(this::closeOnSignal, "station-shutdown"));
            return true;
        } catch (IOException e) {
            demoFailed(e);
            return false;
        }
    }

    /** On the FX thread, once the demo's broker listens, or it failed. */
    private void demoStarted(DemoSystem system, Throwable error) {
        if (error != null) {
            demoFailed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            Platform.exit();
            return;
        }
        system.removeShutdownHook(); // closeOnSignal() closes it, after parking the FX thread
        context.connection.uriProperty().set(system.brokerUri());
        context.connection.connect();
    }

    private static void demoFailed(Throwable e) {
        System.err.println("spike-station --demo: " + e.getMessage());
        Alert alert = new Alert(Alert.AlertType.ERROR, e.getMessage());
        alert.setHeaderText("The demo could not start");
        alert.showAndWait();
    }

    @Override
    public void stop() {
        if (everySecond != null) {
            everySecond.stop();
        }
        closeAll();
    }

    /**
     * SIGTERM: JavaFX's own shutdown hook disposes its renderer at once, and every repaint after that fails with a
     * RejectedExecutionException. So the FX thread is parked first, then everything closes as from the window; the
     * JVM halts once the hooks are done. Nothing in closeAll() waits for the FX thread.
     */
    private void closeOnSignal() {
        synchronized (this) {
            if (closed) {
                return; // the window was closed; this is Launcher's System.exit
            }
        }
        CountDownLatch parked = new CountDownLatch(1);
        Platform.runLater(() -> {
            parked.countDown();
            try {
                new CountDownLatch(1).await(); // until the JVM halts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            parked.await(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll();
    }

    /** Closes the station, then the demo; once, from the FX thread's stop() or the shutdown hook, whichever is first. */
    private synchronized void closeAll() {
        if (closed) {
            return;
        }
        closed = true;
        if (demoStarting != null && demoStarting.isDone() && !demoStarting.isCompletedExceptionally()) {
            demoStarting.join().beginStop(); // the agent closes its valve and says goodbye while the station closes
        }
        if (context != null) {
            context.close();
        }
        if (demoStarting != null) {
            // a demo still starting is closed once started: no agent or broker outlives the window
            try {
                demoStarting.get(DEMO_START_TIMEOUT_S, TimeUnit.SECONDS).closeForExit(); // Launcher exits next
            } catch (ExecutionException e) {
                // it did not start: nothing to close, and the dialog said why
            } catch (TimeoutException e) {
                System.err.println("the demo did not finish starting within " + DEMO_START_TIMEOUT_S + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        // the demo benchmark (bench/DemoStartBenchmark) prints this line's time next to the X server's
        ProcessHandle.current().info().startInstant().ifPresent(started -> LoggerFactory.getLogger(StationApp.class)
                .info("station window shown, {} ms after the process started",
                        java.time.Duration.between(started, Instant.now()).toMillis()));
        return view;
    }
}
