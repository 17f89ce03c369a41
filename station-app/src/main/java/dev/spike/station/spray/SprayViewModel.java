package dev.spike.station.spray;

import dev.spike.model.CommandKind;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.agents.SelectedAgent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manual spray of the selected agent.
 *
 * <ul>
 *   <li>{@link #durationSProperty()}: editable, 1..{@link #maxDurationSProperty() maxSprayS} of the agent's rules;
 *       set to the rules' {@code sprayDurationS} when an agent is selected.</li>
 *   <li>{@link #canSprayProperty()} is false, with {@link #whyNotProperty()} saying why, while the station is
 *       disconnected, the agent offline, its rules unknown, the valve open, a spray under way, or the duration out
 *       of range.</li>
 *   <li>{@link #spray()}, after the view's confirmation ({@link #confirmationText()}), sends {@code cmd/spray}
 *       with a fresh id; {@link #progressProperty()} then follows {@link SprayProgress}: pending, accepted or
 *       rejected (with the agent's reason), open with a countdown ({@link #remainingSProperty()}), done. Without a
 *       {@code valve_opened} within 5 s it becomes UNCONFIRMED and the station raises an alarm.</li>
 * </ul>
 *
 * <p>The app calls {@link #refresh()} once a second (countdown, 5 s check). Properties change on the UI executor
 * only.
 */
public final class SprayViewModel {

    public static final Duration CONFIRM_TIMEOUT = AlarmTracker.SPRAY_CONFIRM_TIMEOUT;

    private static final Logger LOG = LoggerFactory.getLogger(SprayViewModel.class);

    private final MqttGateway gateway;
    private final AlarmTracker alarms;
    private final Executor ui;
    private final Clock clock;
    private final SelectedAgent agent;

    private final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId");
    private final IntegerProperty durationS = new SimpleIntegerProperty(this, "durationS", 6);
    private final ReadOnlyIntegerWrapper maxDurationS = new ReadOnlyIntegerWrapper(this, "maxDurationS", 0);
    private final ReadOnlyBooleanWrapper canSpray = new ReadOnlyBooleanWrapper(this, "canSpray");
    private final ReadOnlyStringWrapper whyNot = new ReadOnlyStringWrapper(this, "whyNot", "");
    private final ReadOnlyObjectWrapper<SprayProgress> progress =
            new ReadOnlyObjectWrapper<>(this, "progress", SprayProgress.IDLE);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyIntegerWrapper remainingS = new ReadOnlyIntegerWrapper(this, "remainingS");

    // The spray under way; UI thread only.
    private String commandId;
    private String commandAgent;
    private int commandDuration;
    private Instant sentAt;
    private Instant closesAt;
    private long openedSeq;
    private boolean durationFromRules;

    /**
     * @param agent   the selected agent
     * @param gateway to send {@code cmd/spray}
     * @param alarms  raises the alarm when a spray is not confirmed
     * @param ui      {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param clock   the station's clock
     */
    public SprayViewModel(SelectedAgent agent, MqttGateway gateway, AlarmTracker alarms, Executor ui, Clock clock) {
        this.gateway = gateway;
        this.alarms = alarms;
        this.ui = ui;
        this.clock = clock;
        this.agent = agent;
        agent.onSelect(this::onSelect);
        agent.snapshotProperty().addListener((observable, old, now) -> update());
        agent.onEvent(this::onEvent);
        durationS.addListener((observable, old, now) -> update());
        onSelect(agent.agentId());
    }

    /** A spray under way for another agent is no longer shown. */
    private void onSelect(String selected) {
        if (commandAgent != null && !commandAgent.equals(selected)) {
            reset();
        }
        agentId.set(selected);
        durationFromRules = true;
        update();
    }

    /** "Spray terrarium-1 for 6 s now?": for the view's confirmation dialog. */
    public String confirmationText() {
        return "Spray " + agent.agentId() + " for " + durationS.get() + " s now?";
    }

    /**
     * Sends {@code cmd/spray} for {@link #durationSProperty()} seconds. Call after the person confirmed.
     *
     * @return false, doing nothing, if {@link #canSprayProperty()} is false
     */
    public boolean spray() {
        update();
        if (!canSpray.get()) {
            return false;
        }
        String target = agent.agentId();
        int duration = durationS.get();
        SprayCommand command = new SprayCommand(CommandIds.next("spray"), duration);
        commandId = command.id();
        commandAgent = target;
        commandDuration = duration;
        sentAt = clock.instant();
        closesAt = null;
        openedSeq = 0;
        setProgress(SprayProgress.PENDING, "sent, waiting for " + target + "…");
        Instant sent = sentAt;
        gateway.sendSpray(target, command).whenComplete((ignored, error) -> {
            if (error == null) {
                alarms.expectSprayConfirmation(target, command.id(), duration, sent);
            }
        }).whenCompleteAsync((ignored, error) -> {
            if (error != null && command.id().equals(commandId) && progress.get() == SprayProgress.PENDING) {
                LOG.warn("spray {} to {} not sent: {}", command.id(), target, error.getMessage());
                setProgress(SprayProgress.FAILED, "not sent: " + rootMessage(error));
            }
        }, ui);
        return true;
    }

    /** Countdown and the 5 s confirmation check; call once a second. */
    public void refresh() {
        Instant now = clock.instant();
        SprayProgress current = progress.get();
        if ((current == SprayProgress.PENDING || current == SprayProgress.ACCEPTED)
                && !now.isBefore(sentAt.plus(CONFIRM_TIMEOUT))) {
            setProgress(SprayProgress.UNCONFIRMED, "not confirmed within " + CONFIRM_TIMEOUT.toSeconds()
                    + " s: no valve_opened from " + commandAgent + " (see the alarms)");
        } else if (current == SprayProgress.OPEN) {
            // the valve's close time is on the agent's clock
            showCountdown(agent.agentNow());
        }
        update();
    }

    private void onEvent(Event event) {
        if (commandId == null || !event.agentId().equals(commandAgent)) {
            return;
        }
        if (event instanceof CommandResult) {
            CommandResult result = (CommandResult) event;
            if (result.command() != CommandKind.SPRAY || !result.commandId().equals(commandId)) {
                return;
            }
            if (!result.accepted()) {
                setProgress(SprayProgress.REJECTED, "rejected: " + result.reason());
            } else if (progress.get() == SprayProgress.PENDING) {
                setProgress(SprayProgress.ACCEPTED, "accepted, waiting for the valve…");
            }
        } else if (event instanceof ValveOpened && commandId.equals(((ValveOpened) event).commandId())) {
            ValveOpened opened = (ValveOpened) event;
            openedSeq = opened.seq();
            closesAt = opened.at().plusSeconds(opened.durationS());
            progress.set(SprayProgress.OPEN);
            showCountdown(agent.agentNow());
        } else if (event instanceof ValveClosed && openedSeq > 0 && event.seq() > openedSeq
                && progress.get() == SprayProgress.OPEN) {
            remainingS.set(0);
            setProgress(SprayProgress.DONE, "done: sprayed " + EventTexts.seconds(((ValveClosed) event).openMs()));
        }
    }

    private void showCountdown(Instant now) {
        long ms = closesAt == null ? 0 : Math.max(0, Duration.between(now, closesAt).toMillis());
        int seconds = (int) ((ms + 999) / 1000);
        remainingS.set(seconds);
        progressText.set(seconds > 0 ? "spraying, " + seconds + " s left" : "spraying, closing…");
    }

    private void setProgress(SprayProgress next, String text) {
        progress.set(next);
        progressText.set(text);
        update();
    }

    private void reset() {
        commandId = null;
        commandAgent = null;
        sentAt = null;
        closesAt = null;
        openedSeq = 0;
        remainingS.set(0);
        progress.set(SprayProgress.IDLE);
        progressText.set("");
    }

    /** Recomputes max duration, canSpray and whyNot. */
    private void update() {
        SelectedAgent.Snapshot now = agent.snapshot();
        int max = now.config() == null ? 0 : now.config().rules().maxSprayS();
        maxDurationS.set(max);
        if (durationFromRules && now.config() != null) {
            durationFromRules = false;
            durationS.set(now.config().rules().sprayDurationS());
        }
        String reason = now.whyNoCommand();
        if (reason == null && now.config() == null) {
            reason = "Waiting for " + now.agentId() + "'s rules";
        }
        if (reason == null && now.state() != null && now.state().valveOpen()) {
            reason = "The valve is open";
        }
        if (reason == null && progress.get().busy()) {
            reason = "A spray is under way";
        }
        if (reason == null && (durationS.get() < 1 || durationS.get() > max)) {
            reason = "The duration must be 1.." + max + " s";
        }
        canSpray.set(reason == null);
        whyNot.set(reason == null ? "" : reason);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    public ReadOnlyStringProperty agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    /** Editable: seconds to spray. */
    public IntegerProperty durationSProperty() {
        return durationS;
    }

    /** The agent's {@code maxSprayS}; 0 while its rules are unknown. */
    public ReadOnlyIntegerProperty maxDurationSProperty() {
        return maxDurationS.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canSprayProperty() {
        return canSpray.getReadOnlyProperty();
    }

    /** Why the spray button is disabled; empty when it is not. */
    public ReadOnlyStringProperty whyNotProperty() {
        return whyNot.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SprayProgress> progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "sent, waiting for terrarium-1…", "rejected: valve already open", "spraying, 4 s left", "done: ...". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** Seconds until the valve closes while OPEN; 0 otherwise. */
    public ReadOnlyIntegerProperty remainingSProperty() {
        return remainingS.getReadOnlyProperty();
    }
}
