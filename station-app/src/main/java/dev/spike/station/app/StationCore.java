package dev.spike.station.app;

import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.connection.HiveMqGateway;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.Backfill;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's data path, without a UI: the store, the feed thread, the MQTT gateway, the backfill and the alarm
 * tracker, wired and started in the order they need. The app puts its ViewModels on top ({@link StationContext});
 * the headless station of the fault tests and the end-to-end tests use it as it is. Not connected yet: call
 * {@code gateway().connect(...)}.
 */
public final class StationCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StationCore.class);

    private final StationStore store;
    private final ExecutorService feedThread;
    private final MqttGateway gateway;
    private final StationFeed feed;
    private final Backfill backfill;
    private final EventTexts texts;
    private final AlarmTracker tracker;

    private StationCore(Path storeFile, MqttGateway gateway, Clock clock) {
        store = StationStore.open(storeFile);
        feedThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "station-feed");
            thread.setDaemon(true);
            return thread;
        });
        this.gateway = gateway;
        feed = new StationFeed(store, feedThread, clock);
        feed.attach(gateway);
        backfill = new Backfill(feed, gateway, clock);
        backfill.start();
        texts = new EventTexts(clock.getZone());
        tracker = new AlarmTracker(feed, clock, texts);
        tracker.start(gateway);
    }

    /** Opens the store in {@code storeFile} and starts everything but the connection. */
    public static StationCore open(Path storeFile, String stationId, Clock clock) {
        return new StationCore(storeFile, new HiveMqGateway(stationId), clock);
    }

    /** As {@link #open(Path, String, Clock)} over another gateway: a test's fake one, behind the real codec. */
    public static StationCore open(Path storeFile, MqttGateway gateway, Clock clock) {
        return new StationCore(storeFile, gateway, clock);
    }

    public StationStore store() {
        return store;
    }

    public MqttGateway gateway() {
        return gateway;
    }

    public StationFeed feed() {
        return feed;
    }

    public AlarmTracker tracker() {
        return tracker;
    }

    public EventTexts texts() {
        return texts;
    }

    /** Stops in reverse order, each step bounded: backfill, gateway (disconnect), feed thread, store. */
    @Override
    public void close() {
        try {
            backfill.close();
            gateway.close();
        } finally {
            feedThread.shutdown();
            try {
                if (!feedThread.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("the feed thread did not stop within 5 s; closing the store anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.close();
        }
    }
}
