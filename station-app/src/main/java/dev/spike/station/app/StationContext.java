package dev.spike.station.app;

import dev.spike.station.agents.AgentsViewModel;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.chart.ChartViewModel;
import dev.spike.station.connection.BrokerSettingsFile;
import dev.spike.station.connection.ConnectionViewModel;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.desktop.DesktopAlarms;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.rules.RulesViewModel;
import dev.spike.station.whatif.WhatIfViewModel;
import dev.spike.station.calibration.CalibrationViewModel;
import dev.spike.station.simulation.SimulationViewModel;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.store.StationStore;
import dev.spike.station.water.WaterViewModel;
import java.time.Clock;
import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * The station put together, in this one place: its data path ({@link StationCore}: store, feed thread, MQTT gateway,
 * backfill, alarm tracker), the one {@link SelectedAgent} and the feature ViewModels on top, all with one UI
 * executor ({@code Platform::runLater} in the app). The views bind these ViewModels directly ({@link MainView}).
 * Open it on the UI thread; {@link #refresh()} once a second moves ages, countdowns and timeouts; {@link #close()}
 * stops it in reverse order, each step bounded.
 */
public final class StationContext implements AutoCloseable {

    public final StationCore core;
    public final ConnectionViewModel connection;
    public final SelectedAgent selected;
    public final AgentsViewModel agents;
    public final DashboardViewModel dashboard;
    public final ChartViewModel chart;
    public final SprayViewModel spray;
    public final AlarmsViewModel alarms;
    public final EventLogViewModel log;
    public final RulesViewModel rules;
    public final WhatIfViewModel whatIf;
    public final SimulationViewModel simulation;
    public final CalibrationViewModel calibration;
    public final WaterViewModel water;
    public final DesktopAlarms desktop;
    public final Clock clock;

    private StationContext(StationCore core, BrokerSettingsFile settings, Clock clock, Executor ui, String operator) {
        this.core = core;
        this.clock = clock;
        connection = new ConnectionViewModel(core.gateway(), settings, ui);
        selected = new SelectedAgent(core.feed(), core.gateway(), ui, clock);
        agents = new AgentsViewModel(selected, core.feed(), core.gateway(), core.tracker(), ui, clock);
        dashboard = new DashboardViewModel(selected, core.texts());
        chart = new ChartViewModel(selected, core.feed(), ui, clock.getZone());
        spray = new SprayViewModel(selected, core.gateway(), core.tracker(), ui, clock);
        alarms = new AlarmsViewModel(core.tracker(), ui, core.texts(), operator);
        log = new EventLogViewModel(selected, core.feed(), ui, core.texts());
        rules = new RulesViewModel(selected, core.gateway(), ui, clock);
        whatIf = new WhatIfViewModel(selected, core.feed(), rules.editedRulesProperty(), ui,
                java.util.concurrent.ForkJoinPool.commonPool());
        simulation = new SimulationViewModel(selected, core.gateway(), ui, clock);
        calibration = new CalibrationViewModel(selected, core.gateway(), ui);
        water = new WaterViewModel(selected, core.feed(), core.gateway(), ui);
        desktop = new DesktopAlarms(core.tracker(), settings, ui);
    }

    /** Opens the station's store in the user's data directory (see {@link PlatformDirs}). */
    public static StationContext open(Clock clock) {
        return open(clock, PlatformDirs.current());
    }

    /** Opens the station with its settings and store in the given folders, e.g. the demo's temporary one. */
    public static StationContext open(Clock clock, PlatformDirs dirs) {
        BrokerSettingsFile settings = BrokerSettingsFile.inDir(dirs.configDir());
        StationCore core = StationCore.open(dirs.dataDir().resolve(StationStore.FILE_NAME), settings.stationId(),
                clock);
        return new StationContext(core, settings, clock, Platform::runLater, AlarmsViewModel.currentUser());
    }

    /**
     * The station over another gateway (a test's fake one, through the real codec) and UI executor; its store and
     * settings in {@code dirs}.
     */
    public static StationContext open(Clock clock, PlatformDirs dirs, MqttGateway gateway, Executor ui,
                                      String operator) {
        BrokerSettingsFile settings = BrokerSettingsFile.inDir(dirs.configDir());
        StationCore core = StationCore.open(dirs.dataDir().resolve(StationStore.FILE_NAME), gateway, clock);
        return new StationContext(core, settings, clock, ui, operator);
    }

    /** Ages, countdowns, answer timeouts and the time-based alarm checks; once a second. */
    public void refresh() {
        selected.refresh();
        agents.refresh();
        spray.refresh();
        alarms.refresh();
        rules.refresh();
        simulation.refresh();
        calibration.refresh();
        water.refresh();
    }

    @Override
    public void close() {
        desktop.close();
        core.close();
    }
}
