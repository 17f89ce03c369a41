package dev.spike.station.bench;

import dev.spike.station.agents.SelectedAgent;
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
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.connection.MutableClock;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.agents.AgentsViewModel;
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
import org.awaitility.Awaitility;

/**
 * The station's ingest rate as a ratio of {@code mosquitto_sub}'s on the same stream, in the same run: a figure
 * that says how close the station comes to the cheapest possible subscriber, whatever the machine's load. Prints
 * figures, asserts nothing beyond "nothing dropped" (not a unit test).
 *
 * <p>Each round starts a fresh Mosquitto (configured like docs/mosquitto/mosquitto.conf: {@code set_tcp_nodelay},
 * {@code max_queued_messages 100000}) with two subscribers at QoS 1:
 * <ul>
 *   <li>{@code mosquitto_sub -q 1 -c -i <id> -t 'spike/+/event/+' -C N} writing to a file;</li>
 *   <li>the station's real data path ({@link StationCore}: gateway, feed thread, store in a temporary directory,
 *       backfill, alarm tracker) and its ViewModels on a stand-in for the FX thread.</li>
 * </ul>
 * One HiveMQ client publishes N agent events (the codec's JSON on {@code spike/<id>/event/<type>}, QoS 1) as fast
 * as the broker takes them. Two modes, three rounds each after a warm-up; the medians are the result:
 * <ul>
 *   <li><b>live</b>: both are connected while the events are published, as events come from agents; the times run
 *       from the first publish. The publisher's pace (Mosquitto allows 20 QoS 1 messages in flight) bounds both, so
 *       this says whether the station keeps up;</li>
 *   <li><b>drain</b>: both subscribe with a persistent session and go away, the events are queued for both, then
 *       both come back at once; the times run from that moment until each has all N. This measures the subscribers
 *       alone.</li>
 * </ul>
 * The station is done when the FX stand-in ran the ViewModel updates of the last batch; {@code mosquitto_sub} when
 * it exits after N messages.
 *
 * <p>Run: {@code mvn -B -q -o -pl station-app test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.station.bench.IngestVsMosquittoSubBenchmark} (mosquitto and mosquitto-clients
 * installed); an argument overrides N.
 */
public final class IngestVsMosquittoSubBenchmark {

    static final int DEFAULT_EVENTS = 100_000;
    static final int DRAIN_EVENTS = 90_000;
    static final int ROUNDS = 3;
    static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    static final String READY_TOPIC = "bench/ready";
    static final Duration ROUND_TIMEOUT = Duration.ofMinutes(3);

    private static final String AGENT = TestEvents.AGENT;
    private static final Instant START = Instant.parse("2026-05-01T00:00:00Z");

    private IngestVsMosquittoSubBenchmark() {
    }

    /** One round's times, in nanoseconds from the first publish (live) or from both coming back (drain). */
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
        System.out.printf(Locale.ROOT, "Spike station ingest vs mosquitto_sub (JDK %s, %d cores), QoS 1%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        // live: as events come from agents; drain: a backlog queued while both were away (the broker's session
        // queue holds 100,000 messages, so the drain rounds stay below it)
        rounds("live", n, false);
        rounds("drain", Math.min(n, DRAIN_EVENTS), true);
        // The HiveMQ client's Netty event-loop threads are not daemons and outlive the closed clients for a while;
        // exec:java would wait for them after the figures are out.
        System.exit(0);
    }

    private static void rounds(String mode, int n, boolean drain) throws Exception {
        // warms the JIT of the station, the codec and the publisher; its figures are not printed
        round(0, Math.min(n, 20_000), drain);
        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i <= ROUNDS; i++) {
            Round round = round(i, n, drain);
            rounds.add(round);
            System.out.printf(Locale.ROOT, "  %s round %d, %,d events: published in %5.2f s | mosquitto_sub %5.2f s"
                    + " -> %,7.0f events/s | station stored %5.2f s, shown %5.2f s -> %,7.0f events/s | ratio %.2f%n",
                    mode, i, n, round.publishedNs() / 1e9, round.subNs() / 1e9, round.subRate(),
                    round.stationStoredNs() / 1e9, round.stationShownNs() / 1e9, round.stationRate(),
                    round.ratio());
        }
        System.out.printf(Locale.ROOT, "%s, median of %d rounds: mosquitto_sub %,.0f events/s, station %,.0f"
                + " events/s, ratio station / mosquitto_sub = %.2f; nothing dropped (every round: mosquitto_sub %,d"
                + " lines, station store %,d events without a gap, last seq shown in the event log)%n", mode, ROUNDS,
                median(rounds, Round::subRate), median(rounds, Round::stationRate), median(rounds, Round::ratio),
                n, n);
    }

    /**
     * One round. Live: both subscribers are connected while the events are published, and their times run from the
     * first publish. Drain: both subscribe with a persistent session and go away, the events are queued for both,
     * and then both come back at once; their times run from that moment, so they measure the subscribers alone, not
     * the publisher's pace.
     */
    private static Round round(int number, int n, boolean drain) throws Exception {
        Path dir = Files.createTempDirectory("spike-bench-sub");
        ExecutorService fxThread = Executors.newSingleThreadExecutor(named("fx-stand-in"));
        Codec codec = new Codec();
        List<Event> events = IngestBenchmark.history(START, n / 2 + 1).subList(0, n);
        MutableClock clock = new MutableClock(START.plus(Duration.ofDays(8)), ZoneId.of("UTC"));
        Path storeFile = dir.resolve(StationStore.FILE_NAME);
        String name = (drain ? "drain-" : "live-") + number;
        Process sub = null;
        Mqtt5AsyncClient publisher = null;
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"))) {
            BrokerSettings settings = BrokerSettings.parse(broker.uri(), null, null, null);
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

            long published = 0;
            if (drain) {
                // the persistent sessions: subscribed, then gone; the broker queues the events for both
                Process first = subscriber(broker, name, 1, true, dir.resolve("first.out"), dir);
                if (!first.waitFor(10, TimeUnit.SECONDS) || first.exitValue() != 0) {
                    throw new IllegalStateException("mosquitto_sub did not subscribe: " + Files.readString(
                            dir.resolve("mosquitto_sub.err")));
                }
                try (StationCore away = StationCore.open(storeFile, name, clock)) {
                    away.gateway().connect(settings).get(10, TimeUnit.SECONDS);
                }
                long publishStart = System.nanoTime();
                publishAll(publisher, codec, events);
                published = System.nanoTime() - publishStart;
            }

            try (StationCore station = StationCore.open(storeFile, name, clock)) {
                Watch watch = new Watch(station, fxThread, clock, n);
                Path subOut = dir.resolve("mosquitto_sub.out");
                long start;
                CompletableFuture<Long> subDone;
                if (drain) {
                    start = System.nanoTime();
                    sub = subscriber(broker, name, n, false, subOut, dir);
                    subDone = sub.onExit().thenApply(p -> System.nanoTime());
                    station.gateway().connect(settings);
                } else {
                    sub = subscriber(broker, name, n + 1, true, subOut, dir);
                    subDone = sub.onExit().thenApply(p -> System.nanoTime());
                    // One SUBSCRIBE carries both filters; the retained marker comes after its SUBACK, so once it
                    // is printed, the event filter is in place too.
                    Process live = sub;
                    waitFor("mosquitto_sub subscribed", live, () -> Files.readString(subOut).startsWith("ready"));
                    station.gateway().connect(settings).get(10, TimeUnit.SECONDS);
                    start = System.nanoTime();
                    publishAll(publisher, codec, events);
                    published = System.nanoTime() - start;
                }
                int header = drain ? 0 : 1;
                long subEnd = awaitOrExplain(subDone, () -> "mosquitto_sub received " + (lines(subOut) - header)
                        + " of " + n);
                long storedEnd = awaitOrExplain(watch.storedAt, () -> "the station stored " + watch.stored.get()
                        + " of " + n);
                long shownEnd = awaitOrExplain(watch.shownAt, () -> "the FX stand-in did not run");
                watch.checkNothingDropped(name, events, sub.exitValue(), lines(subOut) - header);
                return new Round(n, published, subEnd - start, storedEnd - start, shownEnd - start);
            }
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

    /**
     * {@code mosquitto_sub} at QoS 1 on the event filter (and the ready marker), exiting after {@code count}
     * messages; in a drain round with a persistent session of the given id.
     */
    private static Process subscriber(Mosquitto broker, String id, int count, boolean ready, Path out, Path dir)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(broker.port()), "-q", "1", "-c", "-i", "sub-" + id, "-t", "spike/+/event/+"));
        if (ready) {
            command.addAll(List.of("-t", READY_TOPIC));
        }
        command.addAll(List.of("-C", Integer.toString(count)));
        return new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(dir.resolve("mosquitto_sub.err").toFile()).start();
    }

    /** Publishes every event at QoS 1 and waits for the last PUBACK: they come in order, so the broker has all. */
    private static void publishAll(Mqtt5AsyncClient publisher, Codec codec, List<Event> events) throws Exception {
        CompletableFuture<Mqtt5PublishResult> last = null;
        for (Event event : events) {
            last = publish(publisher, Topic.event(AGENT, event.type()).toString(), codec.encode(event), false);
        }
        last.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The station's ViewModels on the FX stand-in, and when the last event was stored and shown. */
    private static final class Watch {
        final StationFeed feed;
        final ExecutorService fx;
        final AgentsViewModel agents;
        final EventLogViewModel log;
        final AlarmsViewModel alarms;
        final AtomicLong stored = new AtomicLong();
        final CompletableFuture<Long> storedAt = new CompletableFuture<>();
        final CompletableFuture<Long> shownAt = new CompletableFuture<>();

        Watch(StationCore station, ExecutorService fx, MutableClock clock, int n) throws Exception {
            this.feed = station.feed();
            this.fx = fx;
            MqttGateway gateway = station.gateway();
            EventTexts texts = station.texts();
            AlarmTracker tracker = station.tracker();
            SelectedAgent selected = new SelectedAgent(feed, gateway, fx, clock);
            agents = new AgentsViewModel(selected, feed, gateway, tracker, fx, clock);
            DashboardViewModel dashboard = new DashboardViewModel(selected, texts);
            log = new EventLogViewModel(selected, feed, fx, texts);
            alarms = new AlarmsViewModel(tracker, fx, texts, "bench");
            SprayViewModel spray = new SprayViewModel(selected, gateway, tracker, fx, clock);
            CompletableFuture.runAsync(() -> {
                selected.select(AGENT);
            }, fx).get(10, TimeUnit.SECONDS);
            // Registered after the ViewModels: when it sees the last event, their updates of that batch are
            // queued on the FX stand-in already, so the task it queues runs after them.
            feed.addListener(updates -> {
                for (FeedUpdate update : updates) {
                    if (update instanceof FeedUpdate.EventsAdded && update.agentId().equals(AGENT)
                            && stored.addAndGet(((FeedUpdate.EventsAdded) update).events().size()) == n) {
                        storedAt.complete(System.nanoTime());
                        fx.execute(() -> shownAt.complete(System.nanoTime()));
                    }
                }
            });
        }

        void checkNothingDropped(String round, List<Event> events, int subExit, long subLines) throws Exception {
            long inStore = feed.read(s -> s.count(AGENT)).join();
            boolean noGap = feed.read(s -> s.firstGap(AGENT).isEmpty()).join();
            long topSeq = CompletableFuture.supplyAsync(() -> log.entries().get(0).seq(), fx)
                    .get(10, TimeUnit.SECONDS);
            long lastSeq = events.get(events.size() - 1).seq();
            int n = events.size();
            if (subExit != 0 || subLines != n || inStore != n || !noGap || topSeq != lastSeq
                    || agents.agents().size() != 1) {
                throw new IllegalStateException("dropped events in round " + round + ": mosquitto_sub exit "
                        + subExit + ", " + subLines + " lines; station store " + inStore + " (gap: " + !noGap
                        + "), log top seq " + topSeq + ", expected " + n + " / " + lastSeq + "; alarms "
                        + alarms.alarms().size());
            }
        }
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String topic,
            byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Waits until {@code check} holds; fails with the subscriber's exit code if it ended before. */
    private static void waitFor(String what, Process process, Check check) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> check.ok() || !process.isAlive());
        if (!process.isAlive() && process.exitValue() != 0) {
            throw new IllegalStateException(what + ": the process ended with " + process.exitValue());
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
