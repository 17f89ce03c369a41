package dev.spike.station.rules;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Program;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The day/night program in the rules editor: one {@link Row} per period, each with its from/to times, threshold and
 * optional cooldown as editable texts with their own errors as they are typed. The messages are the agent's, with
 * the period's path: "program[1].lowHumidityPct must be 1..99, was 120", and an overlap goes to the later period's
 * {@code from}: "program[1] must not overlap program[0] (22:00–07:00), was 06:00–09:00". Part of
 * {@link RulesViewModel}, which validates it with the other settings; UI thread only.
 */
public final class ProgramRows {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    /** One period of the program being edited. */
    public static final class Row {
        private final RuleField from = new RuleField("from", "From", "HH:mm", RuleField.Kind.TIME);
        private final RuleField to = new RuleField("to", "To", "HH:mm", RuleField.Kind.TIME);
        private final RuleField lowHumidityPct = new RuleField("lowHumidityPct", "Spray below", "%RH",
                RuleField.Kind.NUMBER);
        private final RuleField minIntervalMin = new RuleField("minIntervalMin", "Cooldown", "min",
                RuleField.Kind.WHOLE);

        Row(String fromText, String toText, String thresholdText, String cooldownText) {
            from.textProperty().set(fromText);
            to.textProperty().set(toText);
            lowHumidityPct.textProperty().set(thresholdText);
            minIntervalMin.textProperty().set(cooldownText);
        }

        public RuleField from() {
            return from;
        }

        public RuleField to() {
            return to;
        }

        public RuleField lowHumidityPct() {
            return lowHumidityPct;
        }

        /** Empty text: the rules' own cooldown. */
        public RuleField minIntervalMin() {
            return minIntervalMin;
        }

        /** In the order of the protocol's period table. */
        public List<RuleField> fields() {
            return List.of(from, to, lowHumidityPct, minIntervalMin);
        }
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<Row> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyBooleanWrapper canAdd = new ReadOnlyBooleanWrapper(this, "canAdd", true);
    private final Runnable onEdit;
    private boolean filling;

    /** @param onEdit called after a text or the list of periods changed (not while filling) */
    ProgramRows(Runnable onEdit) {
        this.onEdit = onEdit;
    }

    /** The periods being edited, in order. Change them with {@link #add()} and {@link #remove(Row)}. */
    public ObservableList<Row> rows() {
        return readOnlyRows;
    }

    /** False at {@value Program#MAX_PERIODS} periods, the most the rules take. */
    public ReadOnlyBooleanProperty canAddProperty() {
        return canAdd.getReadOnlyProperty();
    }

    /**
     * Adds a period: the first a night (22:00 to 07:00 at 85 %, the keepers' usual), a later one starting where
     * the last ends, its end and threshold left for the keeper to type.
     */
    public void add() {
        if (!canAdd.get()) {
            return;
        }
        if (rows.isEmpty()) {
            rows.add(watch(new Row("22:00", "07:00", "85", "")));
        } else {
            rows.add(watch(new Row(rows.get(rows.size() - 1).to().textProperty().get(), "", "", "")));
        }
        changed();
    }

    public void remove(Row row) {
        if (rows.remove(row)) {
            changed();
        }
    }

    void fill(Program program) {
        filling = true;
        try {
            List<Row> filled = new ArrayList<>();
            for (Program.Period period : program.periods()) {
                filled.add(watch(new Row(HH_MM.format(period.from()), HH_MM.format(period.to()),
                        Checks.plain(period.lowHumidityPct()),
                        period.minIntervalMin() == null ? "" : period.minIntervalMin().toString())));
            }
            rows.setAll(filled);
            canAdd.set(rows.size() < Program.MAX_PERIODS);
        } finally {
            filling = false;
        }
    }

    /**
     * Checks every period and the program as a whole against {@code inForce}, marking errors and changes.
     *
     * @return the program if every period is valid and none overlap, else null
     */
    Program validate(Program inForce) {
        List<Program.Period> periods = new ArrayList<>();
        boolean complete = true;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String path = "program[" + i + "].";
            Program.Period old = i < inForce.periods().size() ? inForce.periods().get(i) : null;
            for (RuleField field : row.fields()) {
                field.setError(null);
            }
            LocalTime from = (LocalTime) parsed(row.from(), path);
            LocalTime to = (LocalTime) parsed(row.to(), path);
            Double threshold = (Double) parsed(row.lowHumidityPct(), path);
            String cooldownText = row.minIntervalMin().textProperty().get();
            // empty: the rules' own cooldown
            Integer cooldown = cooldownText == null || cooldownText.isBlank() ? null
                    : (Integer) parsed(row.minIntervalMin(), path);
            row.from().setChanged(old == null || !Objects.equals(from, old.from()));
            row.to().setChanged(old == null || !Objects.equals(to, old.to()));
            row.lowHumidityPct().setChanged(old == null || !Objects.equals(threshold, old.lowHumidityPct()));
            row.minIntervalMin().setChanged(old == null || !Objects.equals(cooldown, old.minIntervalMin()));
            boolean parsed = from != null && to != null && threshold != null
                    && row.minIntervalMin().errorProperty().get().isEmpty();
            if (!parsed) {
                complete = false;
                continue;
            }
            try {
                periods.add(new Program.Period(from, to, threshold, cooldown));
            } catch (InvalidFieldException e) {
                fieldNamed(row, e.field()).setError(path + e.getMessage());
                complete = false;
            }
        }
        if (!complete) {
            return null;
        }
        try {
            return new Program(periods);
        } catch (InvalidFieldException e) {
            int index = indexIn(e.field());
            rows.get(index < 0 ? 0 : index).from().setError(e.getMessage());
            return null;
        }
    }

    /** Some period differs from {@code inForce}, or one was added or removed. */
    boolean changed(Program inForce) {
        if (rows.size() != inForce.periods().size()) {
            return true;
        }
        for (Row row : rows) {
            for (RuleField field : row.fields()) {
                if (field.changedProperty().get()) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean anyError() {
        for (Row row : rows) {
            for (RuleField field : row.fields()) {
                if (!field.errorProperty().get().isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private Row watch(Row row) {
        for (RuleField field : row.fields()) {
            field.textProperty().addListener((observable, old, now) -> {
                if (!filling) {
                    onEdit.run();
                }
            });
        }
        return row;
    }

    private void changed() {
        canAdd.set(rows.size() < Program.MAX_PERIODS);
        if (!filling) {
            onEdit.run();
        }
    }

    private static RuleField fieldNamed(Row row, String name) {
        return row.fields().stream().filter(field -> field.name().equals(name)).findFirst().orElse(row.from());
    }

    /** 1 for "program[1]", -1 for anything else. */
    private static int indexIn(String field) {
        if (field.startsWith("program[") && field.endsWith("]")) {
            try {
                return Integer.parseInt(field.substring("program[".length(), field.length() - 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    /** The field's value as {@link RulesViewModel} reads its own fields, or null with the error set. */
    private static Object parsed(RuleField field, String path) {
        try {
            return RulesViewModel.parse(field);
        } catch (InvalidFieldException e) {
            field.setError(path + e.getMessage());
            return null;
        }
    }
}
