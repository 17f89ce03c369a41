package dev.spike.station.app;

import dev.spike.station.agents.AgentItem;
import com.sun.management.GcInfo;
import dev.spike.model.codec.Codec;
import dev.spike.station.connection.EmbeddedBroker;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.store.StationStore;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The station under load, shared by {@code LoadTest} (short, in CI) and {@code bench.LoadBenchmark} (10 minutes):
 * a real broker (HiveMQ CE: the test {@link EmbeddedBroker} on a free loopback port), {@code n} simulated agents
 * ({@link LoadAgent}, each its own MQTT client, one reading a second) and the real station: {@link StationContext}
 * (its own SQLite store in a temporary folder, {@code HiveMqGateway}, feed, backfill, alarms, ViewModels) behind the
 * real main window, with the app's once-a-second refresh, exactly as {@link StationApp} puts it together.
 *
 * <p>While it runs it measures the FX thread's stalls ({@link FxStallProbe}) and the used heap after a forced GC
 * every 10 s. {@link #finish} stops the agents, waits until the sidebar shows every agent's last reading, closes the
 * station and reads its store file again: every seq of every agent must be there.
 *
 * <p>The broker keeps its state in memory, so the heap figures are the station's and the agents' (constant): the
 * station's {@link dev.spike.station.broker.BuiltInBroker} persists to disk, and under this load the page cache of
 * its Xodus store took about 4 MB more heap a minute (64 KB pages, {@code jmap -histo:live}), which would hide
 * whether the station itself stays flat.
 *
 * <p>Call everything but the constructor's stage from a thread other than the FX thread.
 */
public final class LoadRig implements AutoCloseable {

    /** Not judged: the JIT compiles the station's paths, JavaFX lays out the sidebar's and the log's first cells. */
    public static final Duration WARM_UP = Duration.ofSeconds(30);

    public static final int AGENTS = 50;
    static final Duration HEAP_EVERY = Duration.ofSeconds(10);

    /** One sample of the used heap after a forced GC. */
    public record HeapSample(double atS, double usedMb) {
    }

    /** What one agent published and what the station has of it. */
    public record AgentResult(String agentId, long published, long stored, long highestSeq, String firstGap,
            boolean shown, String shownSummary, String expectedSummary, long historyRequests, long failedPublishes) {

        public boolean complete() {
            return stored == published && highestSeq == published && firstGap.isEmpty() && failedPublishes == 0;
        }

        public boolean shownWithLatestReading() {
            return shown && expectedSummary.equals(shownSummary);
        }
    }

    /** Everything the run measured. */
    public record Result(Duration ran, FxStallProbe.Stalls stalls, List<HeapSample> heap, List<AgentResult> agents,
            String agentCountText, Duration drained) {

        public long published() {
            return agents.stream().mapToLong(AgentResult::published).sum();
        }

        public long stored() {
            return agents.stream().mapToLong(AgentResult::stored).sum();
        }

        public List<AgentResult> incomplete() {
            return agents.stream().filter(a -> !a.complete()).toList();
        }

        public List<AgentResult> notShown() {
            return agents.stream().filter(a -> !a.shownWithLatestReading()).toList();
        }

        public long historyRequests() {
            return agents.stream().mapToLong(AgentResult::historyRequests).sum();
        }

        /** Mean used heap of the samples in [fromS, toS). */
        public double meanHeapMb(double fromS, double toS) {
            return heap.stream().filter(s -> s.atS() >= fromS && s.atS() < toS).mapToDouble(HeapSample::usedMb)
                    .average().orElse(Double.NaN);
        }

        public double maxHeapMb() {
            return heap.stream().mapToDouble(HeapSample::usedMb).max().orElse(Double.NaN);
        }

        /** Least-squares slope of the samples from {@code fromS} on, in MB per minute. */
        public double heapSlopeMbPerMin(double fromS) {
            List<HeapSample> used = heap.stream().filter(s -> s.atS() >= fromS).toList();
            if (used.size() < 2) {
                return Double.NaN;
            }
            double meanT = used.stream().mapToDouble(HeapSample::atS).average().orElse(0);
            double meanM = used.stream().mapToDouble(HeapSample::usedMb).average().orElse(0);
            double num = 0;
            double den = 0;
            for (HeapSample s : used) {
                num += (s.atS() - meanT) * (s.usedMb() - meanM);
                den += (s.atS() - meanT) * (s.atS() - meanT);
            }
            return den == 0 ? Double.NaN : num / den * 60;
        }
    }

    private final Path dir;
    private final Stage stage;
    private final int agentCount;
    private final Consumer<String> progress;
    private final Codec codec = new Codec();
    private final List<LoadAgent> agents = new ArrayList<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private final List<HeapSample> heap = new CopyOnWriteArrayList<>();
    private final FxStallProbe probe = new FxStallProbe();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-agents");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-heap");
        thread.setDaemon(true);
        return thread;
    });
    private EmbeddedBroker broker;
    private StationContext context;
    private MainView view;
    private Timeline everySecond;
    private long startNs;
    private FxStallProbe.Stalls warmUpStalls;

    /**
     * @param dir        the station's config and data folders go here
     * @param stage      the window the station is shown in (TestFX's, or one the benchmark made)
     * @param agentCount how many simulated agents
     * @param progress   one line now and then, for a person watching
     */
    public LoadRig(Path dir, Stage stage, int agentCount, Consumer<String> progress) {
        this.dir = dir;
        this.stage = stage;
        this.agentCount = agentCount;
        this.progress = progress;
    }

    /** Starts broker, station (connected) and agents (connected, not yet ticking). */
    public void start() throws Exception {
        broker = EmbeddedBroker.start(dir.resolve("broker"));
        String uri = "tcp://127.0.0.1:" + broker.port();
        Clock clock = Clock.systemDefaultZone();
        onFx(() -> {
            context = StationContext.open(clock, new PlatformDirs(dir.resolve("config"), dir.resolve("data")));
            view = StationApp.show(stage, context);
            // as StationApp does: ages, countdowns and timeouts move once a second
            everySecond = new Timeline(new KeyFrame(javafx.util.Duration.seconds(1),
                    e -> context.refresh()));
            everySecond.setCycleCount(Animation.INDEFINITE);
            everySecond.play();
            context.connection.uriProperty().set(uri);
            context.connection.connect();
            return null;
        });
        Awaitility.await("the station connects to " + uri).atMost(Duration.ofSeconds(60))
                .until(() -> onFx(() -> context.connection.stateProperty().get().isConnected()));
        for (int i = 0; i < agentCount; i++) {
            LoadAgent agent = new LoadAgent(LoadAgent.id(i), i * 7, broker.port(), codec,
                    clock.getZone());
            agent.connect(Instant.now());
            agents.add(agent);
        }
        progress.accept(agentCount + " agents connected to " + uri + "; the station stores in "
                + dir.resolve("data").resolve(StationStore.FILE_NAME));
    }

    /**
     * Lets the agents publish for {@code duration}, one tick a second each, their phases spread over the second.
     * Stalls count from the first tick on, JIT compilation under load included.
     */
    public void run(Duration duration) throws Exception {
        run(Duration.ZERO, duration);
    }

    /**
     * As {@link #run(Duration)}, after a warm-up of {@code warmUp} whose stalls are kept apart ({@link #warmUpStalls})
     * and whose heap samples are dropped: the JIT compiling the station's paths and JavaFX laying out the sidebar's
     * and the log's cells for the first time, as in the first seconds of any station.
     */
    public void run(Duration warmUp, Duration duration) throws Exception {
        probe.start();
        startNs = System.nanoTime();
        sampler.scheduleAtFixedRate(this::sampleHeap, 0, HEAP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        long spreadMs = 1000 / Math.max(1, agentCount);
        for (int i = 0; i < agents.size(); i++) {
            LoadAgent agent = agents.get(i);
            ticks.add(ticker.scheduleAtFixedRate(() -> agent.tick(Instant.now()), i * spreadMs, 1000,
                    TimeUnit.MILLISECONDS));
        }
        if (!warmUp.isZero()) {
            TimeUnit.NANOSECONDS.sleep(warmUp.toNanos());
            warmUpStalls = onFx(() -> {
                FxStallProbe.Stalls stalls = probe.stalls();
                probe.reset();
                return stalls;
            });
            heap.clear();
            startNs = System.nanoTime();
        }
        long endNs = startNs + duration.toNanos();
        long nextReportNs = startNs + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < endNs) {
            long now = System.nanoTime();
            if (now >= nextReportNs) {
                FxStallProbe.Stalls stalls = onFx(probe::stalls);
                HeapSample last = heap.isEmpty() ? null : heap.get(heap.size() - 1);
                progress.accept(String.format(Locale.ROOT, "%4.0f s: %,d events published; FX %s; heap %s",
                        (now - startNs) / 1e9, agents.stream().mapToLong(LoadAgent::publishedSeq).sum(),
                        stalls.text(), last == null ? "-" : String.format(Locale.ROOT, "%.1f MB", last.usedMb())));
                nextReportNs += TimeUnit.MINUTES.toNanos(1);
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(200, Math.max(1, (endNs - now) / 1_000_000)));
        }
    }

    /** The stalls of the warm-up, or null without one. */
    public FxStallProbe.Stalls warmUpStalls() {
        return warmUpStalls;
    }

    private void sampleHeap() {
        probe.measuringHeap(System::gc);
        heap.add(new HeapSample((System.nanoTime() - startNs) / 1e9, heapAfterLastGcMb()));
    }

    /**
     * The heap in use right after the newest GC, as that GC reported it. Reading the current usage instead would
     * count what the other threads allocated since, tens of MB on a busy machine.
     */
    static double heapAfterLastGcMb() {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        GcInfo newest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            GcInfo info = ((com.sun.management.GarbageCollectorMXBean) gc).getLastGcInfo();
            if (info != null && (newest == null || info.getEndTime() > newest.getEndTime())) {
                newest = info;
            }
        }
        if (newest == null) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : newest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used / 1e6;
    }

    /**
     * Stops the agents, waits (at most {@code drainTimeout}) until the sidebar shows every agent's last reading,
     * takes the figures, closes the station and counts what its store file holds.
     */
    public Result finish(Duration drainTimeout) throws Exception {
        Duration ran = Duration.ofNanos(System.nanoTime() - startNs);
        for (ScheduledFuture<?> tick : ticks) {
            tick.cancel(false);
        }
        // a tick that is running finishes before this runs
        ticker.submit(() -> null).get(30, TimeUnit.SECONDS);
        sampler.shutdown();
        sampler.awaitTermination(60, TimeUnit.SECONDS);
        for (LoadAgent agent : agents) {
            agent.flush();
        }
        long drainStart = System.nanoTime();
        try {
            Awaitility.await("the sidebar shows every agent's last reading").atMost(drainTimeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> onFx(() -> shownSummaries().size() == agentCount && agents.stream()
                            .allMatch(a -> a.lastReadingText().equals(shownSummaries().get(a.agentId())))));
        } catch (ConditionTimeoutException e) {
            progress.accept("not everything shown after " + drainTimeout.toSeconds() + " s; collecting anyway");
        }
        Duration drained = Duration.ofNanos(System.nanoTime() - drainStart);
        FxStallProbe.Stalls stalls = onFx(probe::stalls);
        Map<String, String> shown = onFx(this::shownSummaries);
        String countText = onFx(() -> ((Label) view.root().lookup("#agentCount")).getText());
        probe.close();
        closeStation();
        List<AgentResult> results = new ArrayList<>();
        try (StationStore store = StationStore.open(dir.resolve("data").resolve(StationStore.FILE_NAME))) {
            for (LoadAgent agent : agents) {
                String id = agent.agentId();
                results.add(new AgentResult(id, agent.publishedSeq(), store.count(id), store.highestSeq(id),
                        store.firstGap(id).map(Object::toString).orElse(""), shown.containsKey(id),
                        shown.get(id), agent.lastReadingText(), agent.historyRequests(), agent.failedPublishes()));
            }
        }
        return new Result(ran, stalls, List.copyOf(heap), results, countText, drained);
    }

    /** Agent id to summary line of every row of the sidebar's list; FX thread. */
    @SuppressWarnings("unchecked")
    private Map<String, String> shownSummaries() {
        ListView<AgentItem> list = (ListView<AgentItem>) view.root().lookup("#agentList");
        Map<String, String> shown = new HashMap<>();
        for (AgentItem item : list.getItems()) {
            shown.put(item.agentId(), item.summaryTextProperty().get());
        }
        return shown;
    }

    private void closeStation() throws Exception {
        if (context == null) {
            return;
        }
        onFx(() -> {
            everySecond.stop();
            return null;
        });
        // off the FX thread: closing waits for the feed thread, whose last updates go to the FX thread
        context.close();
        context = null;
    }

    @Override
    public void close() throws Exception {
        probe.close();
        ticker.shutdownNow();
        sampler.shutdownNow();
        for (LoadAgent agent : agents) {
            agent.disconnect();
        }
        closeStation();
        if (broker != null) {
            broker.close();
        }
    }

    /** Runs {@code task} on the FX thread and waits for it (at most 30 s). */
    static <T> T onFx(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }
}
