package dev.spike.station.app;

import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.connection.BrokerSettingsFile;
import dev.spike.station.connection.ConnectionViewModel;
import dev.spike.station.control.RulesViewModel;
import dev.spike.station.control.SimulationViewModel;
import dev.spike.station.control.SprayViewModel;
import dev.spike.station.dashboard.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.store.StationStore;
import java.time.Clock;
import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * The station put together: its data path ({@link StationCore}: store, feed thread, MQTT gateway, backfill, alarm
 * tracker) and the ViewModels, behind a {@link LiveStation} for the views. One UI executor ({@code Platform::runLater})
 * for every ViewModel. Open it on the FX thread; {@link #close()} stops it in reverse order, each step bounded.
 */
final class StationContext implements AutoCloseable {

    final LiveStation station;
    final ConnectionViewModel connection;
    private final StationCore core;

    private StationContext(PlatformDirs dirs, Clock clock) {
        BrokerSettingsFile settings = BrokerSettingsFile.inDir(dirs.configDir());
        core = StationCore.open(dirs.dataDir().resolve(StationStore.FILE_NAME), settings.stationId(), clock);

        Executor ui = Platform::runLater;
        connection = new ConnectionViewModel(core.gateway(), settings, ui);
        station = new LiveStation(core.feed(), ui, clock, connection,
                new AgentsViewModel(core.feed(), core.gateway(), ui, clock),
                new DashboardViewModel(core.feed(), core.gateway(), ui, clock, core.texts()),
                new SprayViewModel(core.feed(), core.gateway(), core.tracker(), ui, clock),
                new AlarmsViewModel(core.tracker(), ui, core.texts(), AlarmsViewModel.currentUser()),
                new EventLogViewModel(core.feed(), ui, core.texts()),
                new RulesViewModel(core.feed(), core.gateway(), ui, clock),
                new SimulationViewModel(core.feed(), core.gateway(), ui, clock));
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
        core.close();
    }
}
