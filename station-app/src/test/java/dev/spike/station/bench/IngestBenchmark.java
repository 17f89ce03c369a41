package dev.spike.station.bench;

import dev.spike.station.agents.SelectedAgent;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.connection.FakeGateway;
import dev.spike.station.connection.MutableClock;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.agents.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.Backfill;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.FakeAgent;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.ReadingPoints;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import dev.spike.station.store.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Figures for the station's data path; prints them, asserts nothing (not a unit test).
 *
 * <ol>
 *   <li>Ingest: events arrive from the MQTT side (through the codec, as on the wire), are stored by the feed thread
 *       and reach the ViewModels on a stand-in for the FX thread, every one of them. Target: 10,000 events/s.</li>
 *   <li>Backfill: a fresh station fetches 7 days of history (60,480 readings of each series at 10 s, plus the spray
 *       decisions) from a fake agent answering in pages of 5,000 on its own thread, through the codec, through the
 *       real backfill logic. Target: under 3 s.</li>
 *   <li>Queries on 30 days: one chart series (259,200 points) and the first page of the event log.</li>
 * </ol>
 *
 * Run: {@code mvn -pl station-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.station.bench.IngestBenchmark}
 */
public final class IngestBenchmark {

    private static final String AGENT = TestEvents.AGENT;
    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Spike station ingest benchmark (JDK " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)");
        // a first, smaller run warms the JIT up; its figures are not printed
        ingest(20_000, false);
        ingest(200_000, true);
        backfill(false);
        backfill(true);
        queries();
    }

    /** A week (or more) of an agent's events: a reading pair every 10 s, a spray episode every 20 minutes. */
    static List<Event> history(Instant from, long readingsPerSeries) {
        List<Event> events = new ArrayList<>();
        long seq = 0;
        for (long i = 0; i < readingsPerSeries; i++) {
            Instant at = from.plusSeconds(10 * i);
            double humidity = 70 + 10 * Math.sin(i / 500.0);
            events.add(new HumidityChanged(AGENT, ++seq, at, humidity));
            events.add(new TemperatureChanged(AGENT, ++seq, at, 24 + 3 * Math.sin(i / 4320.0)));
            if (i % 120 == 60) {
                events.add(new LowHumidity(AGENT, ++seq, at, humidity, 75));
                events.add(new ValveOpened(AGENT, ++seq, at, 6, SprayReason.LOW_HUMIDITY, null));
                events.add(new ValveClosed(AGENT, ++seq, at.plusSeconds(6), 6003));
            }
        }
        return events;
    }

    private static void ingest(int count, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("spike-bench");
        ExecutorService feedThread = Executors.newSingleThreadExecutor(named("spike-feed"));
        ExecutorService fxThread = Executors.newSingleThreadExecutor(named("fx-stand-in"));
        try (StationStore store = StationStore.open(dir.resolve(StationStore.FILE_NAME))) {
            MutableClock clock = new MutableClock(START.plus(Duration.ofDays(8)), ZoneId.of("UTC"));
            StationFeed feed = new StationFeed(store, feedThread, clock);
            FakeGateway gateway = new FakeGateway();
            feed.attach(gateway);
            EventTexts texts = new EventTexts(ZoneId.of("UTC"));
            new Backfill(feed, gateway, clock).start();
            AlarmTracker tracker = new AlarmTracker(feed, clock, texts);
            tracker.start(gateway);
            SelectedAgent selected = new SelectedAgent(feed, gateway, fxThread, clock);
            AgentsViewModel agents = new AgentsViewModel(selected, feed, gateway, tracker, fxThread, clock);
            DashboardViewModel dashboard = new DashboardViewModel(selected, texts);
            EventLogViewModel log = new EventLogViewModel(selected, feed, fxThread, texts);
            AlarmsViewModel alarms = new AlarmsViewModel(tracker, fxThread, texts, "bench");
            SprayViewModel spray = new SprayViewModel(selected, gateway, tracker, fxThread, clock);
            onFx(fxThread, () -> {
                selected.select(AGENT);
            });
            gateway.connect();
            gateway.receive(Topic.status(AGENT), new Status(true, START, "0.1.0", false));
            gateway.receive(Topic.config(AGENT), TestEvents.config(START, Rules.defaults(ZoneId.of("UTC"))));

            List<Event> events = history(START, count / 2).subList(0, count);
            AtomicLong stored = new AtomicLong();
            CountDownLatch allStored = new CountDownLatch(1);
            feed.addListener(updates -> {
                for (FeedUpdate update : updates) {
                    if (update instanceof FeedUpdate.EventsAdded
                            && stored.addAndGet(((FeedUpdate.EventsAdded) update).events().size()) == count) {
                        allStored.countDown();
                    }
                }
            });

            long start = System.nanoTime();
            for (Event event : events) {
                gateway.receive(Topic.event(AGENT, event.type()), event);
            }
            long received = System.nanoTime();
            if (!allStored.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + stored.get() + " of " + count + " events stored");
            }
            long storedAt = System.nanoTime();
            // The FX stand-in runs its tasks in order: once this one ran, every ViewModel update before it did too.
            long topSeq = onFx(fxThread, () -> log.entries().get(0).seq());
            String humidity = onFx(fxThread, () -> dashboard.humidityTextProperty().get());
            long uiAt = System.nanoTime();
            long inStore = feed.read(s -> s.count(AGENT)).join();
            long lastSeq = events.get(events.size() - 1).seq();
            if (inStore != count || topSeq != lastSeq || agents.agents().size() != 1) {
                throw new IllegalStateException("dropped events: store " + inStore + ", log top " + topSeq
                        + ", expected " + count + " / " + lastSeq);
            }
            if (print) {
                double seconds = (uiAt - start) / 1e9;
                System.out.printf(Locale.ROOT, "%nIngest, MQTT side -> store -> ViewModels, %,d events:%n", count);
                System.out.printf(Locale.ROOT, "  received (codec, as on the wire)  %6.2f s%n",
                        (received - start) / 1e9);
                System.out.printf(Locale.ROOT, "  all stored                        %6.2f s%n",
                        (storedAt - start) / 1e9);
                System.out.printf(Locale.ROOT, "  all shown on the FX stand-in      %6.2f s  -> %,.0f events/s"
                        + " (target >= 10,000), none dropped (store %,d, log top seq %d, humidity %s, alarms %d)%n",
                        seconds, count / seconds, inStore, topSeq, humidity, alarms.alarms().size());
            }
        } finally {
            feedThread.shutdown();
            fxThread.shutdown();
            feedThread.awaitTermination(30, TimeUnit.SECONDS);
            fxThread.awaitTermination(30, TimeUnit.SECONDS);
            delete(dir);
        }
    }

    private static void backfill(boolean print) throws Exception {
        Path dir = Files.createTempDirectory("spike-bench");
        ExecutorService feedThread = Executors.newSingleThreadExecutor(named("spike-feed"));
        ExecutorService agentThread = Executors.newSingleThreadExecutor(named("agent"));
        try (StationStore store = StationStore.open(dir.resolve(StationStore.FILE_NAME))) {
            MutableClock clock = new MutableClock(START.plus(Duration.ofDays(7)), ZoneId.of("UTC"));
            StationFeed feed = new StationFeed(store, feedThread, clock);
            FakeGateway gateway = new FakeGateway();
            feed.attach(gateway);
            List<Event> week = history(START, 7 * 24 * 360);
            FakeAgent agent = new FakeAgent(gateway, AGENT).sendResults(false).answerOn(agentThread).store(week);
            Backfill backfill = new Backfill(feed, gateway, clock);
            backfill.start();
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong pages = new AtomicLong();
            feed.addListener(updates -> {
                for (FeedUpdate update : updates) {
                    if (update instanceof FeedUpdate.PageStored) {
                        pages.incrementAndGet();
                        if (((FeedUpdate.PageStored) update).page().last()
                                && feed.store().firstGap(AGENT).isEmpty()) {
                            done.countDown();
                        }
                    }
                }
            });

            long start = System.nanoTime();
            gateway.connect();
            gateway.receive(Topic.state(AGENT), TestEvents.state(clock.instant(), agent.lastSeq()).build());
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("backfill did not finish: " + pages.get() + " pages");
            }
            long seconds = System.nanoTime() - start;
            long inStore = feed.read(s -> s.count(AGENT)).join();
            if (inStore != week.size()) {
                throw new IllegalStateException("stored " + inStore + " of " + week.size());
            }
            if (print) {
                double s = seconds / 1e9;
                System.out.printf(Locale.ROOT, "%nBackfill of 7 days: %,d events (%,d readings x 2 + %,d decisions)"
                        + " in %d request(s), %d pages of <= 5,000:%n", week.size(), 7 * 24 * 360,
                        week.size() - 2 * 7 * 24 * 360, agent.requests().size(), pages.get());
                System.out.printf(Locale.ROOT, "  %.2f s (target < 3 s), %,.0f events/s, no gap left%n", s,
                        week.size() / s);
            }
        } finally {
            feedThread.shutdown();
            agentThread.shutdown();
            feedThread.awaitTermination(30, TimeUnit.SECONDS);
            agentThread.awaitTermination(30, TimeUnit.SECONDS);
            delete(dir);
        }
    }

    private static void queries() throws IOException {
        Path dir = Files.createTempDirectory("spike-bench");
        try (StationStore store = StationStore.open(dir.resolve(StationStore.FILE_NAME))) {
            List<Event> month = history(START, 30 * 24 * 360);
            long appendStart = System.nanoTime();
            store.append(month);
            long appendNs = System.nanoTime() - appendStart;
            Instant to = START.plus(Duration.ofDays(30));
            store.readings(AGENT, EventType.HUMIDITY_CHANGED, START, to);
            long start = System.nanoTime();
            ReadingPoints humidity = store.readings(AGENT, EventType.HUMIDITY_CHANGED, START, to);
            ReadingPoints temperature = store.readings(AGENT, EventType.TEMPERATURE_CHANGED, START, to);
            long chartNs = System.nanoTime() - start;
            start = System.nanoTime();
            List<Event> page = store.events(AGENT, EventQuery.newest(500));
            long logNs = System.nanoTime() - start;
            start = System.nanoTime();
            List<Event> sprays = store.events(AGENT, EventQuery.newest(500).withTypes(Set.of(EventType.VALVE_OPENED,
                    EventType.LOW_HUMIDITY)));
            long filteredNs = System.nanoTime() - start;
            start = System.nanoTime();
            List<Event> markers = store.events(AGENT, EventQuery.newest(EventQuery.MAX_LIMIT)
                    .withTypes(Set.of(EventType.VALVE_OPENED, EventType.VALVE_CLOSED)).between(START, to));
            long markersNs = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "%n30 days in the store (%,d events, %.0f MB, appended in one batch"
                    + " in %.2f s):%n", month.size(), Files.size(store.file()) / 1e6, appendNs / 1e9);
            System.out.printf(Locale.ROOT, "  chart: humidity + temperature, %,d + %,d points   %5.0f ms%n",
                    humidity.size(), temperature.size(), chartNs / 1e6);
            System.out.printf(Locale.ROOT, "  event log: newest 500                          %5.0f ms%n", logNs / 1e6);
            System.out.printf(Locale.ROOT, "  event log: newest 500 sprays (type filter)      %5.0f ms (%d rows)%n",
                    filteredNs / 1e6, sprays.size());
            System.out.printf(Locale.ROOT, "  chart markers: valve events of 30 days          %5.0f ms (%d rows)%n",
                    markersNs / 1e6, markers.size());
            if (page.size() != 500) {
                throw new IllegalStateException("log page " + page.size());
            }
        } finally {
            delete(dir);
        }
    }

    private static <T> T onFx(ExecutorService fx, Callable<T> task) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, fx).get(60, TimeUnit.SECONDS);
    }

    private static void onFx(ExecutorService fx, Runnable task) throws Exception {
        CompletableFuture.runAsync(task, fx).get(60, TimeUnit.SECONDS);
    }

    private static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
