package dev.spike.station.log;

import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log of the selected agent: every event, newest first, filterable by type and searchable, each with a
 * text that says what happened and why ({@link EventTexts}).
 *
 * <ul>
 *   <li>{@link #entries()}: the rows; the first {@value #PAGE_SIZE} matching ones after every change of agent,
 *       filter or search, {@link #loadMore()} for older ones ({@link #moreAvailableProperty()}).</li>
 *   <li>Live events are put on top as they arrive; at most {@value #MAX_ROWS} rows are kept (the oldest go,
 *       {@code loadMore} brings them back). Events fetched by backfill reload the list in order.</li>
 *   <li>{@link #searchProperty()}: case-insensitive, in the row's text, type and time; a search that finds little
 *       scans at most {@value #MAX_SCAN} events per call and offers {@code loadMore} to go on.</li>
 *   <li>{@link #setTypes}: the types shown; empty for all.</li>
 * </ul>
 *
 * <p>Queries run on the feed thread; rows change on the UI executor only.
 */
public final class EventLogViewModel {

    public static final int PAGE_SIZE = 500;
    public static final int MAX_ROWS = 5_000;
    static final int MAX_SCAN = 100_000;
    static final int SCAN_BATCH = 5_000;
    /** A {@code low_humidity} this close before a {@code valve_opened} explains it. */
    static final Duration CONTEXT_WINDOW = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(EventLogViewModel.class);

    /** What is shown; immutable, read by the feed thread. */
    private record Query(String agentId, Set<EventType> types, String search, int generation) {

        boolean wants(EventType type) {
            return types.isEmpty() || types.contains(type);
        }
    }

    private record Page(List<LogEntry> entries, boolean more, long nextBefore) {
    }

    private final StationFeed feed;
    private final Executor ui;
    private final EventTexts texts;

    private final ObservableList<LogEntry> rows = FXCollections.observableArrayList();
    private final ObservableList<LogEntry> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper agentId = new ReadOnlyStringWrapper(this, "agentId");
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ReadOnlyObjectWrapper<Set<EventType>> types =
            new ReadOnlyObjectWrapper<>(this, "types", Set.of());
    private final ReadOnlyBooleanWrapper moreAvailable = new ReadOnlyBooleanWrapper(this, "moreAvailable");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    /** Coalesces the reloads many backfilled pages would ask for. */
    private final AtomicBoolean reloadPosted = new AtomicBoolean();

    /** Written on the UI thread, read by the feed thread. */
    private volatile Query current = new Query(null, Set.of(), "", 0);
    /** UI thread only. */
    private int generation;
    private long nextBefore = Long.MAX_VALUE;

    /**
     * @param feed  the station feed
     * @param ui    {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param agent the selected agent, whose events are shown
     * @param texts the station's texts (its time zone)
     */
    public EventLogViewModel(SelectedAgent agent, StationFeed feed, Executor ui, EventTexts texts) {
        this.feed = feed;
        this.ui = ui;
        this.texts = texts;
        search.addListener((observable, old, now) -> reload());
        feed.addListener(this::onFeed);
        agent.onSelect(this::select);
        select(agent.agentId());
    }

    /** Shows the events of this agent (null for none). */
    private void select(String agent) {
        agentId.set(agent);
        rows.clear();
        reload();
    }

    /** Shows only these types; empty shows all. */
    public void setTypes(Set<EventType> shown) {
        types.set(shown.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(shown)));
        reload();
    }

    /** Appends the next older page. */
    public void loadMore() {
        Query query = current;
        if (query.agentId() == null || !moreAvailable.get() || loading.get()) {
            return;
        }
        loading.set(true);
        long before = nextBefore;
        feed.read(store -> page(store, query, before)).whenCompleteAsync((page, error) -> {
            if (query.generation() != generation) {
                return;
            }
            loading.set(false);
            if (error != null) {
                LOG.error("cannot read the event log of {}: {}", query.agentId(), error.toString());
                return;
            }
            rows.addAll(page.entries());
            moreAvailable.set(page.more());
            nextBefore = page.nextBefore();
        }, ui);
    }

    private void reload() {
        generation++;
        Query query = new Query(agentId.get(), types.get(), search.get() == null ? "" : search.get(), generation);
        current = query;
        if (query.agentId() == null) {
            rows.clear();
            moreAvailable.set(false);
            loading.set(false);
            return;
        }
        loading.set(true);
        feed.read(store -> page(store, query, Long.MAX_VALUE)).whenCompleteAsync((page, error) -> {
            if (query.generation() != generation) {
                return;
            }
            loading.set(false);
            if (error != null) {
                LOG.error("cannot read the event log of {}: {}", query.agentId(), error.toString());
                return;
            }
            rows.setAll(page.entries());
            moreAvailable.set(page.more());
            nextBefore = page.nextBefore();
        }, ui);
    }

    /** Feed thread: live events go on top, backfilled ones reload the list. */
    private void onFeed(List<FeedUpdate> updates) {
        Query query = current;
        if (query.agentId() == null) {
            return;
        }
        List<LogEntry> fresh = new ArrayList<>();
        boolean backfilled = false;
        for (FeedUpdate update : updates) {
            if (!(update instanceof FeedUpdate.EventsAdded) || !update.agentId().equals(query.agentId())) {
                continue;
            }
            FeedUpdate.EventsAdded added = (FeedUpdate.EventsAdded) update;
            if (added.backfilled()) {
                backfilled = true;
                continue;
            }
            // Arrival order is ascending seq; newest first in the result.
            List<Event> newestFirst = new ArrayList<>(added.events());
            Collections.reverse(newestFirst);
            for (LogEntry entry : entries(feed.store(), newestFirst)) {
                if (query.wants(entry.type()) && entry.matches(query.search())) {
                    fresh.add(entry);
                }
            }
        }
        if (backfilled) {
            if (reloadPosted.compareAndSet(false, true)) {
                ui.execute(() -> {
                    reloadPosted.set(false);
                    if (query.generation() == generation) {
                        reload();
                    }
                });
            }
            return;
        }
        if (!fresh.isEmpty()) {
            fresh.sort((a, b) -> Long.compare(b.seq(), a.seq()));
            ui.execute(() -> prepend(query, fresh));
        }
    }

    private void prepend(Query query, List<LogEntry> fresh) {
        if (query.generation() != generation) {
            return;
        }
        if (!rows.isEmpty() && fresh.get(fresh.size() - 1).seq() <= rows.get(0).seq()) {
            // Older than what is shown (a late delivery): place it properly.
            reload();
            return;
        }
        rows.addAll(0, fresh);
        if (rows.size() > MAX_ROWS) {
            rows.remove(MAX_ROWS, rows.size());
            nextBefore = rows.get(rows.size() - 1).seq();
            moreAvailable.set(true);
        }
    }

    /** Feed thread: one page of matching rows, newest first, scanning at most MAX_SCAN events. */
    private Page page(StationStore store, Query query, long before) {
        List<LogEntry> out = new ArrayList<>();
        long cursor = before;
        int scanned = 0;
        boolean searching = !query.search().isBlank();
        while (true) {
            int want = searching ? SCAN_BATCH : PAGE_SIZE - out.size() + 1;
            List<Event> batch = store.events(query.agentId(),
                    new EventQuery(query.types(), null, null, cursor, want));
            for (LogEntry entry : entries(store, batch)) {
                if (!entry.matches(query.search())) {
                    cursor = entry.seq();
                    continue;
                }
                if (out.size() == PAGE_SIZE) {
                    return new Page(out, true, cursor);
                }
                out.add(entry);
                cursor = entry.seq();
            }
            scanned += batch.size();
            if (batch.size() < want) {
                return new Page(out, false, cursor);
            }
            if (scanned >= MAX_SCAN) {
                return new Page(out, true, cursor);
            }
        }
    }

    /** Formats events given newest first, finding the low_humidity behind each low-humidity spray. */
    private List<LogEntry> entries(StationStore store, List<Event> newestFirst) {
        LogEntry[] out = new LogEntry[newestFirst.size()];
        LowHumidity lastLow = null;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Event event = newestFirst.get(i);
            Event context = null;
            if (event instanceof ValveOpened && ((ValveOpened) event).reason() == SprayReason.LOW_HUMIDITY) {
                context = lastLow != null && explains(lastLow, event) ? lastLow : lowHumidityBefore(store, event);
            }
            if (event instanceof LowHumidity) {
                lastLow = (LowHumidity) event;
            }
            out[i] = new LogEntry(event.seq(), event.at(), event.type(), texts.dateTime(event.at()),
                    EventTexts.typeName(event.type()), texts.describe(event, context), event);
        }
        return List.of(out);
    }

    private static boolean explains(LowHumidity low, Event opened) {
        return low.seq() < opened.seq() && !low.at().isBefore(opened.at().minus(CONTEXT_WINDOW));
    }

    private static Event lowHumidityBefore(StationStore store, Event opened) {
        List<Event> found = store.events(opened.agentId(), new EventQuery(Set.of(EventType.LOW_HUMIDITY),
                opened.at().minus(CONTEXT_WINDOW), null, opened.seq(), 1));
        return found.isEmpty() ? null : found.get(0);
    }

    /** The rows, newest first; read-only. */
    public ObservableList<LogEntry> entries() {
        return readOnlyRows;
    }

    public ReadOnlyStringProperty agentIdProperty() {
        return agentId.getReadOnlyProperty();
    }

    /** Editable: the search text; the list follows as it changes. */
    public StringProperty searchProperty() {
        return search;
    }

    /** The types shown; empty for all. Change with {@link #setTypes}. */
    public ReadOnlyObjectProperty<Set<EventType>> typesProperty() {
        return types.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty moreAvailableProperty() {
        return moreAvailable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }
}
