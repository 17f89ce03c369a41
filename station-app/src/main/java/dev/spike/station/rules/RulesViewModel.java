package dev.spike.station.rules;

import dev.spike.model.Checks;
import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandState;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * The rules editor of the selected agent: every setting of its rules in force as an editable text
 * ({@link #fields()}), validated as it is typed with the {@link Rules} record's own checks, so a field shows exactly
 * the message the agent would reject it with ("sprayDurationS must be 1..30, was 45"). Settings that depend on each
 * other ({@code sprayDurationS} ≤ {@code maxSprayS}, {@code alarmLowPct} < {@code alarmHighPct}) are checked
 * together; the error goes to the field the rules name.
 *
 * <p>{@link #apply()} sends {@code cmd/config} with the whole rules; {@link #stateProperty()} and
 * {@link #resultTextProperty()} show the agent's answer. {@link #revert()} puts the rules in force back. When the
 * agent's config changes while nothing is edited, the fields follow it; edits are never overwritten.
 *
 * <p>Properties change on the UI executor only; the app calls {@link #refresh()} once a second (answer timeout).
 */
public final class RulesViewModel {

    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RulesViewModel.class);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private final MqttGateway gateway;
    private final Executor ui;
    private final Clock clock;
    private final SelectedAgent agent;
    private final List<RuleField> fields = List.of(
            new RuleField("lowHumidityPct", "Spray below", "%RH", RuleField.Kind.NUMBER),
            new RuleField("sprayDurationS", "Spray duration", "s", RuleField.Kind.WHOLE),
            new RuleField("minIntervalMin", "Cooldown after a spray", "min", RuleField.Kind.WHOLE),
            new RuleField("sensorDownSprayEveryH", "Sensor down: spray every", "h", RuleField.Kind.WHOLE),
            new RuleField("sensorDownAfterFailures", "Sensor down after failed reads", "", RuleField.Kind.WHOLE),
            new RuleField("eveningTime", "Evening spray at", "HH:mm", RuleField.Kind.TIME),
            new RuleField("eveningSkipIfSprayedWithinMin", "Skip the evening spray if sprayed within", "min",
                    RuleField.Kind.WHOLE),
            new RuleField("timeZone", "Time zone", "", RuleField.Kind.ZONE),
            new RuleField("maxSprayS", "Longest spray", "s", RuleField.Kind.WHOLE),
            new RuleField("readIntervalS", "Read interval", "s", RuleField.Kind.WHOLE),
            new RuleField("alarmLowPct", "Alarm below", "%RH", RuleField.Kind.NUMBER),
            new RuleField("alarmHighPct", "Alarm above", "%RH", RuleField.Kind.NUMBER));
    private final Map<String, RuleField> byName = new HashMap<>();
    private final ProgramRows program = new ProgramRows(this::validate);

    private final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId");
    private final ReadOnlyObjectWrapper<Rules> rulesInForce = new ReadOnlyObjectWrapper<>(this, "rulesInForce");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid");
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyBooleanWrapper canApply = new ReadOnlyBooleanWrapper(this, "canApply");
    private final ReadOnlyStringWrapper whyNot = new ReadOnlyStringWrapper(this, "whyNot", "");
    private final ReadOnlyObjectWrapper<CommandState> state =
            new ReadOnlyObjectWrapper<>(this, "state", CommandState.IDLE);
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper(this, "resultText", "");
    private final ReadOnlyObjectWrapper<Rules> editedRules = new ReadOnlyObjectWrapper<>(this, "editedRules");

    // UI thread only.
    private Rules base;
    private boolean filling;
    private String commandId;
    private Instant sentAt;

    public RulesViewModel(SelectedAgent agent, MqttGateway gateway, Executor ui, Clock clock) {
        this.gateway = gateway;
        this.ui = ui;
        this.clock = clock;
        for (RuleField field : fields) {
            byName.put(field.name(), field);
            field.textProperty().addListener((observable, old, now) -> {
                if (!filling) {
                    validate();
                }
            });
        }
        this.agent = agent;
        agent.onSelect(this::onSelect);
        agent.snapshotProperty().addListener((observable, old, now) -> onAgentChanged());
        agent.onEvent(this::onEvent);
        onSelect(agent.agentId());
        onAgentChanged();
    }

    /** Edits for another agent are dropped. */
    private void onSelect(String selected) {
        agentId.set(selected);
        base = null;
        rulesInForce.set(null);
        commandId = null;
        state.set(CommandState.IDLE);
        resultText.set("");
        fill(null);
    }

    /**
     * Sends the edited rules, whole, with {@code cmd/config}.
     *
     * @return false, doing nothing, if {@link #canApplyProperty()} is false
     */
    public boolean apply() {
        Rules rules = validate();
        if (!canApply.get() || rules == null) {
            return false;
        }
        String target = agent.agentId();
        ConfigCommand command = new ConfigCommand(CommandIds.next("config"), rules);
        commandId = command.id();
        sentAt = clock.instant();
        state.set(CommandState.PENDING);
        resultText.set("sent, waiting for " + target + "'s answer…");
        update();
        gateway.sendConfig(target, command).whenCompleteAsync((ignored, error) -> {
            if (error != null && command.id().equals(commandId) && state.get() == CommandState.PENDING) {
                LOG.warn("rules for {} not sent: {}", target, error.getMessage());
                state.set(CommandState.FAILED);
                resultText.set("not sent: " + error.getMessage());
                update();
            }
        }, ui);
        return true;
    }

    /** Puts the rules in force back into the fields. */
    public void revert() {
        fill(base);
    }

    /** Notices an agent that does not answer; call once a second. */
    public void refresh() {
        if (state.get() == CommandState.PENDING && !clock.instant().isBefore(sentAt.plus(ANSWER_TIMEOUT))) {
            state.set(CommandState.NO_ANSWER);
            resultText.set("no answer from " + agent.agentId() + " within " + ANSWER_TIMEOUT.toSeconds()
                    + " s; it may not have received the rules");
            update();
        }
    }

    private void onAgentChanged() {
        Rules inForce = agent.snapshot().rules();
        if (!Objects.equals(inForce, base)) {
            boolean edited = dirty.get();
            base = inForce;
            rulesInForce.set(inForce);
            if (!edited) {
                fill(inForce);
                return;
            }
        }
        validate();
    }

    private void onEvent(Event event) {
        if (!(event instanceof CommandResult) || commandId == null) {
            return;
        }
        CommandResult result = (CommandResult) event;
        if (result.command() != CommandKind.CONFIG || !result.commandId().equals(commandId)) {
            return;
        }
        if (result.accepted()) {
            state.set(CommandState.ACCEPTED);
            resultText.set("accepted: the new rules are in force on " + result.agentId());
        } else {
            state.set(CommandState.REJECTED);
            resultText.set("rejected: " + result.reason());
        }
        update();
    }

    private void fill(Rules rules) {
        filling = true;
        try {
            for (RuleField field : fields) {
                field.textProperty().set(rules == null ? "" : format(rules, field.name()));
            }
            program.fill(rules == null ? Program.NONE : rules.program());
        } finally {
            filling = false;
        }
        validate();
    }

    /** Checks every field; returns the rules if all are valid, else null. */
    private Rules validate() {
        if (base == null) {
            // Nothing to edit before the rules in force are known.
            for (RuleField field : fields) {
                field.setError(null);
                field.setChanged(false);
            }
            valid.set(false);
            dirty.set(false);
            editedRules.set(null);
            update();
            return null;
        }
        Map<String, Object> parsed = new HashMap<>();
        for (RuleField field : fields) {
            field.setError(null);
            try {
                parsed.put(field.name(), parse(field));
            } catch (InvalidFieldException e) {
                field.setError(e.getMessage());
            }
        }
        Map<String, Object> inForce = values(base);
        // Each field alone against the rules in force: errors that belong to that field.
        for (RuleField field : fields) {
            if (!parsed.containsKey(field.name())) {
                continue;
            }
            Map<String, Object> one = new HashMap<>(inForce);
            one.put(field.name(), parsed.get(field.name()));
            try {
                build(one);
            } catch (InvalidFieldException e) {
                if (e.field().equals(field.name())) {
                    field.setError(e.getMessage());
                }
            }
        }
        Rules rules = null;
        boolean allParsed = parsed.size() == fields.size();
        if (allParsed) {
            try {
                rules = build(parsed);
            } catch (InvalidFieldException e) {
                RuleField named = byName.get(e.field());
                if (named != null && named.errorProperty().get().isEmpty()) {
                    named.setError(e.getMessage());
                }
            }
        }
        Program editedProgram = program.validate(base.program());
        rules = rules == null || editedProgram == null ? null : rules.withProgram(editedProgram);
        boolean anyError = program.anyError();
        for (RuleField field : fields) {
            anyError |= !field.errorProperty().get().isEmpty();
            field.setChanged(!Objects.equals(parsed.get(field.name()), inForce.get(field.name())));
        }
        valid.set(rules != null && !anyError);
        boolean changed = program.changed(base.program());
        for (RuleField field : fields) {
            changed |= field.changedProperty().get();
        }
        dirty.set(changed);
        editedRules.set(valid.get() ? rules : null);
        update();
        return valid.get() ? rules : null;
    }

    private void update() {
        String reason = agent == null ? "Select an agent first" : agent.snapshot().whyNoCommand();
        if (reason == null && base == null) {
            reason = "Waiting for " + agent.agentId() + "'s rules";
        }
        if (reason == null && state.get() == CommandState.PENDING) {
            reason = "Waiting for the answer to the last change";
        }
        if (reason == null && !valid.get()) {
            reason = "Correct the marked fields";
        }
        if (reason == null && !dirty.get()) {
            reason = "Nothing changed";
        }
        canApply.set(reason == null);
        whyNot.set(reason == null ? "" : reason);
    }

    /** The field's text as its kind reads it; the error names the field as the agent would. */
    static Object parse(RuleField field) {
        String text = field.textProperty().get() == null ? "" : field.textProperty().get().strip();
        String name = field.name();
        if (text.isEmpty()) {
            throw new InvalidFieldException(name, "is required");
        }
        switch (field.kind()) {
            case NUMBER:
                try {
                    double value = Double.parseDouble(text);
                    if (!Double.isFinite(value)) {
                        throw new NumberFormatException();
                    }
                    return value;
                } catch (NumberFormatException e) {
                    throw new InvalidFieldException(name,
                            "must be a number such as 75 or 72.5, was \"" + text + "\"");
                }
            case WHOLE:
                try {
                    return Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new InvalidFieldException(name, "must be a whole number, was \"" + text + "\"");
                }
            case TIME:
                try {
                    return LocalTime.parse(text, HH_MM);
                } catch (DateTimeParseException e) {
                    throw new InvalidFieldException(name,
                            "must be a time HH:mm such as 20:00, was \"" + text + "\"");
                }
            case ZONE:
                try {
                    return ZoneId.of(text);
                } catch (DateTimeException e) {
                    throw new InvalidFieldException(name,
                            "must be a time zone such as Europe/Berlin or UTC, was \"" + text + "\"");
                }
            default:
                throw new IllegalStateException("unknown kind " + field.kind());
        }
    }

    private static Map<String, Object> values(Rules rules) {
        Map<String, Object> values = new HashMap<>();
        values.put("lowHumidityPct", rules.lowHumidityPct());
        values.put("sprayDurationS", rules.sprayDurationS());
        values.put("minIntervalMin", rules.minIntervalMin());
        values.put("sensorDownSprayEveryH", rules.sensorDownSprayEveryH());
        values.put("sensorDownAfterFailures", rules.sensorDownAfterFailures());
        values.put("eveningTime", rules.eveningTime());
        values.put("eveningSkipIfSprayedWithinMin", rules.eveningSkipIfSprayedWithinMin());
        values.put("timeZone", rules.timeZone());
        values.put("maxSprayS", rules.maxSprayS());
        values.put("readIntervalS", rules.readIntervalS());
        values.put("alarmLowPct", rules.alarmLowPct());
        values.put("alarmHighPct", rules.alarmHighPct());
        return values;
    }

    private static Rules build(Map<String, Object> v) {
        return new Rules(
                (Double) v.get("lowHumidityPct"),
                (Integer) v.get("sprayDurationS"),
                (Integer) v.get("minIntervalMin"),
                (Integer) v.get("sensorDownSprayEveryH"),
                (Integer) v.get("sensorDownAfterFailures"),
                (LocalTime) v.get("eveningTime"),
                (Integer) v.get("eveningSkipIfSprayedWithinMin"),
                (ZoneId) v.get("timeZone"),
                (Integer) v.get("maxSprayS"),
                (Integer) v.get("readIntervalS"),
                (Double) v.get("alarmLowPct"),
                (Double) v.get("alarmHighPct"));
    }

    private static String format(Rules rules, String name) {
        Object value = values(rules).get(name);
        if (value instanceof Double) {
            return Checks.plain((Double) value);
        }
        if (value instanceof LocalTime) {
            return HH_MM.format((LocalTime) value);
        }
        if (value instanceof ZoneId) {
            return ((ZoneId) value).getId();
        }
        return String.valueOf(value);
    }

    /** Every setting, in the order of the protocol's rules table. */
    public List<RuleField> fields() {
        return fields;
    }

    /** The day/night program being edited: its periods, each with its own fields and errors. */
    public ProgramRows program() {
        return program;
    }

    /** The field of one setting by its name ({@code sprayDurationS}). */
    public RuleField field(String name) {
        RuleField field = byName.get(name);
        if (field == null) {
            throw new IllegalArgumentException("no rule named " + name);
        }
        return field;
    }

    public ReadOnlyStringProperty agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    /** The agent's rules in force, or null while unknown. */
    /** The rules as edited, whole and valid, or null while a field is wrong or nothing is known: the preview's. */
    public ReadOnlyObjectProperty<Rules> editedRulesProperty() {
        return editedRules.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Rules> rulesInForceProperty() {
        return rulesInForce.getReadOnlyProperty();
    }

    /** Every field is valid and they make valid rules together. */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** Some field differs from the rules in force. */
    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canApplyProperty() {
        return canApply.getReadOnlyProperty();
    }

    /** Why apply is disabled; empty when it is not. */
    public ReadOnlyStringProperty whyNotProperty() {
        return whyNot.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<CommandState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** "accepted: the new rules are in force on terrarium-1", "rejected: ...". */
    public ReadOnlyStringProperty resultTextProperty() {
        return resultText.getReadOnlyProperty();
    }
}
