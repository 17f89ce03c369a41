package dev.spike.station.simulation;

import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.Mode;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.station.log.EventTexts;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.CommandSend;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandState;
import dev.spike.station.rules.RulesViewModel;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulation panel of a simulated agent ({@code --simulate}, its status says {@code simulated}): switch the
 * simulated SHT30 to a fault (ok, nack, crc, stuck, absent) and the water tank to full or empty with
 * {@code sim/set}. Disabled, with {@link #whyNotProperty()} saying why, for a real agent, while disconnected or
 * offline, and while a change waits for its answer.
 *
 * <p>The agent does not publish its simulation settings, so {@link #sensorProperty()} and {@link #tankProperty()}
 * show what this station last set and the agent accepted; null until then.
 *
 * <p>Properties change on the UI executor only; the app calls {@link #refresh()} once a second (answer timeout).
 */
public final class SimulationViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(SimulationViewModel.class);

    private final MqttGateway gateway;
    private final Executor ui;
    private final Clock clock;
    private final SelectedAgent agent;

    private final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId");
    private final ReadOnlyBooleanWrapper simulated = new ReadOnlyBooleanWrapper(this, "simulated");
    private final ReadOnlyBooleanWrapper enabled = new ReadOnlyBooleanWrapper(this, "enabled");
    private final ReadOnlyStringWrapper whyNot = new ReadOnlyStringWrapper(this, "whyNot", "");
    private final ReadOnlyObjectWrapper<SensorFault> sensor = new ReadOnlyObjectWrapper<>(this, "sensor");
    private final ReadOnlyObjectWrapper<TankLevel> tank = new ReadOnlyObjectWrapper<>(this, "tank");
    private final ReadOnlyObjectWrapper<CommandState> state =
            new ReadOnlyObjectWrapper<>(this, "state", CommandState.IDLE);
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper(this, "resultText", "");
    private final ReadOnlyStringWrapper sensorText = new ReadOnlyStringWrapper(this, "sensorText", "");
    private final ReadOnlyStringWrapper tankText = new ReadOnlyStringWrapper(this, "tankText", "");
    private final ReadOnlyIntegerWrapper targetSensor = new ReadOnlyIntegerWrapper(this, "targetSensor", 1);
    private final ReadOnlyBooleanWrapper twoSensors = new ReadOnlyBooleanWrapper(this, "twoSensors");
    private final ReadOnlyStringWrapper sensorsText = new ReadOnlyStringWrapper(this, "sensorsText", "");

    // The change under way; UI thread only.
    private SimSetCommand pending;
    private Instant sentAt;

    public SimulationViewModel(SelectedAgent agent, MqttGateway gateway, Executor ui, Clock clock) {
        this.gateway = gateway;
        this.ui = ui;
        this.clock = clock;
        this.agent = agent;
        agent.onSelect(this::onSelect);
        agent.snapshotProperty().addListener((observable, old, now) -> update());
        agent.onEvent(this::onEvent);
        onSelect(agent.agentId());
    }

    private void onSelect(String selected) {
        agentId.set(selected);
        pending = null;
        sensor.set(null);
        tank.set(null);
        targetSensor.set(1);
        state.set(CommandState.IDLE);
        resultText.set("");
        update();
    }

    /**
     * Switches the simulated sensor chosen with {@link #setTargetSensor} (sensor 1 unless chosen); false, doing
     * nothing, when not enabled.
     */
    public boolean setSensor(SensorFault fault) {
        int target = targetSensor.get();
        return send(new SimSetCommand(CommandIds.next("sim"), fault, null, target == 1 ? null : target));
    }

    /** Which simulated sensor the fault buttons switch: 1 or 2. */
    public void setTargetSensor(int sensorNumber) {
        if (sensorNumber != 1 && sensorNumber != 2) {
            throw new IllegalArgumentException("sensorNumber must be 1 or 2, was " + sensorNumber);
        }
        targetSensor.set(sensorNumber);
    }

    public ReadOnlyIntegerProperty targetSensorProperty() {
        return targetSensor.getReadOnlyProperty();
    }

    /** The agent reads two sensors, as its readings or its sensor alarms show: offer the choice. */
    public ReadOnlyBooleanProperty twoSensorsProperty() {
        return twoSensors.getReadOnlyProperty();
    }

    /** "sensor 1 76.2 %, sensor 2 74.0 %: 2.2 points apart; sensors disagree (alarm)"; empty with one sensor. */
    public ReadOnlyStringProperty sensorsTextProperty() {
        return sensorsText.getReadOnlyProperty();
    }

    /** Fills or empties the simulated tank; false, doing nothing, when not enabled. */
    public boolean setTank(TankLevel level) {
        return send(new SimSetCommand(CommandIds.next("sim"), null, level));
    }

    /** Notices an agent that does not answer; call once a second. */
    public void refresh() {
        if (state.get() == CommandState.PENDING
                && !clock.instant().isBefore(sentAt.plus(RulesViewModel.ANSWER_TIMEOUT))) {
            state.set(CommandState.NO_ANSWER);
            resultText.set("no answer from " + agent.agentId() + " within "
                    + RulesViewModel.ANSWER_TIMEOUT.toSeconds() + " s");
            update();
        }
    }

    private boolean send(SimSetCommand command) {
        update();
        if (!enabled.get()) {
            return false;
        }
        String target = agent.agentId();
        pending = command;
        sentAt = clock.instant();
        state.set(CommandState.PENDING);
        resultText.set("sent, waiting for " + target + "…");
        update();
        CommandSend.onFailure(gateway.sendSimSet(target, command), ui, LOG, "sim/set to " + target,
                () -> pending == command && state.get() == CommandState.PENDING, reason -> {
                    state.set(CommandState.FAILED);
                    resultText.set("not sent: " + reason);
                    update();
                });
        return true;
    }

    private void onEvent(Event event) {
        if (!(event instanceof CommandResult) || pending == null) {
            return;
        }
        CommandResult result = (CommandResult) event;
        if (result.command() != CommandKind.SIM_SET || !result.commandId().equals(pending.id())) {
            return;
        }
        if (result.accepted()) {
            if (pending.sensor() != null) {
                sensor.set(pending.sensor());
            }
            if (pending.tank() != null) {
                tank.set(pending.tank());
            }
            state.set(CommandState.ACCEPTED);
            resultText.set("accepted: " + describe(pending));
            showCurrent(agent.snapshot());
        } else {
            state.set(CommandState.REJECTED);
            resultText.set("rejected: " + result.reason());
        }
        update();
    }

    /**
     * What the sensor and the tank do now, as the agent's messages show it: the agent does not publish its
     * simulation switches, so the sensor is judged by its readings, errors and mode, and the tank by the
     * {@code no_effect} alarm (sprays that do not raise the humidity), next to what this station last set.
     */
    private void showCurrent(SelectedAgent.Snapshot now) {
        if (now.agentId() == null) {
            sensorText.set("");
            tankText.set("");
            sensorsText.set("");
            twoSensors.set(false);
            return;
        }
        showSensors(now);
        String set = sensor.get() == null ? "" : " (switched to " + sensor.get().wire() + " from this station)";
        Event error = now.latest(EventType.SENSOR_ERROR);
        boolean down = now.state() != null && now.state().mode() == Mode.SENSOR_DOWN;
        Event mode = now.latest(EventType.MODE_CHANGED);
        if (mode != null && (now.state() == null || mode.at().isAfter(now.state().at()))) {
            down = ((ModeChanged) mode).mode() == Mode.SENSOR_DOWN;
        }
        if (down) {
            sensorText.set("down: the agent sprays on its fallback schedule"
                    + (error == null ? "" : "; last error: " + ((SensorError) error).error()) + set);
        } else if (error != null && (now.readingAt() == null || error.at().isAfter(now.readingAt()))) {
            SensorError failed = (SensorError) error;
            sensorText.set("failing: " + failed.error() + " (" + failed.consecutiveFailures() + " in a row)" + set);
        } else if (now.readingAt() != null) {
            Double h = now.state() == null ? null : now.state().humidityPct();
            Event humidity = now.latest(EventType.HUMIDITY_CHANGED);
            if (humidity != null && (now.state() == null || !humidity.at().isBefore(now.state().readingAt() == null
                    ? Instant.MIN : now.state().readingAt()))) {
                h = ((HumidityChanged) humidity).humidityPct();
            }
            sensorText.set("working: " + (h == null ? "" : EventTexts.percent(h) + ", ") + "last read "
                    + EventTexts.ago(now.readingAt(), now.agentNow()) + set);
        } else {
            sensorText.set("no reading yet" + set);
        }
        boolean noEffect = now.state() != null && now.state().activeAlarms().contains(AlarmKind.NO_EFFECT);
        String tankSet = tank.get() == null ? "" : "set to " + tank.get().wire() + " from this station";
        if (noEffect) {
            tankText.set("sprays have no effect (no_effect alarm): empty tank or blocked nozzle"
                    + (tankSet.isEmpty() ? "" : "; " + tankSet));
        } else {
            tankText.set(tankSet.isEmpty() ? "sprays raise the humidity: water in the tank" : tankSet);
        }
    }

    /** Each sensor's latest value and the pair's alarms, for an agent with two sensors. */
    private void showSensors(SelectedAgent.Snapshot now) {
        Event latest = now.latest(EventType.HUMIDITY_CHANGED);
        HumidityChanged reading = latest instanceof HumidityChanged ? (HumidityChanged) latest : null;
        List<AlarmKind> alarms = now.state() == null ? List.of() : now.state().activeAlarms();
        boolean failed = alarms.contains(AlarmKind.SENSOR_FAILED);
        boolean diverging = alarms.contains(AlarmKind.SENSOR_DIVERGENCE);
        boolean two = failed || diverging || (reading != null && reading.humidity2Pct() != null);
        twoSensors.set(two);
        if (!two) {
            sensorsText.set("");
            return;
        }
        StringBuilder text = new StringBuilder();
        if (reading != null) {
            Double one = reading.humidity1Pct();
            Double other = reading.humidity2Pct();
            text.append("sensor 1 ").append(one == null ? "failed" : EventTexts.percent(one))
                    .append(", sensor 2 ").append(other == null ? "failed" : EventTexts.percent(other));
            if (one != null && other != null) {
                text.append(String.format(java.util.Locale.ROOT, ": %.1f points apart", Math.abs(one - other)));
            }
        }
        if (failed) {
            text.append(text.length() == 0 ? "" : "; ").append("one sensor failed (sensor_failed alarm)");
        }
        if (diverging) {
            text.append(text.length() == 0 ? "" : "; ").append("they disagree (sensor_divergence alarm)");
        }
        sensorsText.set(text.toString());
    }

    /** "working: 72.4 %, last read 12 s ago", "failing: CRC mismatch (2 in a row)", "down: ...". */
    public ReadOnlyStringProperty sensorTextProperty() {
        return sensorText.getReadOnlyProperty();
    }

    /** "sprays raise the humidity: water in the tank", "set to empty from this station", "... no_effect ...". */
    public ReadOnlyStringProperty tankTextProperty() {
        return tankText.getReadOnlyProperty();
    }

    private static String describe(SimSetCommand command) {
        if (command.sensor() != null) {
            return (command.sensorNumber() == null ? "sensor " : "sensor " + command.sensorNumber() + " ")
                    + command.sensor().wire();
        }
        return "tank " + command.tank().wire();
    }

    private void update() {
        SelectedAgent.Snapshot now = agent.snapshot();
        boolean isSimulated = now.simulated();
        simulated.set(isSimulated);
        showCurrent(now);
        String reason = now.whyNoCommand();
        if (reason == null && !isSimulated) {
            reason = agent.agentId() + " is not simulated: it runs real hardware";
        }
        if (reason == null && state.get() == CommandState.PENDING) {
            reason = "Waiting for the answer to the last change";
        }
        enabled.set(reason == null);
        whyNot.set(reason == null ? "" : reason);
    }

    /** Every fault the simulated sensor can be switched to. */
    public List<SensorFault> sensorChoices() {
        return List.of(SensorFault.values());
    }

    public List<TankLevel> tankChoices() {
        return List.of(TankLevel.values());
    }

    public ReadOnlyStringProperty agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    /** The agent says it is simulated: show the panel at all. */
    public ReadOnlyBooleanProperty simulatedProperty() {
        return simulated.getReadOnlyProperty();
    }

    /** The controls may be used now. */
    public ReadOnlyBooleanProperty enabledProperty() {
        return enabled.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty whyNotProperty() {
        return whyNot.getReadOnlyProperty();
    }

    /** The sensor fault last accepted, or null. */
    public ReadOnlyObjectProperty<SensorFault> sensorProperty() {
        return sensor.getReadOnlyProperty();
    }

    /** The tank level last accepted, or null. */
    public ReadOnlyObjectProperty<TankLevel> tankProperty() {
        return tank.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CommandState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "accepted: sensor crc", "rejected: not a simulated agent". */
    public ReadOnlyStringProperty resultTextProperty() {
        return resultText.getReadOnlyProperty();
    }
}
