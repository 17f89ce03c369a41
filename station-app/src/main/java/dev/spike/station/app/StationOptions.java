package dev.spike.station.app;

import dev.spike.station.broker.BuiltInBroker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The station's command line; parsed by {@link Launcher} and again by {@link StationApp}. */
@Command(name = "spike-station", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = StationOptions.Version.class,
        description = {"Spike station: watch and control Spike terrarium agents over MQTT.", ""})
final class StationOptions {

    @Option(names = "--demo", description = "Run the whole system: the built-in broker, a simulated agent on a fast"
            + " clock, and this window connected to them. Closing the window stops everything.")
    boolean demo;

    @Option(names = "--time-scale", paramLabel = "N", defaultValue = "60",
            description = "With --demo: the simulated agent's clock runs N times faster (default ${DEFAULT-VALUE}:"
                    + " an hour a minute).")
    double timeScale;

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "" + BuiltInBroker.DEFAULT_PORT,
            description = "With --demo: the built-in broker's port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--sample-data", description = "As --demo, with the simulated agent's clock at real time after"
            + " its simulated day of history, so its clock and the station's agree (for trying the window and for"
            + " screenshots).")
    boolean sampleData;

    @Option(names = "--dark", description = "Start in the dark theme.")
    boolean dark;

    /** Parses {@code args}; throws {@link CommandLine.ParameterException} with a message for a person. */
    static StationOptions parse(String... args) {
        StationOptions options = new StationOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = StationOptions.class.getPackage().getImplementationVersion();
            return new String[] {"spike-station " + (version == null ? "dev" : version)};
        }
    }
}
