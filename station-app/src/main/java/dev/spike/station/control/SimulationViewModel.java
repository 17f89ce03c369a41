package dev.spike.station.control;

import dev.spike.model.CommandKind;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.store.StationFeed;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
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

    // The change under way; UI thread only.
    private SimSetCommand pending;
    private Instant sentAt;

    public SimulationViewModel(StationFeed feed, MqttGateway gateway, Executor ui, Clock clock) {
        this.gateway = gateway;
        this.ui = ui;
        this.clock = clock;
        this.agent = new SelectedAgent(feed, gateway, ui, this::update, this::onEvent);
        update();
    }

    /** Follows this agent (null for none). */
    public void select(String agent) {
        agentId.set(agent);
        pending = null;
        sensor.set(null);
        tank.set(null);
        state.set(CommandState.IDLE);
        resultText.set("");
        this.agent.select(agent);
    }

    /** Switches the simulated sensor; false, doing nothing, when not enabled. */
    public boolean setSensor(SensorFault fault) {
        return send(new SimSetCommand(CommandIds.next("sim"), fault, null));
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
        gateway.sendSimSet(target, command).whenCompleteAsync((ignored, error) -> {
            if (error != null && pending == command && state.get() == CommandState.PENDING) {
                LOG.warn("sim/set to {} not sent: {}", target, error.getMessage());
                state.set(CommandState.FAILED);
                resultText.set("not sent: " + error.getMessage());
                update();
            }
        }, ui);
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
        } else {
            state.set(CommandState.REJECTED);
            resultText.set("rejected: " + result.reason());
        }
        update();
    }

    private static String describe(SimSetCommand command) {
        if (command.sensor() != null) {
            return "sensor " + command.sensor().wire();
        }
        return "tank " + command.tank().wire();
    }

    private void update() {
        boolean isSimulated = agent.status() != null && agent.status().simulated();
        simulated.set(isSimulated);
        String reason = agent.whyNoCommand();
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
