package dev.spike.station.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dev.spike.model.Rules;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.alarms.AlarmsViewModel;
import dev.spike.station.app.StationCore;
import dev.spike.station.connection.BrokerSettings;
import dev.spike.station.connection.HiveMqGateway;
import dev.spike.station.connection.MutableClock;
import dev.spike.station.control.SprayViewModel;
import dev.spike.station.dashboard.AgentsViewModel;
import dev.spike.station.dashboard.DashboardViewModel;
import dev.spike.station.log.EventLogViewModel;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.FeedUpdate;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import dev.spike.station.store.TestEvents;
import dev.spike.station.testing.Mosquitto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The station's ingest rate as a ratio of {@code mosquitto_sub}'s on the same stream, in the same run: a figure
 * that says how close the station comes to the cheapest possible subscriber, whatever the machine's load. Prints
 * figures, asserts nothing beyond "nothing dropped" (not a unit test).
 *
 * <p>Each round starts a fresh Mosquitto (configured like docs/mosquitto/mosquitto.conf: {@code set_tcp_nodelay},
 * {@code max_queued_messages 100000}) and subscribes, before anything is published:
 * <ul>
 *   <li>{@code mosquitto_sub -q 1 -t 'spike/+/event/+' -C N+1} writing to a file (plus one retained marker on
 *       another topic, which tells this program that its subscription is in place);</li>
 *   <li>the station's real data path: {@link HiveMqGateway}, {@link StationFeed} on its own thread,
 *       {@link StationStore} in a temporary directory, {@link Backfill}, {@link AlarmTracker} and the ViewModels on a
 *       stand-in for the FX thread, as {@link IngestBenchmark} wires them.</li>
 * </ul>
 * Then one HiveMQ client publishes N agent events (the codec's JSON on {@code spike/<id>/event/<type>}, QoS 1) as
 * fast as the broker takes them. Each subscriber's time runs from the first publish until it has all N: for
 * mosquitto_sub its exit (after -C messages), for the station the moment the FX stand-in ran the ViewModel updates of
 * the last batch. One warm-up round of 20,000 events, then 3 rounds of N; the medians are the result.
 *
 * <p>Both subscribers and the publisher share the machine's cores with the broker: the ratio is the figure to
 * compare between runs, the absolute rates vary with the load.
 *
 * <p>Run: {@code mvn -B -q -o -pl station-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.station.bench.IngestVsMosquittoSubBenchmark} (mosquitto and mosquitto-clients
 * installed); an argument overrides N.
 */
public final class IngestVsMosquittoSubBenchmark {

    static final int DEFAULT_EVENTS = 100_000;
    static final int ROUNDS = 3;
    static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    static final String READY_TOPIC = "bench/ready";
    static final Duration ROUND_TIMEOUT = Duration.ofMinutes(3);

    private static final String AGENT = TestEvents.AGENT;
    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private IngestVsMosquittoSubBenchmark() {
    }

    /** One round's times, in nanoseconds from the first publish. */
    record Round(int events, long publishedNs, long subNs, long stationStoredNs, long stationShownNs) {

        double subRate() {
            return events / (subNs / 1e9);
        }

        double stationRate() {
            return events / (stationShownNs / 1e9);
        }

        double ratio() {
            return stationRate() / subRate();
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_EVENTS;
        if (!Files.isExecutable(MOSQUITTO_SUB)) {
            throw new IllegalStateException("no " + MOSQUITTO_SUB + ": apt-get install mosquitto-clients");
        }
        System.out.printf(Locale.ROOT, "Spike station ingest vs mosquitto_sub (JDK %s, %d cores), %,d events per"
                + " round, QoS 1%n", Runtime.version(), Runtime.getRuntime().availableProcessors(), n);
        // warms the JIT of the station, the codec and the publisher; its figures are not printed
        round(0, Math.min(n, 20_000));
        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            Round round = round(i, n);
            rounds.add(round);
            System.out.printf(Locale.ROOT, "  round %d: published in %5.2f s | mosquitto_sub %5.2f s -> %,7.0f"
                    + " events/s | station stored %5.2f s, shown %5.2f s -> %,7.0f events/s | ratio %.2f%n",
                    i, round.publishedNs() / 1e9, round.subNs() / 1e9, round.subRate(),
                    round.stationStoredNs() / 1e9, round.stationShownNs() / 1e9, round.stationRate(),
                    round.ratio());
        }
        System.out.printf(Locale.ROOT, "median of %d rounds: mosquitto_sub %,.0f events/s, station %,.0f events/s,"
                + " ratio station / mosquitto_sub = %.2f; nothing dropped (every round: mosquitto_sub %,d lines,"
                + " station store %,d events without a gap, last seq shown in the event log)%n", ROUNDS,
                median(rounds, Round::subRate), median(rounds, Round::stationRate), median(rounds, Round::ratio),
                n, n);
        // The HiveMQ client's Netty event-loop threads are not daemons and outlive the closed clients for a while;
        // exec:java would wait for them after the figures are out.
        System.exit(0);
    }

    private static Round round(int number, int n) throws Exception {
        Path dir = Files.createTempDirectory("spike-bench-sub");
        ExecutorService fxThread = Executors.newSingleThreadExecutor(named("fx-stand-in"));
        Codec codec = new Codec();
        List<Event> events = IngestBenchmark.history(START, n / 2 + 1).subList(0, n);
        Process sub = null;
        Mqtt5AsyncClient publisher = null;
        MutableClock clock = new MutableClock(START.plus(Duration.ofDays(8)), ZoneId.of("UTC"));
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                StationCore station = StationCore.open(dir.resolve(StationStore.FILE_NAME),
                        "bench-station-" + number, clock)) {
            HiveMqGateway gateway = station.gateway();
            publisher = Mqtt5Client.builder().identifier("bench-publisher").serverHost("127.0.0.1")
                    .serverPort(broker.port()).buildAsync();
            publisher.connect().get(10, TimeUnit.SECONDS);
            // retained, as an agent's are: the station's ViewModels see an agent with its rules before its events
            publish(publisher, Topic.status(AGENT).toString(),
                    codec.encode(new Status(true, START, "0.1.0", false)), true).get(10, TimeUnit.SECONDS);
            publish(publisher, Topic.config(AGENT).toString(),
                    codec.encode(TestEvents.config(START, Rules.defaults(ZoneId.of("UTC")))), true)
                    .get(10, TimeUnit.SECONDS);
            publish(publisher, READY_TOPIC, "ready".getBytes(StandardCharsets.UTF_8), true)
                    .get(10, TimeUnit.SECONDS);

            Path subOut = dir.resolve("mosquitto_sub.out");
            sub = new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(broker.port()), "-q", "1", "-t", "spike/+/event/+", "-t", READY_TOPIC,
                    "-C", Integer.toString(n + 1))
                    .redirectOutput(subOut.toFile())
                    .redirectError(dir.resolve("mosquitto_sub.err").toFile())
                    .start();
            // One SUBSCRIBE carries both filters; the retained marker comes after its SUBACK, so once it is
            // printed, the event filter is in place too.
            waitFor("mosquitto_sub subscribed", sub, () -> Files.readString(subOut).startsWith("ready"));

            StationFeed feed = station.feed();
            EventTexts texts = station.texts();
            AlarmTracker tracker = station.tracker();
            AgentsViewModel agents = new AgentsViewModel(feed, gateway, fxThread, clock);
            DashboardViewModel dashboard = new DashboardViewModel(feed, gateway, fxThread, clock, texts);
            EventLogViewModel log = new EventLogViewModel(feed, fxThread, texts);
            AlarmsViewModel alarms = new AlarmsViewModel(tracker, fxThread, texts, "bench");
            SprayViewModel spray = new SprayViewModel(feed, gateway, tracker, fxThread, clock);
            CompletableFuture.runAsync(() -> {
                dashboard.select(AGENT);
                log.select(AGENT);
                spray.select(AGENT);
            }, fxThread).get(10, TimeUnit.SECONDS);
            // Registered after the ViewModels: when it sees the last event, their updates of that batch are
            // queued on the FX stand-in already, so the task it queues runs after them.
            AtomicLong stored = new AtomicLong();
            CompletableFuture<Long> storedAt = new CompletableFuture<>();
            CompletableFuture<Long> shownAt = new CompletableFuture<>();
            feed.addListener(updates -> {
                for (FeedUpdate update : updates) {
                    if (update instanceof FeedUpdate.EventsAdded && update.agentId().equals(AGENT)
                            && stored.addAndGet(((FeedUpdate.EventsAdded) update).events().size()) == n) {
                        storedAt.complete(System.nanoTime());
                        fxThread.execute(() -> shownAt.complete(System.nanoTime()));
                    }
                }
            });
            gateway.connect(BrokerSettings.parse(broker.uri(), null, null, null)).get(10, TimeUnit.SECONDS);

            CompletableFuture<Long> subDone = sub.onExit().thenApply(p -> System.nanoTime());
            long start = System.nanoTime();
            CompletableFuture<Mqtt5PublishResult> last = null;
            for (Event event : events) {
                last = publish(publisher, Topic.event(AGENT, event.type()).toString(), codec.encode(event), false);
            }
            // PUBACKs come in order: the last one means the broker took all of them
            last.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long published = System.nanoTime();

            long subEnd = awaitOrExplain(subDone, () -> "mosquitto_sub received " + (lines(subOut) - 1) + " of " + n);
            long storedEnd = awaitOrExplain(storedAt, () -> "the station stored " + stored.get() + " of " + n);
            long shownEnd = awaitOrExplain(shownAt, () -> "the FX stand-in did not run");

            long subLines = lines(subOut) - 1;
            long inStore = feed.read(s -> s.count(AGENT)).join();
            boolean noGap = feed.read(s -> s.firstGap(AGENT).isEmpty()).join();
            long topSeq = CompletableFuture.supplyAsync(() -> log.entries().get(0).seq(), fxThread)
                    .get(10, TimeUnit.SECONDS);
            long lastSeq = events.get(events.size() - 1).seq();
            if (sub.exitValue() != 0 || subLines != n || inStore != n || !noGap || topSeq != lastSeq
                    || agents.agents().size() != 1) {
                throw new IllegalStateException("dropped events in round " + number + ": mosquitto_sub exit "
                        + sub.exitValue() + ", " + subLines + " lines; station store " + inStore + " (gap: " + !noGap
                        + "), log top seq " + topSeq + ", expected " + n + " / " + lastSeq + "; alarms "
                        + alarms.alarms().size());
            }
            return new Round(n, published - start, subEnd - start, storedEnd - start, shownEnd - start);
        } finally {
            if (sub != null) {
                sub.destroyForcibly();
            }
            if (publisher != null) {
                publisher.disconnect().handle((ignored, error) -> null).get(10, TimeUnit.SECONDS);
            }
            fxThread.shutdown();
            fxThread.awaitTermination(30, TimeUnit.SECONDS);
            delete(dir);
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String topic,
            byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Polls; fails with the subscriber's exit code if it ended before it was ready. */
    private static void waitFor(String what, Process process, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!check.ok()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + ": the process ended with " + process.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within 10 s");
            }
            Thread.sleep(5); // a benchmark's setup, not a test: nothing to await with
        }
    }

    private interface Explanation {
        String text() throws IOException;
    }

    private static long awaitOrExplain(CompletableFuture<Long> done, Explanation otherwise) throws Exception {
        try {
            return done.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("not done within " + ROUND_TIMEOUT.toMinutes() + " min: "
                    + otherwise.text(), e);
        }
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
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
