package dev.spike.station.calibration;

import dev.spike.model.AlarmKind;
import dev.spike.model.Calibration;
import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.CommandSend;
import dev.spike.station.connection.CommandState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.rules.RulesViewModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The guided calibration of the selected agent's sensors. A salt test: choose the sensor and the salt, put the
 * sensor in the pack, {@link #startWaiting()}, watch its raw reading settle ({@link Stability}), {@link #record()}
 * it; one salt gives an offset, both a gain and an offset; {@link #send()} sends a {@code cmd/calibration} and shows
 * the agent's answer. Or a plain offset, or a {@link #reset()} back to the agent's config file.
 *
 * <p>Properties change on the UI executor only; the app calls {@link #refresh()} once a second (the time waited,
 * the answer timeout).
 */
public final class CalibrationViewModel {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationViewModel.class);

    /** What the keeper calibrates against. */
    public enum Method {
        /** A sodium chloride pack, 75.3 %RH. */
        NACL("sodium chloride (75.3 %RH)"),
        /** A magnesium chloride pack, 33.1 %RH. */
        MGCL2("magnesium chloride (33.1 %RH)"),
        /** A known offset, from another instrument. */
        OFFSET("a plain offset");

        private final String text;

        Method(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final SelectedAgent agent;
    private final MqttGateway gateway;
    private final Executor ui;

    private final ReadOnlyIntegerWrapper sensorNumber = new ReadOnlyIntegerWrapper(this, "sensorNumber", 1);
    private final ReadOnlyObjectWrapper<Method> method = new ReadOnlyObjectWrapper<>(this, "method", Method.NACL);
    private final ReadOnlyBooleanWrapper twoSensors = new ReadOnlyBooleanWrapper(this, "twoSensors");
    private final ReadOnlyBooleanWrapper enabled = new ReadOnlyBooleanWrapper(this, "enabled");
    private final ReadOnlyStringWrapper whyNot = new ReadOnlyStringWrapper(this, "whyNot", "");
    private final ReadOnlyBooleanWrapper waiting = new ReadOnlyBooleanWrapper(this, "waiting");
    private final ReadOnlyBooleanWrapper stable = new ReadOnlyBooleanWrapper(this, "stable");
    private final ReadOnlyStringWrapper liveText = new ReadOnlyStringWrapper(this, "liveText", "");
    private final ReadOnlyStringWrapper waitText = new ReadOnlyStringWrapper(this, "waitText", "");
    private final ReadOnlyStringWrapper recordedText = new ReadOnlyStringWrapper(this, "recordedText", "");
    private final ReadOnlyStringWrapper previewText = new ReadOnlyStringWrapper(this, "previewText", "");
    private final ReadOnlyStringWrapper currentText = new ReadOnlyStringWrapper(this, "currentText", "");
    private final ReadOnlyBooleanWrapper canSend = new ReadOnlyBooleanWrapper(this, "canSend");
    private final ReadOnlyObjectWrapper<CommandState> state =
            new ReadOnlyObjectWrapper<>(this, "state", CommandState.IDLE);
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper(this, "resultText", "");

    // UI thread only
    private final List<Stability.Sample> samples = new ArrayList<>();
    private Instant waitStartedAt;
    private Double rawAtNaClPct;
    private Double rawAtMgCl2Pct;
    private Double offsetPct;
    private String offsetError;
    private CalibrationCommand pending;
    private Instant sentAt;

    public CalibrationViewModel(SelectedAgent agent, MqttGateway gateway, Executor ui) {
        this.agent = agent;
        this.gateway = gateway;
        this.ui = ui;
        agent.onSelect(selected -> clear());
        agent.snapshotProperty().addListener((observable, old, now) -> update());
        agent.onEvent(this::onEvent);
        clear();
    }

    private void clear() {
        sensorNumber.set(1);
        method.set(Method.NACL);
        forgetPoints();
        pending = null;
        state.set(CommandState.IDLE);
        resultText.set("");
        currentText.set("");
        update();
    }

    private void forgetPoints() {
        waiting.set(false);
        samples.clear();
        waitStartedAt = null;
        rawAtNaClPct = null;
        rawAtMgCl2Pct = null;
    }

    // ------------------------------------------------------------------------------------------ commands

    /** Which sensor: 1, or 2 on an agent with two. Recorded salt readings belong to a sensor and are dropped. */
    public void setSensor(int number) {
        if (number != 1 && number != 2) {
            throw new IllegalArgumentException("sensor must be 1 or 2, was " + number);
        }
        if (number != sensorNumber.get()) {
            sensorNumber.set(number);
            forgetPoints();
            update();
        }
    }

    public void setMethod(Method value) {
        if (value != method.get()) {
            method.set(value);
            waiting.set(false);
            samples.clear();
            update();
        }
    }

    /** The sensor is in the pack: from now on its raw readings count. Only for a salt. */
    public boolean startWaiting() {
        if (!enabled.get() || method.get() == Method.OFFSET) {
            return false;
        }
        samples.clear();
        waitStartedAt = agent.agentNow();
        Double now = rawNow();
        if (now != null) {
            // the reading in force holds until the agent reports a change
            samples.add(new Stability.Sample(waitStartedAt, now));
        }
        waiting.set(true);
        resultText.set("");
        update();
        return true;
    }

    public void cancelWaiting() {
        waiting.set(false);
        samples.clear();
        update();
    }

    /** Keeps the settled raw reading for the chosen salt; only once stable. */
    public boolean record() {
        Stability.Judgement judgement = judge();
        if (!waiting.get() || judgement == null || !judgement.stable()) {
            return false;
        }
        if (method.get() == Method.NACL) {
            rawAtNaClPct = judgement.settledPct();
        } else {
            rawAtMgCl2Pct = judgement.settledPct();
        }
        waiting.set(false);
        samples.clear();
        update();
        return true;
    }

    /** The offset for {@link Method#OFFSET}, as typed; a bad one is shown in the preview. */
    public void setOffsetText(String text) {
        offsetPct = null;
        offsetError = null;
        String trimmed = text == null ? "" : text.strip().replace(',', '.');
        if (!trimmed.isEmpty()) {
            try {
                offsetPct = Double.parseDouble(trimmed);
            } catch (NumberFormatException e) {
                offsetError = "the offset must be a number such as -1.5, was \"" + text.strip() + "\"";
            }
        }
        update();
    }

    /** Sends the calibration that {@link #previewTextProperty()} describes. */
    public boolean send() {
        CalibrationCommand command = command();
        return command != null && canSend.get() && sendCommand(command);
    }

    /** Back to the calibration of the agent's config file, for the chosen sensor. */
    public boolean reset() {
        return enabled.get() && sendCommand(new CalibrationCommand(CommandIds.next("calibration"), sensorNumber.get(),
                null, null, null, null, true));
    }

    /** Notices an agent that does not answer and moves the time waited on; call once a second. */
    public void refresh() {
        if (state.get() == CommandState.PENDING && sentAt != null
                && !agent.agentNow().isBefore(sentAt.plus(RulesViewModel.ANSWER_TIMEOUT))) {
            state.set(CommandState.NO_ANSWER);
            resultText.set("no answer from " + agent.agentId() + " within "
                    + RulesViewModel.ANSWER_TIMEOUT.toSeconds() + " s (an agent from before calibration drops"
                    + " the command)");
        }
        update();
    }

    private boolean sendCommand(CalibrationCommand command) {
        if (!enabled.get()) {
            return false;
        }
        String target = agent.agentId();
        pending = command;
        sentAt = agent.agentNow();
        state.set(CommandState.PENDING);
        resultText.set("sent, waiting for " + target + "…");
        update();
        CommandSend.onFailure(gateway.sendCalibration(target, command), ui, LOG, "cmd/calibration to " + target,
                () -> pending == command && state.get() == CommandState.PENDING, reason -> {
                    state.set(CommandState.FAILED);
                    resultText.set("not sent: " + reason);
                    update();
                });
        return true;
    }

    // ------------------------------------------------------------------------------------------ inputs

    private void onEvent(Event event) {
        if (event instanceof HumidityChanged) {
            Double raw = ((HumidityChanged) event).rawHumidityOf(sensorNumber.get());
            if (waiting.get() && raw != null && (samples.isEmpty()
                    || !event.at().isBefore(samples.get(samples.size() - 1).at()))) {
                samples.add(new Stability.Sample(event.at(), raw));
            }
            update();
        } else if (event instanceof CalibrationApplied) {
            CalibrationApplied applied = (CalibrationApplied) event;
            currentText.set("sensor " + applied.sensorNumber() + ": " + applied.calibration().describe()
                    + (applied.reset() ? " (the config file's)" : ""));
        } else if (event instanceof CommandResult && pending != null) {
            CommandResult result = (CommandResult) event;
            if (result.command() != CommandKind.CALIBRATION || !result.commandId().equals(pending.id())) {
                return;
            }
            if (result.accepted()) {
                state.set(CommandState.ACCEPTED);
                resultText.set("accepted: sensor " + pending.sensorNumber() + " is calibrated");
                forgetPoints();
            } else {
                state.set(CommandState.REJECTED);
                resultText.set("rejected: " + result.reason());
            }
            pending = null;
            update();
        }
    }

    // ------------------------------------------------------------------------------------------ derived

    private Double rawNow() {
        Event latest = agent.snapshot().latest(EventType.HUMIDITY_CHANGED);
        return latest instanceof HumidityChanged ? ((HumidityChanged) latest).rawHumidityOf(sensorNumber.get()) : null;
    }

    private Stability.Judgement judge() {
        if (!waiting.get() || waitStartedAt == null) {
            return null;
        }
        return Stability.judge(samples, waitStartedAt, agent.agentNow(), Stability.WINDOW, Stability.TOLERANCE_PCT);
    }

    /** The command the recorded points or the offset make, or null when there is none yet. */
    private CalibrationCommand command() {
        int sensor = sensorNumber.get();
        if (method.get() == Method.OFFSET) {
            return offsetPct == null ? null
                    : new CalibrationCommand("preview", sensor, offsetPct, null, null, null, false);
        }
        if (rawAtNaClPct == null && rawAtMgCl2Pct == null) {
            return null;
        }
        return new CalibrationCommand("preview", sensor, null, rawAtNaClPct, rawAtMgCl2Pct, null, false);
    }

    private void update() {
        SelectedAgent.Snapshot now = agent.snapshot();
        Event latest = now.latest(EventType.HUMIDITY_CHANGED);
        HumidityChanged reading = latest instanceof HumidityChanged ? (HumidityChanged) latest : null;
        List<AlarmKind> alarms = now.state() == null ? List.of() : now.state().activeAlarms();
        twoSensors.set((reading != null && reading.humidity2Pct() != null) || alarms.contains(AlarmKind.SENSOR_FAILED)
                || alarms.contains(AlarmKind.SENSOR_DIVERGENCE));
        String reason = now.whyNoCommand();
        if (reason == null && state.get() == CommandState.PENDING) {
            reason = "Waiting for the answer to the calibration sent";
        }
        enabled.set(reason == null);
        whyNot.set(reason == null ? "" : reason);

        Double raw = rawNow();
        liveText.set(now.agentId() == null ? "" : raw == null ? "sensor " + sensorNumber.get() + ": no reading yet"
                : "sensor " + sensorNumber.get() + " reads " + EventTexts.percent(raw) + " raw"
                        + (reading == null ? "" : ", " + EventTexts.ago(reading.at(), now.agentNow())));

        Stability.Judgement judgement = judge();
        stable.set(judgement != null && judgement.stable());
        if (judgement == null) {
            waitText.set("");
        } else if (judgement.stable()) {
            waitText.set(String.format(Locale.ROOT, "waited %s; settled at %.2f %% raw (moved %.1f points in the"
                    + " last %d min): record it", minutes(judgement.waited()), judgement.settledPct(),
                    judgement.spanPct(), Stability.WINDOW.toMinutes()));
        } else {
            waitText.set(String.format(Locale.ROOT, "waited %s; not settled yet: moved %.1f points, at most %.1f"
                    + " for %d min is settled", minutes(judgement.waited()), judgement.spanPct(),
                    Stability.TOLERANCE_PCT, Stability.WINDOW.toMinutes()));
        }
        recordedText.set("sodium chloride: " + (rawAtNaClPct == null ? "—" : EventTexts.percent(rawAtNaClPct) + " raw")
                + ", magnesium chloride: " + (rawAtMgCl2Pct == null ? "—" : EventTexts.percent(rawAtMgCl2Pct)
                + " raw"));

        boolean sendable = false;
        if (method.get() == Method.OFFSET && offsetError != null) {
            previewText.set(offsetError);
        } else {
            try {
                CalibrationCommand command = command();
                if (command == null) {
                    previewText.set(method.get() == Method.OFFSET ? "type the offset to add, in %RH"
                            : "record a salt reading first; one salt gives an offset, both a gain and an offset");
                } else {
                    Calibration calibration = command.applyTo(Calibration.NONE);
                    previewText.set("sensor " + command.sensorNumber() + " will read " + calibration.describe()
                            .replace(", +0.0 °C", "") + (command.rawAtNaClPct() != null && command.rawAtMgCl2Pct()
                            != null ? " (two salts)" : method.get() == Method.OFFSET ? "" : " (one salt)"));
                    sendable = true;
                }
            } catch (InvalidFieldException e) {
                previewText.set(e.getMessage());
            }
        }
        canSend.set(sendable && enabled.get());
    }

    private static String minutes(Duration waited) {
        long minutes = waited.toMinutes();
        return minutes < 60 ? minutes + " min" : minutes / 60 + " h " + minutes % 60 + " min";
    }

    // ------------------------------------------------------------------------------------------ properties

    public ReadOnlyIntegerProperty sensorNumberProperty() {
        return sensorNumber.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Method> methodProperty() {
        return method.getReadOnlyProperty();
    }

    /** The agent reads two sensors: offer the choice. */
    public ReadOnlyBooleanProperty twoSensorsProperty() {
        return twoSensors.getReadOnlyProperty();
    }

    /** A calibration can be sent now (connected, the agent online, nothing pending). */
    public ReadOnlyBooleanProperty enabledProperty() {
        return enabled.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty whyNotProperty() {
        return whyNot.getReadOnlyProperty();
    }

    /** The sensor is in the pack and its readings count. */
    public ReadOnlyBooleanProperty waitingProperty() {
        return waiting.getReadOnlyProperty();
    }

    /** Settled: {@link #record()} takes it. */
    public ReadOnlyBooleanProperty stableProperty() {
        return stable.getReadOnlyProperty();
    }

    /** "sensor 2 reads 74.6 % raw, 12 s ago". */
    public ReadOnlyStringProperty liveTextProperty() {
        return liveText.getReadOnlyProperty();
    }

    /** "waited 42 min; not settled yet: ..." while waiting. */
    public ReadOnlyStringProperty waitTextProperty() {
        return waitText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty recordedTextProperty() {
        return recordedText.getReadOnlyProperty();
    }

    /** What {@link #send()} would do, or why it cannot. */
    public ReadOnlyStringProperty previewTextProperty() {
        return previewText.getReadOnlyProperty();
    }

    /** The latest calibration the agent applied while this station listened, or empty. */
    public ReadOnlyStringProperty currentTextProperty() {
        return currentText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canSendProperty() {
        return canSend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CommandState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "accepted: sensor 2 is calibrated", "rejected: ...". */
    public ReadOnlyStringProperty resultTextProperty() {
        return resultText.getReadOnlyProperty();
    }
}
