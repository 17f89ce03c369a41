package dev.spike.agent.bench;

import dev.spike.agent.store.EventStore;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figures for the event store on this machine; prints, asserts nothing. Not a unit test (it writes ~0.5 GB to a
 * temporary directory, deleted at the end, and takes about a minute):
 * <pre>
 * mvn -B -o -q -pl pi-agent test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.spike.agent.bench.StoreBenchmark
 * </pre>
 * Numbers are from a warm OS page cache: the 1,000,000-event store was just written. On a Pi with an SD card a
 * cold start adds a few random page reads per query.
 */
public final class StoreBenchmark {

    private static final String AGENT = "bench-1";
    private static final int APPEND_EVENTS = 200_000;
    private static final int BATCH = 1_000;
    private static final int SINGLE_EVENTS = 20_000;
    private static final int BIG_STORE = 1_000_000;
    private static final Duration SPACING = Duration.ofSeconds(10);

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("spike-store-bench");
        try {
            System.out.printf(Locale.ROOT, "Spike event store benchmark (Java %s, %d cores, %s)%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), dir);
            warmUp(dir);
            double batched = appends(dir);
            stateRecovery(dir);
            sqliteCli(dir, batched);
        } finally {
            deleteTree(dir);
        }
    }

    private static void warmUp(Path dir) {
        // Lets the JIT compile the codec and the JDBC path before anything is timed.
        try (EventStore store = EventStore.open(dir.resolve("warmup.db"), AGENT)) {
            List<Event> events = readings(Instant.parse("2026-01-01T00:00:00Z"), 100_000);
            for (int i = 0; i < events.size(); i += BATCH) {
                store.appendAll(events.subList(i, i + BATCH));
            }
            for (int i = 0; i < 10_000; i++) {
                store.append(events.get(i));
            }
        }
    }

    /** (1) Appends: batched, single, and single through the resilient wrapper the agent uses. */
    private static double appends(Path dir) {
        System.out.println();
        System.out.println("(1) appends");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<Event> events = readings(start, APPEND_EVENTS);

        double best = 0;
        for (int round = 1; round <= 3; round++) {
            try (EventStore store = EventStore.open(dir.resolve("batched-" + round + ".db"), AGENT)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < events.size(); i += BATCH) {
                    store.appendAll(events.subList(i, i + BATCH));
                }
                double rate = rate(events.size(), System.nanoTime() - t0);
                best = Math.max(best, rate);
                System.out.printf(Locale.ROOT, "  batched  %,d events in batches of %,d (round %d):          %,10.0f events/s%n",
                        events.size(), BATCH, round, rate);
            }
        }
        try (EventStore store = EventStore.open(dir.resolve("one-transaction.db"), AGENT)) {
            long t0 = System.nanoTime();
            store.appendAll(events);
            System.out.printf(Locale.ROOT, "  batched  %,d events in one transaction:                 %,10.0f events/s%n",
                    events.size(), rate(events.size(), System.nanoTime() - t0));
        }
        for (int round = 1; round <= 3; round++) {
            try (EventStore store = EventStore.open(dir.resolve("single-" + round + ".db"), AGENT)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < SINGLE_EVENTS; i++) {
                    store.append(events.get(i));
                }
                System.out.printf(Locale.ROOT, "  single   %,d appends, one transaction each (round %d): %,10.0f"
                        + " events/s%n", SINGLE_EVENTS, round, rate(SINGLE_EVENTS, System.nanoTime() - t0));
            }
        }
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve("resilient.db"), AGENT)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < SINGLE_EVENTS; i++) {
                store.append(events.get(i));
            }
            System.out.printf(Locale.ROOT, "  single   %,d appends via ResilientEventStore:             %,10.0f events/s%n",
                    SINGLE_EVENTS, rate(SINGLE_EVENTS, System.nanoTime() - t0));
        }
        System.out.printf(Locale.ROOT, "  best batched rate: %,.0f events/s (target >= 50,000)%n", best);
        return best;
    }

    /** (2) A million events over ~116 days at 10 s spacing; open it and run what state recovery asks. */
    private static void stateRecovery(Path dir) {
        System.out.println();
        System.out.printf(Locale.ROOT, "(2) state recovery on a %,d-event store%n", BIG_STORE);
        Path file = dir.resolve("big.db");
        Instant now = Instant.parse("2026-05-01T18:00:00Z");
        Instant first = now.minus(SPACING.multipliedBy(BIG_STORE - 1));
        long t0 = System.nanoTime();
        try (EventStore store = EventStore.open(file, AGENT)) {
            List<Event> batch = new ArrayList<>(10_000);
            for (int i = 0; i < BIG_STORE; i++) {
                batch.add(realistic(i, first.plus(SPACING.multipliedBy(i))));
                if (batch.size() == 10_000) {
                    store.appendAll(batch);
                    batch.clear();
                }
            }
            store.appendAll(batch);
        }
        System.out.printf(Locale.ROOT, "  built in %,d ms; %s on disk%n", ms(System.nanoTime() - t0),
                mb(EventStore.open(file, AGENT)));

        long total = System.nanoTime();
        long t = System.nanoTime();
        EventStore store = EventStore.open(file, AGENT);
        long openNs = System.nanoTime() - t;
        try {
            t = System.nanoTime();
            int found = 0;
            for (EventType type : EventType.values()) {
                found += store.latest(type).isPresent() ? 1 : 0;
            }
            long latestNs = System.nanoTime() - t;

            t = System.nanoTime();
            List<Event> openings = store.since(now.minus(Duration.ofHours(1)), EnumSet.of(EventType.VALVE_OPENED,
                    EventType.VALVE_CLOSED));
            long lastHourNs = System.nanoTime() - t;

            t = System.nanoTime();
            List<Event> raised = store.latest(EventType.HUMIDITY_ALARM, 20);
            List<Event> cleared = store.latest(EventType.HUMIDITY_ALARM_CLEARED, 20);
            List<Event> recentAlarms = store.since(now.minus(Duration.ofDays(1)), EnumSet.of(
                    EventType.HUMIDITY_ALARM, EventType.HUMIDITY_ALARM_CLEARED));
            long alarmsNs = System.nanoTime() - t;

            t = System.nanoTime();
            List<Event> dayOfOpenings = store.since(now.minus(Duration.ofDays(1)), EnumSet.of(
                    EventType.VALVE_OPENED));
            long dayNs = System.nanoTime() - t;
            long totalNs = System.nanoTime() - total;

            System.out.printf(Locale.ROOT, "  open (schema check, max seq)                  %6.1f ms%n", msD(openNs));
            System.out.printf(Locale.ROOT, "  latest() for all %d types (%d found)         %6.1f ms%n",
                    EventType.values().length, found, msD(latestNs));
            System.out.printf(Locale.ROOT, "  since(1 h, valve opened/closed): %d events   %6.1f ms%n",
                    openings.size(), msD(lastHourNs));
            System.out.printf(Locale.ROOT, "  alarms: latest 20 raised + 20 cleared, since(24 h): %d/%d/%d %6.1f ms%n",
                    raised.size(), cleared.size(), recentAlarms.size(), msD(alarmsNs));
            System.out.printf(Locale.ROOT, "  since(24 h, valve opened): %d events          %6.1f ms%n",
                    dayOfOpenings.size(), msD(dayNs));
            System.out.printf(Locale.ROOT, "  TOTAL open + recovery queries                 %6.1f ms (target < 2000)%n",
                    msD(totalNs));

            t = System.nanoTime();
            List<Event> everAlarms = store.since(Instant.EPOCH, EnumSet.of(EventType.HUMIDITY_ALARM));
            System.out.printf(Locale.ROOT, "  worst case since(epoch, alarm): %d events     %6.1f ms%n",
                    everAlarms.size(), msD(System.nanoTime() - t));
            t = System.nanoTime();
            long count = store.count();
            System.out.printf(Locale.ROOT, "  count() = %,d                          %6.1f ms%n", count,
                    msD(System.nanoTime() - t));
            t = System.nanoTime();
            List<Event> page = store.read(BIG_STORE / 2, 5_000);
            System.out.printf(Locale.ROOT, "  read(mid, 5000) history page: %d events       %6.1f ms%n", page.size(),
                    msD(System.nanoTime() - t));
            t = System.nanoTime();
            page = store.read(BIG_STORE / 4, 5_000);
            System.out.printf(Locale.ROOT, "  read(other, 5000) again, JIT warm: %d events %6.1f ms%n", page.size(),
                    msD(System.nanoTime() - t));
            // How much of a page is JSON: the same events through the codec alone.
            Codec codec = new Codec();
            List<byte[]> payloads = new ArrayList<>(page.size());
            for (Event event : page) {
                payloads.add(codec.encode(event));
            }
            t = System.nanoTime();
            for (byte[] payload : payloads) {
                codec.decodeEvent(AGENT, payload);
            }
            System.out.printf(Locale.ROOT, "    of which Codec.decodeEvent alone:          %6.1f ms%n",
                    msD(System.nanoTime() - t));
            t = System.nanoTime();
            List<Event> day = store.readRange(now.minus(Duration.ofDays(1)), now.plusSeconds(1), 100_000);
            System.out.printf(Locale.ROOT, "  readRange(24 h) chart: %d events             %6.1f ms%n", day.size(),
                    msD(System.nanoTime() - t));
        } finally {
            store.close();
        }

        t = System.nanoTime();
        try (ResilientEventStore resilient = ResilientEventStore.open(file, AGENT)) {
            resilient.latest(EventType.CONFIG_APPLIED);
            System.out.printf(Locale.ROOT, "  ResilientEventStore.open + latest(config)     %6.1f ms%n",
                    msD(System.nanoTime() - t));
        }

        try (EventStore compacting = EventStore.open(file, AGENT)) {
            long before = compacting.sizeBytes();
            t = System.nanoTime();
            int deleted = compacting.compactReadings(now.minus(Duration.ofDays(30)));
            long compactNs = System.nanoTime() - t;
            System.out.printf(Locale.ROOT, "  first compaction (readings > 30 days): %,d rows deleted in %,d ms;"
                    + " file %.1f MB -> %.1f MB (space kept for reuse, WAL truncated)%n", deleted, ms(compactNs),
                    before / 1e6, compacting.sizeBytes() / 1e6);
            t = System.nanoTime();
            int again = compacting.compactReadings(now.minus(Duration.ofDays(29)));
            System.out.printf(Locale.ROOT, "  daily compaction (one more day): %,d rows in %,d ms%n", again,
                    ms(System.nanoTime() - t));
        }
    }

    /** (3) The same 200,000 rows through the sqlite3 shell in one transaction, as a yardstick. */
    private static void sqliteCli(Path dir, double batchedRate) throws IOException, InterruptedException {
        System.out.println();
        System.out.println("(3) sqlite3 command-line tool, same rows, one transaction");
        String sqlite3 = findOnPath("sqlite3");
        if (sqlite3 == null) {
            System.out.println("  sqlite3 not on PATH (Debian: apt-get install sqlite3); skipped");
            return;
        }
        Codec codec = new Codec();
        Path sql = dir.resolve("insert.sql");
        List<Event> events = readings(Instant.parse("2026-01-01T00:00:00Z"), APPEND_EVENTS);
        try (BufferedWriter out = Files.newBufferedWriter(sql, StandardCharsets.UTF_8)) {
            out.write("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n");
            out.write("CREATE TABLE events(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL,"
                    + " payload TEXT NOT NULL);\n");
            out.write("CREATE INDEX events_at ON events(at);\nCREATE INDEX events_type_seq ON events(type, seq);\n");
            out.write("BEGIN;\n");
            long seq = 0;
            for (Event event : events) {
                Event stamped = event.withHeader(AGENT, ++seq, event.at());
                String payload = new String(codec.encode(stamped), StandardCharsets.UTF_8).replace("'", "''");
                out.write("INSERT INTO events VALUES(" + seq + "," + stamped.at().toEpochMilli() + ",'"
                        + stamped.type().wire() + "','" + payload + "');\n");
            }
            out.write("COMMIT;\n");
        }
        Path db = dir.resolve("cli.db");
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(sqlite3, db.toString())
                .redirectInput(sql.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            System.out.println("  sqlite3 failed; skipped");
            return;
        }
        double cliRate = rate(events.size(), System.nanoTime() - t0);
        String version = new String(new ProcessBuilder(sqlite3, "-version").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim().split(" ")[0];
        System.out.printf(Locale.ROOT, "  sqlite3 %s: %,d rows in %,.0f ms: %,10.0f rows/s (SQL parsing included)%n",
                version, events.size(), events.size() / cliRate * 1000, cliRate);
        System.out.printf(Locale.ROOT, "  EventStore batched (best) / sqlite3 = %.2f%n", batchedRate / cliRate);
    }

    /** Readings every 10 s, humidity and temperature alternating: the bulk of a real store. */
    private static List<Event> readings(Instant start, int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant at = start.plus(SPACING.multipliedBy(i));
            events.add(i % 2 == 0 ? new HumidityChanged(AGENT, 1, at, 60 + (i % 300) / 10.0)
                    : new TemperatureChanged(AGENT, 1, at, 24 + (i % 50) / 10.0));
        }
        return events;
    }

    /**
     * The i-th event of a plausible history: mostly readings; a spray about every hour (opened + closed), a
     * skipped spray every ~14 h, sensor trouble every ~2 days, an alarm and its clearing every ~12 days, a mode
     * change and a config change now and then.
     */
    private static Event realistic(int i, Instant at) {
        if (i == 0) {
            return new AgentStarted(AGENT, 1, at, "0.1.0");
        }
        if (i % 100_000 == 1) {
            return new ConfigApplied(AGENT, 1, at, Rules.defaults(ZoneOffset.UTC));
        }
        if (i % 250_000 == 11) {
            return new ModeChanged(AGENT, 1, at, (i / 250_000) % 2 == 0 ? Mode.SENSOR_DOWN : Mode.NORMAL);
        }
        if (i % 100_000 == 9) {
            return new HumidityAlarm(AGENT, 1, at, AlarmKind.LOW, 55.0, "humidity below 60 % for 15 min");
        }
        if (i % 100_000 == 59) {
            return new HumidityAlarmCleared(AGENT, 1, at, AlarmKind.LOW);
        }
        if (i % 20_000 == 7) {
            return new SensorError(AGENT, 1, at, "no ACK from SHT30 at 0x44", 1);
        }
        if (i % 20_000 == 8) {
            return new SensorRecovered(AGENT, 1, at, 10);
        }
        if (i % 5_000 == 2_500) {
            return new SpraySkipped(AGENT, 1, at, SprayTrigger.LOW_HUMIDITY, "cooldown", at.plusSeconds(600));
        }
        if (i % 360 == 100) {
            return new ValveOpened(AGENT, 1, at, 6, SprayReason.LOW_HUMIDITY, null);
        }
        if (i % 360 == 101) {
            return new ValveClosed(AGENT, 1, at, 6_004);
        }
        return i % 2 == 0 ? new HumidityChanged(AGENT, 1, at, 60 + (i % 300) / 10.0)
                : new TemperatureChanged(AGENT, 1, at, 24 + (i % 50) / 10.0);
    }

    private static String mb(EventStore store) {
        try (store) {
            return String.format(Locale.ROOT, "%,d events, %.1f MB", store.count(), store.sizeBytes() / 1e6);
        }
    }

    private static String findOnPath(String command) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static double rate(int events, long nanos) {
        return events / (nanos / 1e9);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double msD(long nanos) {
        return nanos / 1e6;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
