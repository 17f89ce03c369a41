package dev.spike.station.app;

import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.ConnectionViewModel;
import java.time.Clock;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.ObservableList;

/**
 * What the main window shows and does, as the views need it: the contract between the app shell and the station's
 * ViewModels. Every property is changed on the FX thread only (the ViewModels' UI executor); views bind to them
 * and call the commands, nothing else.
 */
public interface StationModel {

    /** Every agent the station has seen, in display order. */
    ObservableList<AgentItem> agents();

    /** The agent the dashboard, chart, rules and simulation show; the sidebar writes it. Null when none. */
    ObjectProperty<String> selectedAgentProperty();

    /** The station's broker connection. */
    ReadOnlyObjectProperty<ConnectionState> connectionProperty();

    /** Alarms of any agent not yet acknowledged by a person: the badge in the top bar. */
    ReadOnlyIntegerProperty unacknowledgedAlarmsProperty();

    /** The clock the ViewModels tell time by; the chart's "now" follows it too. */
    Clock clock();

    /**
     * The broker settings form and connect/disconnect, behind the connection indicator; null where there is no
     * broker (the demo).
     */
    ConnectionViewModel connectionSettings();

    DashboardModel dashboard();

    AlarmsModel alarms();

    EventLogModel eventLog();

    RulesModel rules();

    SimulationModel simulation();
}
