package dev.spike.station.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import dev.spike.station.alarms.AlarmRow;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.chart.ChartViewModel;
import dev.spike.station.app.StationCore;
import dev.spike.station.rules.RulesViewModel;
import dev.spike.station.simulation.SimulationViewModel;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.agents.AgentItem;
import dev.spike.station.agents.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.log.EventTexts;
import dev.spike.station.log.LogEntry;
import dev.spike.station.store.AgentSnapshot;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import dev.spike.station.testing.Soak;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes every topic the station subscribes to ({@link Topic#stationFilters}: status, event, state, health, config
 * and its history replies) through a real broker into the real station: {@link HiveMqGateway}, {@link StationFeed}
 * on its own thread, {@link StationStore} on a SQLite file, {@link Backfill}, {@link AlarmTracker} and every
 * ViewModel on top of the one {@link SelectedAgent}.
 *
 * <p>{@code Soak.count(100_000, 1_000_000)} payloads (see {@link InboundFuzzer}) go to the six inbound topic kinds in
 * equal parts, interleaved at random, and another 5 % to odd topics. The seed is printed; {@code -Dspike.fuzz.seed=N} replays a run. Each payload is
 * classified while it is sent, by the same {@link Codec} verdict the gateway uses, and the oracle is:
 * <ol>
 *   <li>no crash: no uncaught exception on any thread, no ERROR logged, the gateway never leaves CONNECTED, and a
 *       valid message after the storm reaches the store and the ViewModels;</li>
 *   <li>the store holds only events that a payload classified valid carried, and no listener is told of an event
 *       twice;</li>
 *   <li>garbage creates nothing: agents, their snapshots and alarms exist only for agent ids that sent a valid
 *       message, and the station never sends a spray, config or simulation command;</li>
 *   <li>memory bounded: the used heap after GC grows less than {@link #HEAP_GROWTH_FIXED_MIB} MiB plus
 *       {@link #HEAP_GROWTH_PER_VALID_AGENT_KIB} KiB per agent id that sent a valid message.</li>
 * </ol>
 */
class InboundFuzzTest {

    private static final long SEED = Long.getLong("spike.fuzz.seed", 0x5EED_2026_0501L);
    /** Payloads on the well-formed topics, split evenly over the six inbound topic kinds. */
    private static final int TOTAL = Soak.count(100_000, 1_000_000);
    /** For {@link #normalized}, which runs on the sending thread and the test's. */
    private static final Codec STORED = new Codec();
    private static final int PER_KIND = (TOTAL + InboundFuzzer.INBOUND.size() - 1) / InboundFuzzer.INBOUND.size();
    /** On top: payloads on odd topics (forbidden agent ids, unknown kinds, extra levels). */
    private static final int ODD_TOPICS = TOTAL / 20;
    /**
     * What the storm may leave behind on the heap, broker and station together: a fixed part, and for every agent id
     * that sent a valid message what the station rightly keeps of an agent (its list entry, snapshots, alarms). The
     * invalid payloads must cost nothing that lasts: they are most of the storm's bytes and far more than this.
     */
    static final long HEAP_GROWTH_FIXED_MIB = 16;
    static final long HEAP_GROWTH_PER_VALID_AGENT_KIB = 16;
    /**
     * Payloads in flight between the test and the end of the gateway's decoding. They go out with QoS 0 (no
     * acknowledgement round trip, so the publisher is never the bottleneck), which a broker may drop for a client
     * that falls behind; a small window keeps the station's backlog far below HiveMQ's per-client queue (1,000), and
     * a payload lost anyway would hold its slot, so the test would fail saying so instead of passing short.
     */
    private static final int WINDOW = 500;
    private static final String STATION = "fuzz-station";
    private static final List<String> AGENTS = List.of("terra-1", "terra-2", "gecko-3", "frog-4");
    private static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    private static final List<String[]> FILTERS = Topic.stationFilters(STATION).stream()
            .map(filter -> filter.split("/", -1)).toList();

    @TempDir
    Path dir;

    private final Codec codec = new Codec();
    private final StormLog log = new StormLog();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previousHandler;
    private Appender<ILoggingEvent> console;

    private EmbeddedBroker broker;
    private StationCore core;
    private ExecutorService uiThread;
    private HiveMqGateway gateway;
    private StationFeed feed;
    private SelectedAgent selected;
    private ChartViewModel chartVm;
    private AgentsViewModel agentsVm;
    private DashboardViewModel dashboardVm;
    private AlarmsViewModel alarmsVm;
    private EventLogViewModel logVm;
    private Mqtt5AsyncClient publisher;
    private Mqtt5AsyncClient probe;

    private final List<String> leftConnected = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> commandsSent = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    /** Event keys ("agent#seq") listeners were told of; feed thread only. */
    private Set<String> announced = new HashSet<>();
    private long announcedTwice;

    @BeforeEach
    void startStation() throws Exception {
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> uncaught.add(error));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);

        broker = EmbeddedBroker.start(dir.resolve("broker"));
        MutableClock clock = new MutableClock(T0, ZoneOffset.UTC);
        core = StationCore.open(dir.resolve(StationStore.FILE_NAME), STATION, clock);
        // One thread in place of the FX thread: the real gateway reports connection changes on its own thread, so
        // a direct executor would change the ViewModels from two threads at once.
        uiThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "fake-fx"));
        gateway = (HiveMqGateway) core.gateway();
        feed = core.feed();
        gateway.addMessageListener((topic, message) -> {
            delivered.incrementAndGet();
            log.window.release();
        });
        feed.addListener(updates -> {
            for (FeedUpdate update : updates) {
                if (update instanceof FeedUpdate.EventsAdded) {
                    for (Event event : ((FeedUpdate.EventsAdded) update).events()) {
                        if (!announced.add(key(event))) {
                            announcedTwice++;
                        }
                    }
                }
            }
        });
        EventTexts texts = core.texts();
        AlarmTracker tracker = core.tracker();
        onUi(() -> {
            selected = new SelectedAgent(feed, gateway, uiThread, clock);
            agentsVm = new AgentsViewModel(selected, feed, gateway, tracker, uiThread, clock);
            dashboardVm = new DashboardViewModel(selected, texts);
            alarmsVm = new AlarmsViewModel(tracker, uiThread, texts, "keeper");
            logVm = new EventLogViewModel(selected, feed, uiThread, texts);
            chartVm = new ChartViewModel(selected, feed, uiThread, clock.getZone());
            new ConnectionViewModel(gateway, BrokerSettingsFile.inDir(dir), uiThread);
            new SprayViewModel(selected, gateway, tracker, uiThread, clock);
            new RulesViewModel(selected, gateway, uiThread, clock);
            new SimulationViewModel(selected, gateway, uiThread, clock);
            return null;
        });
        gateway.connect(broker.settings()).get(30, TimeUnit.SECONDS);
        gateway.addStateListener(state -> {
            if (!state.isConnected()) {
                leftConnected.add(state.text());
            }
        });

        probe = client("fuzz-probe");
        probe.subscribeWith().topicFilter("spike/+/cmd/+").qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::commandSeen).send().get(10, TimeUnit.SECONDS);
        probe.subscribeWith().topicFilter("spike/+/sim/set").qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::commandSeen).send().get(10, TimeUnit.SECONDS);
        publisher = client("fuzz-agents");
    }

    @AfterEach
    void stopStation() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (console != null) {
            root.addAppender(console);
        }
        try {
            for (Mqtt5AsyncClient client : new Mqtt5AsyncClient[] {publisher, probe}) {
                if (client != null) {
                    client.disconnect().get(10, TimeUnit.SECONDS);
                }
            }
            if (core != null) {
                core.close();
            }
            if (uiThread != null) {
                uiThread.shutdown();
                uiThread.awaitTermination(10, TimeUnit.SECONDS);
            }
            if (broker != null) {
                broker.close();
            }
        } finally {
            root.detachAppender(log);
            log.stop();
            Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        }
    }

    @Test
    void garbageOnEveryInboundTopicNeitherCrashesNorStoresNorGrowsTheStation() throws Exception {
        Random random = new Random(SEED);
        InboundFuzzer fuzzer = new InboundFuzzer(random, codec, STATION, AGENTS, T0);
        Storm storm = new Storm();
        // The first agent to speak is the one every ViewModel shows: a known one, so the storm reaches them all.
        send(storm, new InboundFuzzer.Message(Topic.status(AGENTS.get(0)).toString(),
                codec.encode(new Status(true, T0, "0.1.0", true)), false));
        awaitStationCaughtUp(storm);
        long heapBefore = usedHeapAfterGc();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        // ~100,000 "dropped a message" warnings on the console would bury a real failure; StormLog counts them
        console = root.getAppender("OUT");
        if (console != null) {
            root.detachAppender(console);
        }
        System.out.println("inbound fuzz (station): seed " + SEED + " (-Dspike.fuzz.seed=" + SEED + " replays it), "
                + PER_KIND + " payloads per inbound topic kind, " + ODD_TOPICS + " on odd topics");

        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        Map<TopicKind, Integer> left = new EnumMap<>(TopicKind.class);
        for (TopicKind kind : InboundFuzzer.INBOUND) {
            left.put(kind, PER_KIND);
        }
        int oddLeft = ODD_TOPICS;
        List<TopicKind> kinds = new ArrayList<>(InboundFuzzer.INBOUND);
        long sent = 0;
        while (!kinds.isEmpty() || oddLeft > 0) {
            if (oddLeft > 0 && (kinds.isEmpty() || random.nextInt(10) == 0)) {
                oddLeft--;
                storm.perKind.merge("odd topic", 1L, Long::sum);
                send(storm, fuzzer.nextOddTopic());
            } else {
                TopicKind kind = kinds.get(random.nextInt(kinds.size()));
                if (left.merge(kind, -1, Integer::sum) == 0) {
                    kinds.remove(kind);
                }
                storm.perKind.merge(kind.wire(), 1L, Long::sum);
                send(storm, fuzzer.next(kind));
            }
            if (++sent % 2_000 == 0) {
                // the app's once-a-second timer: ages, alarm checks, timeouts
                uiThread.execute(selected::refresh);
            }
        }
        awaitStationCaughtUp(storm);
        double stormSeconds = (System.nanoTime() - started) / 1e9;
        double stormCpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (console != null) {
            root.addAppender(console);
            console = null;
        }

        // (1) no crash, and the station still works: a new agent's reading reaches the store and the ViewModels
        String after = "after-storm";
        send(storm, new InboundFuzzer.Message(Topic.status(after).toString(),
                codec.encode(new Status(true, T0, "0.1.0", false)), false));
        HumidityChanged reading = new HumidityChanged(after, 1, T0, 55.5);
        send(storm, new InboundFuzzer.Message(Topic.event(after, EventType.HUMIDITY_CHANGED).toString(),
                codec.encode(reading), false));
        awaitStationCaughtUp(storm);
        onUi(() -> {
            agentsVm.select(after);
            return null;
        });
        await("the reading after the storm in the store and the ViewModels").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    List<Event> storedAfter = onFeed(s -> s.events(after, EventQuery.newest(10)));
                    assertThat(storedAfter).containsExactly(reading);
                    assertThat(onUi(() -> agentsVm.agents().stream().map(AgentItem::agentId).anyMatch(after::equals)))
                            .isTrue();
                    assertThat(onUi(() -> dashboardVm.humidityProperty().get())).isEqualTo(55.5);
                    assertThat(onUi(() -> new ArrayList<>(logVm.entries()))).extracting(LogEntry::seq)
                            .containsExactly(1L);
                    assertThat(onUi(() -> chartVm.dataProperty().get().humidity().size())).isEqualTo(1);
                });
        assertThat(uncaught).as("exceptions that escaped a thread").isEmpty();
        assertThat(log.errors).as("ERROR log lines (%d in all)", log.errorCount.get()).isEmpty();
        assertThat(leftConnected).as("states other than connected during the storm").isEmpty();
        assertThat(gateway.state().isConnected()).isTrue();
        assertThat(log.unreadableStored.get()).as("warnings about unreadable stored data").isZero();

        // (2) only valid events stored, nothing stored or announced twice
        List<AgentSnapshot> agents = onFeed(StationStore::agents);
        long stored = 0;
        for (AgentSnapshot agent : agents) {
            List<Event> events = allEvents(agent.agentId());
            stored += events.size();
            Set<Long> seqs = new HashSet<>();
            for (Event event : events) {
                assertThat(seqs.add(event.seq())).as("stored twice: %s", key(event)).isTrue();
                assertThat(storm.validEvents.getOrDefault(key(event), Set.of()))
                        .as("stored event %s was never sent in a valid payload", event)
                        .contains(normalized(event).hashCode());
            }
            long count = onFeed(s -> s.count(agent.agentId()));
            assertThat(count).isEqualTo(events.size());
        }
        long announcedTwiceNow = onFeed(s -> announcedTwice);
        assertThat(announcedTwiceNow).as("events listeners were told of twice").isZero();
        assertThat(stored).as("the storm stored something (a fuzzer that sends only garbage proves nothing)")
                .isPositive();

        // (3) an agent, its snapshots and its alarms exist only because of a valid message
        Set<String> agentIds = new HashSet<>();
        agents.forEach(agent -> agentIds.add(agent.agentId()));
        storm.validAgents.add(after);
        storm.validSnapshotAgents.add(after);
        assertThat(agentIds).as("agents in the store").isSubsetOf(storm.validAgents)
                .containsAll(storm.validSnapshotAgents);
        List<String> shownAgents = onUi(() -> agentsVm.agents().stream().map(AgentItem::agentId).toList());
        assertThat(shownAgents).as("agents shown").isSubsetOf(storm.validAgents)
                .containsAll(storm.validSnapshotAgents);
        List<AlarmRow> alarms = onUi(() -> new ArrayList<>(alarmsVm.alarms()));
        assertThat(alarms).extracting(AlarmRow::agentId).as("agents with alarms").isSubsetOf(storm.validAgents);
        assertThat(storm.ghostsInvalidOnly()).as("made-up agent ids that sent only garbage").isPositive();
        assertThat(commandsSent.keySet()).as("commands the station sent while fuzzed")
                .isSubsetOf(Set.of(TopicKind.CMD_HISTORY.wire()));
        assertThat(commandsSent.getOrDefault(TopicKind.CMD_HISTORY.wire(), new AtomicLong()).get())
                .as("history requests: one in flight per agent, the clock stands still")
                .isLessThanOrEqualTo(agentIds.size());

        // (4) memory bounded: drop the test's own bookkeeping first
        int validAgentCount = storm.validAgents.size();
        storm.clearBookkeeping();
        feed.read(s -> {
            announced = new HashSet<>();
            return null;
        }).get(30, TimeUnit.SECONDS);
        long heapAfter = usedHeapAfterGc();
        long growthKib = (heapAfter - heapBefore) >> 10;
        long boundKib = (HEAP_GROWTH_FIXED_MIB << 10) + HEAP_GROWTH_PER_VALID_AGENT_KIB * validAgentCount;

        System.out.printf(Locale.ROOT, "inbound fuzz (station): seed %d; payloads %s; reached the station %d"
                        + " (valid %d, invalid %d), not subscribed %d, refused by the MQTT client %d; dropped by the"
                        + " gateway %d; %d MB of payloads, %d MB of them invalid; stored %d events of %d agents (%d"
                        + " agent ids in valid messages); heap after GC %d MiB before, %d MiB after (bound +%d MiB);"
                        + " %.1f s (%.0f payloads/s), %.1f CPU s of the"
                        + " test JVM (broker, station and fuzzer), load average %.1f on %d CPUs%n",
                SEED, new TreeMap<>(storm.perKind), storm.reached, storm.valid, storm.invalid, storm.notSubscribed,
                storm.refusedByClient, log.dropped.get(), storm.bytes / 1_000_000, storm.invalidBytes / 1_000_000,
                stored, agentIds.size(), validAgentCount, heapBefore >> 20, heapAfter >> 20, boundKib >> 10,
                stormSeconds,
                storm.sent / stormSeconds, stormCpuSeconds, load, Runtime.getRuntime().availableProcessors());
        assertThat(storm.invalid + storm.clears).as("the gateway dropped every invalid payload that reached it")
                .isEqualTo(log.dropped.get() + log.cleared.get());
        assertThat(growthKib).as("used heap growth over the storm, KiB").isLessThan(boundKib);
    }

    // ------------------------------------------------------------------------------------------------ sending

    /** What was sent, and the codec's verdict on it. */
    private static final class Storm {
        final Map<String, Long> perKind = new HashMap<>();
        long sent;
        long reached;
        long valid;
        long invalid;
        long notSubscribed;
        long refusedByClient;
        long clears;
        long bytes;
        long invalidBytes;
        /** Agent ids of every valid message. */
        Set<String> validAgents = new HashSet<>();
        /** Agent ids of valid messages that the store keeps in any case (all but pages). */
        Set<String> validSnapshotAgents = new HashSet<>();
        Set<String> ghosts = new HashSet<>();
        /** "agent#seq" to the hash codes of the valid events sent with that key. */
        Map<String, Set<Integer>> validEvents = new HashMap<>();

        long ghostsInvalidOnly() {
            return ghosts.stream().filter(id -> !validAgents.contains(id)).count();
        }

        void clearBookkeeping() {
            validAgents = Set.of();
            validSnapshotAgents = Set.of();
            ghosts = Set.of();
            validEvents = Map.of();
        }
    }

    private void send(Storm storm, InboundFuzzer.Message message) throws InterruptedException {
        storm.sent++;
        MqttTopic topic;
        try {
            topic = MqttTopic.of(message.topic());
        } catch (IllegalArgumentException e) {
            // empty, a null character, too long: no client can publish it, so no broker delivers it
            storm.refusedByClient++;
            return;
        }
        Topic parsed = Topic.parse(message.topic()).orElse(null);
        if (parsed != null && parsed.agentId().startsWith("ghost-")) {
            storm.ghosts.add(parsed.agentId());
        }
        boolean reaches = reachesStation(message.topic());
        if (!reaches) {
            storm.notSubscribed++;
        } else {
            storm.reached++;
            storm.bytes += message.payload().length;
            classify(storm, parsed, message);
            if (!log.window.tryAcquire(30, TimeUnit.SECONDS)) {
                fail("the station stopped taking messages: %d reached it, %d decoded, %d dropped", storm.reached,
                        delivered.get(), log.dropped.get() + log.cleared.get());
            }
        }
        publisher.publish(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_MOST_ONCE)
                .payload(message.payload()).retain(message.retain()).build());
    }

    private void classify(Storm storm, Topic parsed, InboundFuzzer.Message message) {
        if (message.payload().length == 0 && message.retain()) {
            // a cleared retained topic: the gateway ignores it on purpose (when it comes as retained)
            storm.clears++;
            return;
        }
        Decoded<Object> verdict = codec.decode(message.topic(), message.payload());
        if (!verdict.isOk()) {
            storm.invalid++;
            storm.invalidBytes += message.payload().length;
            return;
        }
        storm.valid++;
        String agentId = parsed.agentId();
        Object value = verdict.value();
        storm.validAgents.add(agentId);
        if (value instanceof HistoryPage) {
            HistoryPage page = (HistoryPage) value;
            if (page.agentId().equals(agentId)) {
                page.events().forEach(event -> expect(storm, event));
            }
            return;
        }
        storm.validSnapshotAgents.add(agentId);
        if (value instanceof Event) {
            expect(storm, (Event) value);
        }
    }

    private static void expect(Storm storm, Event event) {
        storm.validEvents.computeIfAbsent(key(event), k -> new HashSet<>()).add(normalized(event).hashCode());
    }

    /**
     * An event as the store gives it back. The store keeps a reading as epoch milliseconds and a SQLite REAL, which
     * turns -0.0 into 0: compare readings at that precision (x + 0.0 is x, but 0.0 for -0.0). Any other event it
     * keeps as the codec's payload, which writes a whole number without its fraction, -0.0 as 0 (a 0 %RH
     * {@code low_humidity} sent as -0.0 comes back as 0.0): compare those after the same round trip.
     */
    private static Event normalized(Event event) {
        Instant at = event.at().truncatedTo(ChronoUnit.MILLIS);
        if (event instanceof HumidityChanged) {
            return new HumidityChanged(event.agentId(), event.seq(), at,
                    ((HumidityChanged) event).humidityPct() + 0.0);
        }
        if (event instanceof TemperatureChanged) {
            return new TemperatureChanged(event.agentId(), event.seq(), at,
                    ((TemperatureChanged) event).temperatureC() + 0.0);
        }
        return STORED.decodeEvent(event.agentId(), STORED.encode(event)).value();
    }

    private static String key(Event event) {
        return event.agentId() + "#" + event.seq();
    }

    /** Whether the broker delivers a publish on {@code topic} to the station: MQTT filter matching. */
    private static boolean reachesStation(String topic) {
        String[] levels = topic.split("/", -1);
        for (String[] parts : FILTERS) {
            if (parts.length != levels.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < parts.length && match; i++) {
                match = parts[i].equals("+") || parts[i].equals(levels[i]);
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private void awaitStationCaughtUp(Storm storm) throws Exception {
        await("the gateway decoded or dropped all " + storm.reached + " payloads").atMost(Duration.ofSeconds(60))
                .until(() -> log.window.availablePermits() == WINDOW);
        // the feed queue runs in order: this read comes after everything the gateway handed over
        feed.read(s -> null).get(60, TimeUnit.SECONDS);
        onUi(() -> null);
        feed.read(s -> null).get(60, TimeUnit.SECONDS);
        onUi(() -> null);
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    private List<Event> allEvents(String agentId) throws Exception {
        List<Event> all = new ArrayList<>();
        EventQuery query = EventQuery.newest(EventQuery.MAX_LIMIT);
        while (true) {
            EventQuery page = query;
            List<Event> events = onFeed(s -> s.events(agentId, page));
            all.addAll(events);
            if (events.size() < EventQuery.MAX_LIMIT) {
                return all;
            }
            query = query.before(events.get(events.size() - 1).seq());
        }
    }

    private <T> T onFeed(Function<StationStore, T> query) throws Exception {
        return feed.read(query).get(30, TimeUnit.SECONDS);
    }

    private <T> T onUi(Callable<T> work) throws Exception {
        return uiThread.submit(work).get(30, TimeUnit.SECONDS);
    }

    private void commandSeen(Mqtt5Publish publish) {
        String[] levels = publish.getTopic().toString().split("/");
        commandsSent.computeIfAbsent(levels[2] + "/" + levels[3], k -> new AtomicLong()).incrementAndGet();
    }

    private Mqtt5AsyncClient client(String id) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port()).buildAsync();
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * Counts rather than keeps: a ListAppender would hold every one of ~100,000 warnings and spoil the heap
     * measurement. The gateway's "dropped" and "cleared" lines end a payload's trip, so they free its window slot.
     */
    private static final class StormLog extends AppenderBase<ILoggingEvent> {
        final Semaphore window = new Semaphore(WINDOW);
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong cleared = new AtomicLong();
        final AtomicLong errorCount = new AtomicLong();
        final AtomicLong unreadableStored = new AtomicLong();
        final List<String> errors = new CopyOnWriteArrayList<>();
        @Override
        protected void append(ILoggingEvent event) {
            String pattern = String.valueOf(event.getMessage());
            if (event.getLoggerName().equals(HiveMqGateway.class.getName())) {
                if (pattern.startsWith("dropped a message on")) {
                    dropped.incrementAndGet();
                    window.release();
                } else if (pattern.startsWith("retained {} was cleared")) {
                    cleared.incrementAndGet();
                    window.release();
                }
            }
            if (pattern.startsWith("skipped unreadable stored event") || pattern.contains("is unreadable")) {
                unreadableStored.incrementAndGet();
            }
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                errorCount.incrementAndGet();
                if (errors.size() < 20) {
                    errors.add(event.getThreadName() + ": " + event.getFormattedMessage()
                            + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()
                            + ": " + event.getThrowableProxy().getMessage()));
                }
            }
        }
    }
}
