package dev.spike.station.app;

import java.time.Clock;
import java.util.List;
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
 * the saved broker settings, or asks for them first. With {@code --demo} it shows {@link DemoStation} instead:
 * made-up agents and 30 days of history, no broker. {@code --dark} starts in the dark theme.
 */
public class StationApp extends Application {

    /** The window title. */
    public static final String TITLE = "Spike station";

    /** The app stylesheet: palette, themes and shared control styles. */
    public static final String STYLESHEET = "/dev/spike/station/app/app.css";

    private StationContext context;
    private DemoStation demo;
    private Timeline everySecond;

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        Clock clock = Clock.systemDefaultZone();
        MainView view;
        if (args.contains("--demo")) {
            demo = new DemoStation(clock);
            view = show(stage, demo);
            demo.start();
        } else {
            context = StationContext.open(clock);
            view = show(stage, context.station);
            // ages, countdowns and answer timeouts move once a second
            everySecond = new Timeline(new KeyFrame(Duration.seconds(1), e -> context.station.refresh()));
            everySecond.setCycleCount(Animation.INDEFINITE);
            everySecond.play();
            if (context.connection.hasSavedSettings()) {
                context.connection.connect();
            } else {
                Platform.runLater(view::editConnection);
            }
        }
        view.darkProperty().set(args.contains("--dark"));
    }

    @Override
    public void stop() {
        if (everySecond != null) {
            everySecond.stop();
        }
        if (demo != null) {
            demo.stop();
        }
        if (context != null) {
            context.close();
        }
    }

    /** Puts the main window for {@code model} on {@code stage}: title, icons, stylesheet, size; and shows it. */
    public static MainView show(Stage stage, StationModel model) {
        MainView view = MainView.load();
        view.bind(model);
        Scene scene = new Scene(view.root(), 1280, 800);
        scene.getStylesheets().add(StationApp.class.getResource(STYLESHEET).toExternalForm());
        stage.setTitle(TITLE);
        stage.getIcons().setAll(AppIcons.window());
        stage.setMinWidth(960);
        stage.setMinHeight(640);
        stage.setScene(scene);
        stage.show();
        return view;
    }
}
