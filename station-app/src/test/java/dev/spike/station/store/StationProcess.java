package dev.spike.station.store;

import dev.spike.station.app.StationCore;
import dev.spike.station.connection.BrokerSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station without its UI, in a JVM of its own, for tests that kill it: the app's data path
 * ({@link StationCore}), connected to a broker.
 *
 * <p>Arguments: {@code <brokerUri> <stationId> <storeFile>}. It runs until it is killed, or until its standard input
 * ends: then it closes like the app does. The test JVM holds the other end of that pipe, so a station cannot outlive
 * a test run that crashed.
 *
 * <p>It logs with {@code station-process-logback.xml} from the test resources (INFO and up, with the level first on
 * every line), to standard output; {@link #launch} sends that to a file.
 */
public final class StationProcess {

    private static final Logger LOG = LoggerFactory.getLogger(StationProcess.class);

    private StationProcess() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: StationProcess <brokerUri> <stationId> <storeFile>");
            System.exit(2);
        }
        try (StationCore station = StationCore.open(Path.of(args[2]), args[1], Clock.systemUTC())) {
            station.gateway().connect(BrokerSettings.parse(args[0], null, null, null));
            LOG.info("station {} running on {}", args[1], station.store().file());
            while (System.in.read() != -1) {
                // nothing is read from the test; the loop only waits for the pipe to close
            }
            LOG.info("standard input closed; stopping");
        }
        LOG.info("stopped");
    }

    /**
     * Starts a station process with the JVM and class path of the running one (the test's), its output in
     * {@code log}. Close its {@link Process#getOutputStream()} to stop it cleanly.
     */
    public static Process launch(String brokerUri, String stationId, Path storeFile, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell the running JVM's java binary"));
        Path logConfig;
        try {
            logConfig = Path.of(Objects.requireNonNull(StationProcess.class.getResource("/station-process-logback.xml"),
                    "station-process-logback.xml on the test class path").toURI());
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate station-process-logback.xml: " + e.getMessage(), e);
        }
        // sqlite-jdbc unpacks its native library into org.sqlite.tmpdir and, at start, deletes the copies that
        // killed processes left there; in the shared /tmp another JVM starting at the same moment can delete one
        // first, and the loser logs an ERROR (sqlite-jdbc PR 1088, closed unmerged). Each station gets its own.
        Path nativeDir = Files.createDirectories(storeFile.resolveSibling("sqlite-native"));
        List<String> command = List.of(java, "-Xmx256m",
                "-Dlogback.configurationFile=" + logConfig,
                "-Dorg.sqlite.tmpdir=" + nativeDir,
                "-cp", System.getProperty("java.class.path"),
                StationProcess.class.getName(), brokerUri, stationId, storeFile.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
