package dev.spike.station.launch;

import dev.spike.station.app.Launcher;
import dev.spike.station.app.StationApp;
import dev.spike.station.demo.DemoSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The build's training run for the station's class-data-sharing archive (station-app/pom.xml, phase package): the
 * demo as a newcomer starts it ({@code Launcher.main("--demo")}: built-in broker, simulated agent, the window), on
 * Monocle's headless platform so the build needs no display, under {@code -XX:DumpLoadedClassList}. It waits until
 * the station is connected and shows the demo agent, opens every tab once, and closes the window; the JVM then
 * writes nothing more, the list is complete. The build turns the list into {@code spike-station-<JVM>.jsa} next
 * to the jar, which {@link TunedJvm} hands to the station's JVM.
 *
 * <p>Not a test: a tool, in the test sources because it needs Monocle. A demo that does not come up within
 * {@link #DEADLINE} ends the run with what was loaded so far (a partial list still shares those classes) and says
 * so; a demo that cannot start (the dialog that says why) fails the build with its words.
 */
public final class CdsTraining {

    static final Duration DEADLINE = Duration.ofMinutes(3);
    /** After the agent shows: its day of history arrives, the chart and the log draw it. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "cds-training");
        thread.setDaemon(true);
        return thread;
    });
    private final Instant started = Instant.now();
    private Instant agentShown;
    private int nextTab;

    private CdsTraining() {
    }

    public static void main(String[] args) {
        if (DemoSystem.findAgentJar().filter(Files::isRegularFile).isEmpty()) {
            System.err.println("cds-training: the demo needs the agent jar (" + System.getProperty("spike.agent.jar")
                    + "): build the whole project at its root (mvn -B -DskipTests package), or build this module"
                    + " without the start-up archive: -Dspike.cds.skip=true");
            System.exit(1);
        }
        CdsTraining training = new CdsTraining();
        training.ticks.scheduleWithFixedDelay(training::tickOnFx, 500, 200, TimeUnit.MILLISECONDS);
        // a free port: a Mosquitto on 1883 (the tests' own, say) must not stop the build's training
        Launcher.main(new String[] {"--demo", "--broker-port", Integer.toString(freePort())}); // ends in System.exit
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cds-training: no free port on the loopback interface", e);
        }
    }

    private void tickOnFx() {
        Platform.runLater(this::tick);
    }

    /** On the FX thread: one step at a time, so the window draws in between as it would for a person. */
    private void tick() {
        Window.getWindows().stream().map(window -> window.getScene() == null ? null : window.getScene().getRoot())
                .filter(root -> root instanceof DialogPane).findFirst().ifPresent(dialog -> {
                    // the demo could not start (StationApp shows why in a dialog): the build says so and stops
                    System.err.println("cds-training: the demo could not start: "
                            + ((DialogPane) dialog).getHeaderText() + ": " + ((DialogPane) dialog).getContentText());
                    System.exit(1);
                });
        Optional<Stage> stage = Window.getWindows().stream()
                .filter(window -> window instanceof Stage && StationApp.TITLE.equals(((Stage) window).getTitle()))
                .map(Stage.class::cast).findFirst();
        if (Duration.between(started, Instant.now()).compareTo(DEADLINE) > 0) {
            System.err.println("cds-training: the demo did not show its agent within " + DEADLINE.toSeconds()
                    + " s; the class list holds what was loaded so far");
            stage.ifPresentOrElse(Stage::close, Platform::exit);
            return;
        }
        if (stage.isEmpty()) {
            return;
        }
        Node root = stage.get().getScene().getRoot();
        if (agentShown == null) {
            if (connected(root) && !((ListView<?>) root.lookup(".agent-list")).getItems().isEmpty()) {
                agentShown = Instant.now();
            }
            return;
        }
        if (Duration.between(agentShown, Instant.now()).compareTo(SETTLE) < 0) {
            return;
        }
        TabPane tabs = (TabPane) root.lookup(".main-tabs");
        if (nextTab < tabs.getTabs().size()) {
            tabs.getSelectionModel().select(nextTab++);
            return;
        }
        tabs.getSelectionModel().select(0);
        ticks.shutdown();
        stage.get().close(); // as a person closes it: the demo stops, then Launcher exits
    }

    private static boolean connected(Node root) {
        return "Connected".equals(((Labeled) root.lookup(".connection-indicator")).getText());
    }
}
