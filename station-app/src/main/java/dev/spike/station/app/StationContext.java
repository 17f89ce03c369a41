package dev.spike.station.app;

import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.connection.BrokerSettingsFile;
import dev.spike.station.connection.ConnectionViewModel;
import dev.spike.station.connection.HiveMqGateway;
import dev.spike.station.control.RulesViewModel;
import dev.spike.station.control.SimulationViewModel;
import dev.spike.station.control.SprayViewModel;
import dev.spike.station.dashboard.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.Backfill;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station put together: store, feed thread, MQTT gateway, backfill, alarm tracker and the ViewModels, behind a
 * {@link LiveStation} for the views. One UI executor ({@code Platform::runLater}) for every ViewModel. Open it on
 * the FX thread; {@link #close()} stops it in reverse order, each step bounded.
 */
final class StationContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StationContext.class);

    final LiveStation station;
    final ConnectionViewModel connection;
    private final StationStore store;
    private final ExecutorService feedThread;
    private final HiveMqGateway gateway;
    private final Backfill backfill;

    private StationContext(PlatformDirs dirs, Clock clock) {
        store = StationStore.open(dirs.dataDir().resolve(StationStore.FILE_NAME));
        feedThread = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "station-feed");
            thread.setDaemon(true);
            return thread;
        });
        BrokerSettingsFile settings = BrokerSettingsFile.inDir(dirs.configDir());
        gateway = new HiveMqGateway(settings.stationId());
        StationFeed feed = new StationFeed(store, feedThread, clock);
        feed.attach(gateway);
        backfill = new Backfill(feed, gateway, clock);
        backfill.start();
        EventTexts texts = new EventTexts(clock.getZone());
        AlarmTracker tracker = new AlarmTracker(feed, clock, texts);
        tracker.start(gateway);

        Executor ui = Platform::runLater;
        connection = new ConnectionViewModel(gateway, settings, ui);
        station = new LiveStation(feed, ui, clock, connection,
                new AgentsViewModel(feed, gateway, ui, clock),
                new DashboardViewModel(feed, gateway, ui, clock, texts),
                new SprayViewModel(feed, gateway, tracker, ui, clock),
                new AlarmsViewModel(tracker, ui, texts, AlarmsViewModel.currentUser()),
                new EventLogViewModel(feed, ui, texts),
                new RulesViewModel(feed, gateway, ui, clock),
                new SimulationViewModel(feed, gateway, ui, clock));
    }

    /** Opens the station's store in the user's data directory (see {@link PlatformDirs}). */
    static StationContext open(Clock clock) {
        return new StationContext(PlatformDirs.current(), clock);
    }

    /** Opens the station with its settings and store in the given folders, e.g. the demo's temporary one. */
    static StationContext open(Clock clock, PlatformDirs dirs) {
        return new StationContext(dirs, clock);
    }

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
