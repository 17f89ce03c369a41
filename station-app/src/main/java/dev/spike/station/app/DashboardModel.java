package dev.spike.station.app;

import dev.spike.station.chart.ChartData;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;

/**
 * The selected agent's dashboard. Texts are ready to show (the ViewModel formats and re-ticks them: ages and
 * countdowns change every second); booleans drive pseudo-classes. "—" stands for "no value yet".
 */
public interface DashboardModel {

    /** "terrarium-1", or "" when no agent is selected. */
    ReadOnlyStringProperty agentIdProperty();

    ReadOnlyBooleanProperty onlineProperty();

    ReadOnlyBooleanProperty simulatedProperty();

    /** The latest humidity, "74.2", or "—". */
    ReadOnlyStringProperty humidityProperty();

    /** The latest temperature, "27.4", or "—". */
    ReadOnlyStringProperty temperatureProperty();

    /** How old the shown reading is: "12 s ago", "3 min ago", "no reading yet". */
    ReadOnlyStringProperty readingAgeProperty();

    /**
     * The shown reading can no longer be trusted as "now": older than three read intervals, the sensor is down, or
     * the agent is offline. The view greys the numbers out instead of showing a dead value as live.
     */
    ReadOnlyBooleanProperty staleProperty();

    ReadOnlyBooleanProperty valveOpenProperty();

    /** "Closed", or "Open · 4 s left" while spraying. */
    ReadOnlyStringProperty valveProperty();

    /** "No automatic spray before 18:10", or "". */
    ReadOnlyStringProperty cooldownProperty();

    /** "Normal" or "Sensor down". */
    ReadOnlyStringProperty modeProperty();

    ReadOnlyBooleanProperty sensorDownProperty();

    /** "18:00 · low humidity · 12 min ago", or "never". */
    ReadOnlyStringProperty lastSprayProperty();

    /** "20:00 · evening", or "none planned". */
    ReadOnlyStringProperty nextSprayProperty();

    /** "OK · up 3 d · CPU 48 °C · load 0.12 · 0 queued", or what is wrong: "store error: disk full". */
    ReadOnlyStringProperty healthProperty();

    ReadOnlyBooleanProperty healthProblemProperty();

    /** A manual spray may be sent now: an agent is selected, online, the station connected, the valve closed. */
    ReadOnlyBooleanProperty canSprayProperty();

    /** The duration the spray dialog proposes: the rules' {@code sprayDurationS}. */
    ReadOnlyIntegerProperty sprayDurationSProperty();

    /** The longest spray the agent accepts: the rules' {@code maxSprayS}. */
    ReadOnlyIntegerProperty maxSprayDurationSProperty();

    /** Sends {@code cmd/spray} for {@code durationS} seconds; the result arrives as an event. */
    void spray(int durationS);

    /** The readings, sprays and threshold of the selected agent for the chart. */
    ReadOnlyObjectProperty<ChartData> chartDataProperty();
}
