package dev.spike.station.app;

import dev.spike.station.chart.TimeRange;
import dev.spike.station.connection.ConnectionState;
import java.time.Clock;
import javafx.application.Application;
import javafx.stage.Stage;

/**
 * The station window over {@link DemoStation}, set up from the command line, for looking at it and taking
 * screenshots (docs/images/station.png):
 *
 * <pre>
 * StationDemo [--dark] [--range=30d] [--agent=rainforest-2] [--tab=alarms|log|rules|simulation]
 *             [--connection=reconnecting|refused|connecting]
 * </pre>
 */
public final class StationDemo {

    private StationDemo() {
    }

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    /** The JavaFX side; public for the launcher. */
    public static final class App extends Application {

        @Override
        public void start(Stage stage) {
            DemoStation demo = new DemoStation(Clock.systemDefaultZone());
            MainView view = StationApp.show(stage, demo);
            for (String arg : getParameters().getRaw()) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
                if (arg.equals("--dark")) {
                    view.darkProperty().set(true);
                } else if (arg.startsWith("--range=")) {
                    for (TimeRange range : TimeRange.values()) {
                        if (range.label().replace(" ", "").equals(value)) {
                            view.dashboard().chart().showRange(range);
                        }
                    }
                } else if (arg.startsWith("--agent=")) {
                    demo.selectedAgentProperty().set(value);
                } else if (arg.startsWith("--tab=")) {
                    view.tabs().getTabs().stream().filter(t -> t.getText().toLowerCase().startsWith(value))
                            .findFirst().ifPresent(t -> view.tabs().getSelectionModel().select(t));
                } else if (arg.startsWith("--connection=")) {
                    demo.setConnection(value.equals("refused")
                            ? ConnectionState.refused("tcp://pi:1883", "bad user name or password")
                            : value.equals("connecting") ? ConnectionState.connecting("tcp://pi:1883")
                            : ConnectionState.reconnecting("tcp://pi:1883", 3, "connection refused"));
                }
            }
            demo.start();
        }
    }
}
