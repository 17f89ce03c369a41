package dev.spike.station.app;

import dev.spike.station.launch.TunedJvm;
import dev.spike.station.launch.Warmup;
import javafx.application.Application;
import picocli.CommandLine;

/**
 * The station's main class. It does not extend {@code Application}: started from a plain classpath (a fat jar,
 * {@code java -cp}), the JDK refuses a main class that does, with "JavaFX runtime components are missing".
 *
 * <p>The flags are those of {@link StationOptions}: {@code --demo} runs the whole system, {@code --sample-data} the
 * same with the agent at real time, {@code --dark} starts in the dark theme, {@code --help} lists them all.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        // first of all: a plain `java -jar` becomes one with the station's JVM options (same process)
        TunedJvm.replaceIfPlain();
        // the second core readies logging, SQLite, MQTT and the chart while the toolkit starts on this one
        Warmup.start();
        CommandLine commandLine = new CommandLine(new StationOptions());
        try {
            CommandLine.ParseResult parsed = commandLine.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
        } catch (CommandLine.ParameterException e) {
            System.err.println("spike-station: " + e.getMessage());
            e.getCommandLine().usage(System.err);
            System.exit(2);
        }
        Application.launch(StationApp.class, args);
        // The window is closed and StationApp.stop() has closed the station: end here, whatever threads a library
        // left running (the demo leaves its HiveMQ to the exit rather than wait 4 s for it to stop).
        System.exit(0);
    }
}
