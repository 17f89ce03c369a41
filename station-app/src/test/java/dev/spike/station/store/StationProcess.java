package dev.spike.station.store;

import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.connection.BrokerSettings;
import dev.spike.station.connection.HiveMqGateway;
import dev.spike.station.log.EventTexts;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station without its UI, in a JVM of its own, for tests that kill it: the app's store, feed thread, MQTT
 * gateway, backfill and alarm tracker, wired and started in the order of the app's {@code StationContext}, then
 * connected to a broker.
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
        Clock clock = Clock.systemUTC();
        StationStore store = StationStore.open(Path.of(args[2]));
        ExecutorService feedThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "station-feed");
            thread.setDaemon(true);
            return thread;
        });
        HiveMqGateway gateway = new HiveMqGateway(args[1]);
        StationFeed feed = new StationFeed(store, feedThread, clock);
        feed.attach(gateway);
        Backfill backfill = new Backfill(feed, gateway, clock);
        backfill.start();
        new AlarmTracker(feed, clock, new EventTexts(clock.getZone())).start(gateway);
        gateway.connect(BrokerSettings.parse(args[0], null, null, null));
        LOG.info("station {} running on {}", args[1], store.file());

        while (System.in.read() != -1) {
            // nothing is read from the test; the loop only waits for the pipe to close
        }

        LOG.info("standard input closed; stopping");
        backfill.close();
        gateway.close();
        feedThread.shutdown();
        try {
            if (!feedThread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the feed thread did not stop within 5 s; closing the store anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
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
        List<String> command = List.of(java, "-Xmx256m",
                "-Dlogback.configurationFile=" + logConfig,
                "-cp", System.getProperty("java.class.path"),
                StationProcess.class.getName(), brokerUri, stationId, storeFile.toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
