package dev.spike.station.whatif;

import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.WaterChange;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.rules.Replay;
import dev.spike.model.rules.ReplaySummary;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.chart.ChartData;
import dev.spike.station.chart.SprayBand;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The rules editor's preview (issue 16): the selected agent's recorded readings and sensor failures of the last 1, 7
 * or 30 days replayed with the edited rules ({@link Replay}), summed beside what the rules in force really did
 * ({@link ReplaySummary} of the record), with the would-be sprays for the chart.
 *
 * <p>{@link #preview()} reads the record on the feed thread, replays on {@code background} (up to half a second for
 * 30 days), and publishes on the UI executor; a newer preview or another agent makes an older result be dropped.
 */
public final class WhatIfViewModel {

    /** On screen with every result: what a replay cannot know. */
    public static final String NOTE = "Humidity as recorded: what different sprays would have made of it is"
            + " unknown. The proposed column counts what the proposed rules decide over the same readings.";

    /** The periods a preview covers. */
    public enum Period {
        DAY_1("1 day", Duration.ofDays(1)),
        DAYS_7("7 days", Duration.ofDays(7)),
        DAYS_30("30 days", Duration.ofDays(30));

        private final String label;
        private final Duration span;

        Period(String label, Duration span) {
            this.label = label;
            this.span = span;
        }

        public String label() {
            return label;
        }

        public Duration span() {
            return span;
        }
    }

    /** One line of the comparison: "Sprays: evening", "3", "7". */
    public record Row(String label, String current, String proposed) {
    }

    /**
     * What one preview found; kept for tests and the chart.
     *
     * @param replayedAgain the sprays the rules in force make when replayed over the same record: the check that
     *                      the replay is faithful here (a record from an agent that did not keep every reading, or a
     *                      gap the station never backfilled, makes them differ from {@code realSprays})
     */
    public record Outcome(Instant from, Instant to, ReplaySummary current, ReplaySummary proposed,
            List<ValveOpened> realSprays, List<ValveOpened> proposedSprays, List<ValveOpened> replayedAgain) {

        /** Whether replaying the rules in force gave exactly the recorded sprays (time, reason and duration). */
        public boolean faithful() {
            return keys(realSprays).equals(keys(replayedAgain));
        }

        /** The sprays only the record has ("recorded ...") and only the replay has ("replayed ..."), in time order. */
        public List<String> differences() {
            List<String> recorded = keys(realSprays);
            List<String> replayed = keys(replayedAgain);
            List<String> out = new ArrayList<>();
            recorded.stream().filter(k -> !replayed.contains(k)).forEach(k -> out.add("recorded " + k));
            replayed.stream().filter(k -> !recorded.contains(k)).forEach(k -> out.add("replayed " + k));
            return out;
        }

        private static List<String> keys(List<ValveOpened> sprays) {
            return sprays.stream().map(s -> s.at() + " " + s.reason() + " " + s.durationS())
                    .collect(Collectors.toList());
        }
    }

    private final SelectedAgent agent;
    private final StationFeed feed;
    private final ObservableValue<Rules> edited;
    private final Executor ui;
    private final Executor background;

    private final ObjectProperty<Period> period = new SimpleObjectProperty<>(this, "period", Period.DAYS_7);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status",
            "Edit the rules, then Preview to replay them over the recorded readings.");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    /** One read-only view, kept (a view per call listens to {@link #rows} only weakly). */
    private final ObservableList<Row> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<ChartData> chart = new ReadOnlyObjectWrapper<>(this, "chart",
            new ChartData());
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");

    // UI thread only.
    private int generation;

    /**
     * @param edited     the rules as edited (null while invalid): {@code RulesViewModel.editedRulesProperty()}
     * @param background where the replay runs, off the UI and feed threads
     */
    public WhatIfViewModel(SelectedAgent agent, StationFeed feed, ObservableValue<Rules> edited, Executor ui,
            Executor background) {
        this.agent = agent;
        this.feed = feed;
        this.edited = edited;
        this.ui = ui;
        this.background = background;
        agent.onSelect(selected -> clear());
    }

    private void clear() {
        generation++;
        running.set(false);
        rows.clear();
        note.set("");
        outcome.set(null);
        chart.set(new ChartData());
        status.set("Edit the rules, then Preview to replay them over the recorded readings.");
    }

    /** Replays the edited rules over the chosen period of the selected agent's record. */
    public void preview() {
        String agentId = agent.agentId();
        Rules proposed = edited.getValue();
        if (agentId == null) {
            status.set("Select an agent first.");
            return;
        }
        if (proposed == null) {
            status.set("Correct the marked fields first: only whole, valid rules can be replayed.");
            return;
        }
        Rules inForce = agent.snapshot() == null ? null : agent.snapshot().rules();
        Instant to = agent.agentNow().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Period chosen = period.get();
        Instant from = to.minus(chosen.span());
        int mine = ++generation;
        running.set(true);
        status.set("Replaying " + chosen.label() + " of " + agentId + "…");
        feed.read(store -> Record.load(store, agentId, from, to))
                .thenApplyAsync(record -> replay(agentId, record, inForce, proposed, from, to), background)
                .whenCompleteAsync((result, failure) -> {
                    if (mine != generation) {
                        return;
                    }
                    running.set(false);
                    if (failure != null) {
                        status.set("The preview failed: " + failure.getMessage());
                        return;
                    }
                    show(result, chosen, proposed);
                }, ui);
    }

    /** Pure: the record in, both summaries and the sprays out. Runs on the background executor. */
    static Result replay(String agentId, Record record, Rules inForce, Rules proposed, Instant from, Instant to) {
        Rules fallback = inForce != null ? inForce : proposed;
        Replay.Start start = Replay.Start.from(from, fallback, record.before());
        Rules current = record.events().stream().filter(ConfigApplied.class::isInstance)
                .map(e -> ((ConfigApplied) e).rules()).reduce((a, b) -> b).orElse(start.rules());
        long started = System.nanoTime();
        Replay.Result replayed = Replay.run(agentId, start, record.events(), proposed, to);
        long replayMs = (System.nanoTime() - started) / 1_000_000;
        List<HumidityChanged> readings = record.events().stream().filter(HumidityChanged.class::isInstance)
                .map(HumidityChanged.class::cast).collect(Collectors.toList());
        ReplaySummary now = ReplaySummary.of(record.events(), readings, start.memory().mode(), current.alarmLowPct(),
                from, to);
        ReplaySummary then = ReplaySummary.of(replayed.events(), readings, start.memory().mode(),
                proposed.alarmLowPct(), from, to);
        Replay.Result again = Replay.run(agentId, start, record.events(), null, to);
        Outcome outcome = new Outcome(from, to, now, then, sprays(record.events()), sprays(replayed.events()),
                sprays(again.events()));
        return new Result(outcome, current, record, readings.size(), replayMs);
    }

    private static List<ValveOpened> sprays(List<Event> events) {
        return events.stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());
    }

    private void show(Result result, Period chosen, Rules proposed) {
        Outcome found = result.outcome();
        ReplaySummary now = found.current();
        ReplaySummary then = found.proposed();
        List<Row> lines = new ArrayList<>();
        lines.add(new Row("Sprays", count(now.totalSprays()), count(then.totalSprays())));
        for (SprayReason reason : SprayReason.values()) {
            lines.add(new Row("   " + reason.wire().replace('_', ' '), count(now.sprays(reason)),
                    count(then.sprays(reason))));
        }
        lines.add(new Row("Skipped sprays", count(now.skips()), count(then.skips())));
        lines.add(new Row("Sensor-down mode", duration(now.sensorDown()), duration(then.sensorDown())));
        lines.add(new Row("Valve open", now.valveOpenS() + " s", then.valveOpenS() + " s"));
        water(result.record().events(), then.valveOpenS()).ifPresent(lines::add);
        double alarmNow = result.current().alarmLowPct();
        lines.add(new Row(alarmNow == proposed.alarmLowPct() ? "Below the low alarm (" + percent(alarmNow) + ")"
                : "Below the low alarm (" + percent(alarmNow) + " / " + percent(proposed.alarmLowPct()) + ")",
                duration(now.belowAlarmLow()), duration(then.belowAlarmLow())));
        rows.setAll(lines);

        ChartData data = new ChartData();
        data.update(() -> {
            for (Event event : result.record().events()) {
                if (event instanceof HumidityChanged) {
                    data.humidity().append(event.at().toEpochMilli(), ((HumidityChanged) event).humidityPct());
                } else if (event instanceof TemperatureChanged) {
                    data.temperature().append(event.at().toEpochMilli(),
                            ((TemperatureChanged) event).temperatureC());
                }
            }
            for (ValveOpened spray : found.realSprays()) {
                data.addSpray(SprayBand.planned(spray.at().toEpochMilli(), spray.durationS(), spray.reason()));
            }
            data.setProposedSprays(found.proposedSprays().stream()
                    .map(s -> SprayBand.planned(s.at().toEpochMilli(), s.durationS(), s.reason()))
                    .collect(Collectors.toList()));
            data.setLowHumidityPct(proposed.lowHumidityPct());
            data.setProgram(proposed.program(), proposed.timeZone());
        });
        chart.set(data);
        outcome.set(found);
        note.set(NOTE);
        String check = found.faithful()
                ? String.format(Locale.ROOT, "The rules in force, replayed, make the same %,d sprays as recorded.",
                        found.realSprays().size())
                : String.format(Locale.ROOT, "The rules in force, replayed, make %,d sprays where %,d are recorded:"
                        + " the record lacks readings (an older agent, or a gap), so the proposed column is"
                        + " approximate.", found.replayedAgain().size(), found.realSprays().size());
        status.set(String.format(Locale.ROOT, "%,d readings of %s replayed in %,d ms. %s Chart: real sprays as"
                + " bands, the proposed rules' as \u25BC.", result.readings(), chosen.label(), result.replayMs(),
                check));
    }

    /**
     * The water row, for an agent with a water budget: the litres its sprays used, as recorded, against the proposed
     * valve-open time at the flow the record shows (litres used over seconds open). Empty without {@code water_level}
     * events of sprays.
     */
    static Optional<Row> water(List<Event> events, long proposedOpenS) {
        double usedL = 0;
        long openMs = 0;
        for (Event event : events) {
            if (event instanceof WaterLevel && ((WaterLevel) event).cause() == WaterChange.SPRAY
                    && ((WaterLevel) event).usedL() != null) {
                usedL += ((WaterLevel) event).usedL();
            } else if (event instanceof ValveClosed) {
                openMs += ((ValveClosed) event).openMs();
            }
        }
        if (usedL == 0 || openMs == 0) {
            return Optional.empty();
        }
        double proposedL = proposedOpenS * usedL / (openMs / 1000.0);
        return Optional.of(new Row("Water (at the recorded flow)", litres(usedL), litres(proposedL)));
    }

    private static String litres(double value) {
        return String.format(Locale.ROOT, "%.2f L", value);
    }

    private static String count(int value) {
        return Integer.toString(value);
    }

    static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        return minutes / 60 + " h " + minutes % 60 + " min";
    }

    private static String percent(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + " %";
    }

    public ObjectProperty<Period> periodProperty() {
        return period;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Empty until a preview is shown, then {@link #NOTE}. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /** Label, rules in force (as recorded), proposed rules (replayed). */
    public ObservableList<Row> rows() {
        return readOnlyRows;
    }

    public ReadOnlyObjectProperty<ChartData> chartProperty() {
        return chart.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    /** The replay's result with what the view shows beside it. */
    record Result(Outcome outcome, Rules current, Record record, int readings, long replayMs) {
    }

    /**
     * One agent's record for a preview: the events of the period in seq order, and what came before that a start
     * there would recover (the rules in force, the last spray and mode, evening decisions, open alarms, the
     * agent's start, for the phase of its ticks).
     */
    record Record(List<Event> events, List<Event> before) {

        static Record load(StationStore store, String agentId, Instant from, Instant to) {
            List<Event> events = new ArrayList<>();
            long beforeSeq = Long.MAX_VALUE;
            while (true) {
                List<Event> page = store.events(agentId, EventQuery.newest(EventQuery.MAX_LIMIT).between(from, to)
                        .before(beforeSeq));
                events.addAll(page);
                if (page.size() < EventQuery.MAX_LIMIT) {
                    break;
                }
                beforeSeq = page.get(page.size() - 1).seq();
            }
            Collections.reverse(events);
            Map<Long, Event> before = new TreeMap<>();
            for (EventType type : List.of(EventType.CONFIG_APPLIED, EventType.MODE_CHANGED, EventType.VALVE_OPENED,
                    EventType.AGENT_STARTED)) {
                for (Event event : store.events(agentId, EventQuery.newest(1).withTypes(EnumSet.of(type))
                        .between(null, from))) {
                    before.put(event.seq(), event);
                }
            }
            EventQuery alarms = EventQuery.newest(200)
                    .withTypes(EnumSet.of(EventType.HUMIDITY_ALARM, EventType.HUMIDITY_ALARM_CLEARED));
            EventQuery evenings = EventQuery.newest(1_000)
                    .withTypes(EnumSet.of(EventType.VALVE_OPENED, EventType.SPRAY_SKIPPED));
            for (Event event : store.events(agentId, alarms.between(null, from))) {
                before.put(event.seq(), event);
            }
            for (Event event : store.events(agentId, evenings.between(from.minus(Duration.ofDays(2)), from))) {
                before.put(event.seq(), event);
            }
            return new Record(events, new ArrayList<>(before.values()));
        }
    }
}
