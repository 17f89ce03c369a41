package dev.spike.station.water;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.command.RefillCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.rules.SprayEffects;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.StationFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The selected agent's water tank and how well its sprays work.
 *
 * <ul>
 *   <li>The tank, from the retained state's optional tank fields: {@link #hasTankProperty()} is false for an agent
 *       without one (or one that predates the water budget), and the card says how to configure it.</li>
 *   <li>{@link #refill()}, after the view's confirmation, sends {@code cmd/refill} (full) and follows its
 *       {@code command_result} in {@link #refillTextProperty()}.</li>
 *   <li>{@link #rises()}: the rise of every spray of the last {@link #SHOWN} ({@code spray_effect}), oldest first,
 *       read from the store on selection and extended live; {@link #efficacyTextProperty()} compares the last week's
 *       mean with the week before's, as the agent's {@code clogging} alarm does.</li>
 * </ul>
 *
 * <p>Properties change on the UI executor only.
 */
public final class WaterViewModel {

    /** How far back the rise per spray is shown. */
    public static final Duration SHOWN = Duration.ofDays(56);

    /** The rise of one spray, for the plot. */
    public record Rise(Instant sprayAt, double risePct) {
    }

    private final SelectedAgent agent;
    private final StationFeed feed;
    private final MqttGateway gateway;
    private final Executor ui;

    private final ReadOnlyBooleanWrapper hasTank = new ReadOnlyBooleanWrapper(this, "hasTank");
    private final ReadOnlyDoubleWrapper level = new ReadOnlyDoubleWrapper(this, "level");
    private final ReadOnlyStringWrapper tankText = new ReadOnlyStringWrapper(this, "tankText", "");
    private final ReadOnlyStringWrapper daysLeftText = new ReadOnlyStringWrapper(this, "daysLeftText", "");
    private final ReadOnlyBooleanWrapper low = new ReadOnlyBooleanWrapper(this, "low");
    private final ReadOnlyBooleanWrapper clogging = new ReadOnlyBooleanWrapper(this, "clogging");
    private final ReadOnlyBooleanWrapper canRefill = new ReadOnlyBooleanWrapper(this, "canRefill");
    private final ReadOnlyStringWrapper refillText = new ReadOnlyStringWrapper(this, "refillText", "");
    private final ReadOnlyStringWrapper efficacyText = new ReadOnlyStringWrapper(this, "efficacyText", "");
    private final ObservableList<Rise> rises = FXCollections.observableArrayList();
    /**
     * One read-only view, kept: a view made per call listens to {@link #rises} only weakly, so a listener added to
     * it went silent at the next garbage collection (the rise plot stopped following new sprays).
     */
    private final ObservableList<Rise> readOnlyRises = FXCollections.unmodifiableObservableList(rises);

    // UI thread only.
    private String commandId;
    private int load;

    /**
     * @param agent   the selected agent
     * @param feed    the store, for the rises of past weeks
     * @param gateway to send {@code cmd/refill}
     * @param ui      {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     */
    public WaterViewModel(SelectedAgent agent, StationFeed feed, MqttGateway gateway, Executor ui) {
        this.agent = agent;
        this.feed = feed;
        this.gateway = gateway;
        this.ui = ui;
        agent.onSelect(this::reload);
        agent.snapshotProperty().addListener((o, was, now) -> show());
        agent.onEvent(this::onEvent);
        reload(agent.agentId());
    }

    private void reload(String agentId) {
        int mine = ++load;
        commandId = null;
        refillText.set("");
        rises.clear();
        showEfficacy();
        show();
        if (agentId == null) {
            return;
        }
        Instant from = agent.agentNow().minus(SHOWN);
        feed.read(store -> store.events(agentId, EventQuery.newest(EventQuery.MAX_LIMIT)
                .withTypes(EnumSet.of(EventType.SPRAY_EFFECT)).between(from, null)))
                .thenAcceptAsync(events -> {
                    if (mine != load) {
                        return;
                    }
                    List<Rise> loaded = new ArrayList<>();
                    for (Event event : events) {
                        SprayEffect effect = (SprayEffect) event;
                        loaded.add(new Rise(effect.sprayAt(), effect.risePct()));
                    }
                    for (Rise live : rises) {
                        if (!loaded.contains(live)) {
                            loaded.add(live);
                        }
                    }
                    loaded.sort(Comparator.comparing(Rise::sprayAt));
                    rises.setAll(loaded);
                    showEfficacy();
                }, ui);
    }

    private void show() {
        AgentState state = agent.snapshot().state();
        boolean tank = state != null && state.tankLevelL() != null && state.tankCapacityL() != null;
        hasTank.set(tank);
        List<AlarmKind> alarms = state == null ? List.of() : state.activeAlarms();
        low.set(alarms.contains(AlarmKind.LOW_WATER));
        clogging.set(alarms.contains(AlarmKind.CLOGGING));
        if (!tank) {
            level.set(0);
            tankText.set(state == null ? "" : "no tank configured (agent: tank.capacityL)");
            daysLeftText.set("");
        } else {
            level.set(Math.max(0, Math.min(1, state.tankLevelL() / state.tankCapacityL())));
            tankText.set(EventTexts.litres(state.tankLevelL()) + " of " + EventTexts.litres(state.tankCapacityL())
                    + String.format(Locale.ROOT, " (%.0f %%)", 100 * level.get()));
            daysLeftText.set(state.tankDaysLeft() == null ? "days left: not known before the first spray"
                    : EventTexts.daysLeft(state.tankDaysLeft()));
        }
        canRefill.set(tank && agent.snapshot().online() && gateway.state().isConnected());
    }

    private void onEvent(Event event) {
        if (event instanceof SprayEffect) {
            SprayEffect effect = (SprayEffect) event;
            Rise rise = new Rise(effect.sprayAt(), effect.risePct());
            if (!rises.contains(rise)) {
                int at = rises.size();
                while (at > 0 && rises.get(at - 1).sprayAt().isAfter(rise.sprayAt())) {
                    at--;
                }
                rises.add(at, rise);
                showEfficacy();
            }
        } else if (event instanceof CommandResult && commandId != null) {
            CommandResult result = (CommandResult) event;
            if (result.command() == CommandKind.REFILL && result.commandId().equals(commandId)) {
                refillText.set(result.accepted() ? "refilled: the agent counts from a full tank"
                        : "refused: " + result.reason());
                commandId = null;
            }
        }
    }

    /** "Refilled the tank of terrarium-1 to the top?": for the view's confirmation dialog. */
    public String confirmationText() {
        return "Did you fill the tank of " + agent.agentId() + " to the top? The agent then counts from a full tank.";
    }

    /**
     * Sends {@code cmd/refill} (filled to the top). Call after the person confirmed.
     *
     * @return false, doing nothing, if {@link #canRefillProperty()} is false
     */
    public boolean refill() {
        show();
        if (!canRefill.get()) {
            return false;
        }
        String target = agent.agentId();
        RefillCommand command = new RefillCommand(CommandIds.next("refill"), null);
        commandId = command.id();
        refillText.set("sent, waiting for " + target + "…");
        gateway.sendRefill(target, command).whenCompleteAsync((ignored, error) -> {
            if (error != null && command.id().equals(commandId)) {
                refillText.set("not sent: " + error.getMessage());
                commandId = null;
            }
        }, ui);
        return true;
    }

    private void showEfficacy() {
        Instant now = agent.agentNow();
        double[] last = mean(now.minus(SprayEffects.WEEK), now);
        double[] before = mean(now.minus(SprayEffects.WEEK.multipliedBy(2)), now.minus(SprayEffects.WEEK));
        if (last[1] == 0) {
            efficacyText.set(rises.isEmpty() ? "no spray measured yet" : "no spray measured in the last 7 days");
            return;
        }
        String text = String.format(Locale.ROOT, "last 7 days: +%.1f points a spray (%d)", last[0], (int) last[1]);
        if (before[1] > 0) {
            text += String.format(Locale.ROOT, "; the 7 days before: +%.1f (%d)", before[0], (int) before[1]);
        }
        efficacyText.set(text);
    }

    /** The mean rise and the count of the sprays in (from, to]. */
    private double[] mean(Instant from, Instant to) {
        double sum = 0;
        int count = 0;
        for (Rise rise : rises) {
            if (rise.sprayAt().isAfter(from) && !rise.sprayAt().isAfter(to)) {
                sum += rise.risePct();
                count++;
            }
        }
        return new double[] {count == 0 ? 0 : sum / count, count};
    }

    /** How many days before the agent's now a spray was, for the plot's x axis (negative). */
    public double daysAgo(Rise rise) {
        return -Duration.between(rise.sprayAt(), agent.agentNow()).toMinutes() / 1440.0;
    }

    /** Call once a second: the connection and the weeks move on. */
    public void refresh() {
        show();
        showEfficacy();
    }

    public ReadOnlyBooleanProperty hasTankProperty() {
        return hasTank.getReadOnlyProperty();
    }

    /** The tank's level, 0..1. */
    public ReadOnlyDoubleProperty levelProperty() {
        return level.getReadOnlyProperty();
    }

    /** "3.52 L of 5.00 L (70 %)". */
    public ReadOnlyStringProperty tankTextProperty() {
        return tankText.getReadOnlyProperty();
    }

    /** "about 11.8 days left". */
    public ReadOnlyStringProperty daysLeftTextProperty() {
        return daysLeftText.getReadOnlyProperty();
    }

    /** Whether {@code low_water} is raised. */
    public ReadOnlyBooleanProperty lowProperty() {
        return low.getReadOnlyProperty();
    }

    /** Whether {@code clogging} is raised. */
    public ReadOnlyBooleanProperty cloggingProperty() {
        return clogging.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRefillProperty() {
        return canRefill.getReadOnlyProperty();
    }

    /** What became of the last refill sent. */
    public ReadOnlyStringProperty refillTextProperty() {
        return refillText.getReadOnlyProperty();
    }

    /** "last 7 days: +8.1 points a spray (12); the 7 days before: +11.9 (14)". */
    public ReadOnlyStringProperty efficacyTextProperty() {
        return efficacyText.getReadOnlyProperty();
    }

    /** The rise of every spray of the last {@link #SHOWN}, oldest first. */
    public ObservableList<Rise> rises() {
        return readOnlyRises;
    }
}
