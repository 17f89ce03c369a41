package dev.spike.station.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.app.StationCore;
import dev.spike.station.connection.BrokerSettings;
import dev.spike.station.connection.HiveMqGateway;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.StationFeed;
import dev.spike.station.store.StationStore;
import dev.spike.station.testing.Mosquitto;
import dev.spike.station.testing.Soak;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Fault test: Mosquitto is killed with SIGKILL under a running system and comes back a few seconds later, twice
 * (20 times with {@code -Dspike.long=true}). The system is a simulated agent process (the agent jar, {@code
 * --simulate}, its clock 200 times faster, so the 10-minute cooldown lasts 3 s and the drying terrarium makes the
 * low-humidity rule spray every 4 to 5 s) and the station's real data path, wired as {@code StationContext} does:
 * {@link HiveMqGateway}, {@link StationStore}, {@link StationFeed}, {@link Backfill}, {@link AlarmTracker}.
 *
 * <p>A SIGKILL loses everything the broker held (its last autosave is 30 min away): both sessions, what it queued
 * for the station and the retained topics. What the station missed comes back either from the agent's
 * store-and-forward or from the station's backfill with {@code cmd/history}; the test does not care which, only
 * that the end state is complete.
 *
 * <p>Each outage lasts until the agent has sprayed without the broker, seen in the agent's own SQLite store, so it
 * never depends on timing. The seqs the agent wrote between the kill and the restart are the outage window.
 *
 * <p>Runtime on the 2-core build machine: 10 to 30 s in CI (2 outages; the spread is the reconnect backoffs), about
 * 2 min in the long run (20 outages).
 */
class BrokerOutageTest {

    static final String AGENT = "outage-agent";
    static final double TIME_SCALE = 200;
    static final int OUTAGES = Soak.count(2, 20);
    /** Bounds each wait; on this shared 2-core machine a reconnect backoff plus a backfill fits with room. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** The agent wrote seqs {@code afterSeq + 1 .. lastSeq} while the broker was dead. */
    record Outage(int number, long afterSeq, long lastSeq) {

        boolean contains(long seq) {
            return seq > afterSeq && seq <= lastSeq;
        }
    }

    @Test
    void agentSpraysByTheRulesThroughBrokerOutagesAndTheStationEndsWithEveryEventOnce() throws Exception {
        Clock clock = Clock.systemUTC();
        Path agentDir = dir.resolve("agent");
        AgentStoreFile agentStore = new AgentStoreFile(agentDir.resolve(AGENT + ".db"));
        List<Outage> outages = new ArrayList<>();
        try (Mosquitto broker = Mosquitto.start(dir.resolve("broker"));
                StationCore station = StationCore.open(dir.resolve("station").resolve(StationStore.FILE_NAME),
                        "outage-station", clock)) {
            StationFeed feed = station.feed();
            HiveMqGateway gateway = (HiveMqGateway) station.gateway();
            gateway.connect(BrokerSettings.parse(broker.uri(), null, null, null)).join();
            Process agent = startAgent(broker, agentDir);
            Diagnostics diagnostics = new Diagnostics(broker, agentDir.resolve("agent.log"));
            try {
                diagnostics.await("the agent's first spray, at the station",
                        () -> feed.read(s -> s.latestEvent(AGENT, EventType.VALVE_OPENED)).join().isPresent());
                for (int number = 1; number <= OUTAGES; number++) {
                    // Every outage starts from a station that has everything, so each one is a fresh test.
                    awaitStationHasAll(diagnostics, feed, agentStore.lastSeq());
                    broker.kill();
                    long afterSeq = agentStore.lastSeq();
                    diagnostics.await("the station noticing outage " + number,
                            () -> !gateway.state().isConnected());
                    diagnostics.await("a spray of the agent while the broker is down (outage " + number + ")",
                            () -> agentStore.eventsAfter(afterSeq).stream().anyMatch(ValveOpened.class::isInstance));
                    outages.add(new Outage(number, afterSeq, agentStore.lastSeq()));
                    broker.start();
                }
                awaitStationHasAll(diagnostics, feed, agentStore.lastSeq());
                stop(agent);
            } finally {
                agent.destroyForcibly();
            }

            // The agent's store is the truth: every event it ever wrote, one row per seq.
            List<Event> written = agentStore.eventsAfter(0);
            long lastSeq = written.get(written.size() - 1).seq();
            diagnostics.await("every seq up to the agent's last, " + lastSeq + ", at the station",
                    () -> feed.read(s -> s.settledSeq(AGENT) >= lastSeq && s.gaps(AGENT).isEmpty()).join());
            List<Event> stored = feed.read(BrokerOutageTest::allEvents).join();

            assertThat(stored).as("the station's events, by seq, against the agent's own store")
                    .extracting(Event::seq).containsExactlyElementsOf(seqs(written));
            assertThat(stored).as("each seq holds the very event the agent wrote, not another one")
                    .containsExactlyElementsOf(written);
            assertSpraysFollowTheRules(stored, outages);
        }
    }

    /**
     * (1) Sprays inside every outage window; (2) each spray's reason is one the rules give at that moment; (3) no
     * automatic spray closer to the previous spray than the cooldown. Nobody sends a manual spray in this test.
     */
    private static void assertSpraysFollowTheRules(List<Event> events, List<Outage> outages) {
        Rules rules = events.stream().filter(ConfigApplied.class::isInstance).map(e -> ((ConfigApplied) e).rules())
                .findFirst().orElseThrow(() -> new AssertionError("no config_applied event: the agent's rules?"));
        List<ValveOpened> sprays = events.stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());

        assertThat(outages).hasSize(OUTAGES);
        for (Outage outage : outages) {
            assertThat(sprays).as("sprays while the broker was down, outage %d: seqs %d..%d", outage.number(),
                    outage.afterSeq() + 1, outage.lastSeq()).anyMatch(spray -> outage.contains(spray.seq()));
        }
        for (int i = 0; i < sprays.size(); i++) {
            ValveOpened spray = sprays.get(i);
            assertThat(spray.reason()).as("spray #%d", spray.seq()).isNotEqualTo(SprayReason.MANUAL);
            assertThat(spray.commandId()).as("spray #%d", spray.seq()).isNull();
            assertThat(reasonHolds(spray, events, rules)).as("the rules give %s at spray #%d (%s)", spray.reason(),
                    spray.seq(), spray.at()).isTrue();
            if (i > 0) {
                ValveOpened previous = sprays.get(i - 1);
                assertThat(Duration.between(previous.at(), spray.at()))
                        .as("cooldown between spray #%d (%s) and #%d (%s)", previous.seq(), previous.at(),
                                spray.seq(), spray.at())
                        .isGreaterThanOrEqualTo(Duration.ofMinutes(rules.minIntervalMin()));
            }
        }
    }

    /** Whether the agent's own record, up to the spray, shows the situation its reason names. */
    private static boolean reasonHolds(ValveOpened spray, List<Event> events, Rules rules) {
        List<Event> before = events.stream().filter(e -> e.seq() < spray.seq()).collect(Collectors.toList());
        switch (spray.reason()) {
            case LOW_HUMIDITY: {
                // the last low-humidity verdict before the spray was below the threshold, and no reading at or
                // above it came in between
                for (int i = before.size() - 1; i >= 0; i--) {
                    Event e = before.get(i);
                    if (e instanceof HumidityChanged
                            && ((HumidityChanged) e).humidityPct() >= rules.lowHumidityPct()) {
                        return false;
                    }
                    if (e instanceof LowHumidity) {
                        LowHumidity low = (LowHumidity) e;
                        return low.humidityPct() < low.thresholdPct() && low.thresholdPct() == rules.lowHumidityPct();
                    }
                }
                return false;
            }
            case SENSOR_DOWN:
                for (int i = before.size() - 1; i >= 0; i--) {
                    if (before.get(i) instanceof ModeChanged) {
                        return ((ModeChanged) before.get(i)).mode() == Mode.SENSOR_DOWN;
                    }
                }
                return false;
            case EVENING: {
                LocalTime local = spray.at().atZone(rules.timeZone()).toLocalTime();
                return !local.isBefore(rules.eveningTime())
                        && local.isBefore(rules.eveningTime().plusMinutes(60));
            }
            default:
                return false;
        }
    }

    private void awaitStationHasAll(Diagnostics diagnostics, StationFeed feed, long agentSeq) {
        diagnostics.await("every seq up to " + agentSeq + " at the station",
                () -> feed.read(s -> s.settledSeq(AGENT)).join() >= agentSeq);
    }

    private static Process startAgent(Mosquitto broker, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-jar", DemoSystemTest.agentJar().toString(),
                "--simulate", "--time-scale", Double.toString(TIME_SCALE),
                "--agent-id", AGENT, "--data-dir", dataDir.toString(), "--broker", broker.uri());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("agent.log").toFile()).start();
    }

    /** SIGTERM, as systemd stops the agent: it closes its valve, says offline and saves how far the broker got. */
    private static void stop(Process agent) throws InterruptedException {
        agent.destroy();
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("the agent ends within 20 s of SIGTERM").isTrue();
    }

    /** Every event of the agent in the station's store, oldest first. */
    private static List<Event> allEvents(StationStore store) {
        List<Event> newestFirst = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            List<Event> page = store.events(AGENT, EventQuery.newest(EventQuery.MAX_LIMIT).before(before));
            newestFirst.addAll(page);
            if (page.size() < EventQuery.MAX_LIMIT) {
                break;
            }
            before = page.get(page.size() - 1).seq();
        }
        List<Event> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private static List<Long> seqs(List<Event> events) {
        return events.stream().map(Event::seq).collect(Collectors.toList());
    }

    /**
     * The agent's SQLite store, read the way a person would with sqlite3 while the agent runs (WAL: readers never
     * block its writes). Schema as in the agent's EventStore: events(seq, at, type, payload).
     */
    static final class AgentStoreFile {

        private final Path file;
        private final Codec codec = new Codec();

        AgentStoreFile(Path file) {
            this.file = file;
        }

        long lastSeq() throws SQLException {
            if (!Files.exists(file)) {
                return 0;
            }
            try (Connection connection = open();
                    ResultSet rs = connection.createStatement().executeQuery("SELECT max(seq) FROM events")) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }

        /** The events after a seq, oldest first; an undecodable row fails the test. */
        List<Event> eventsAfter(long seq) throws SQLException {
            List<Event> events = new ArrayList<>();
            if (!Files.exists(file)) {
                return events;
            }
            try (Connection connection = open();
                    PreparedStatement query = connection.prepareStatement(
                            "SELECT seq, payload FROM events WHERE seq > ? ORDER BY seq")) {
                query.setLong(1, seq);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Decoded<Event> decoded = codec.decodeEvent(AGENT,
                                rs.getString(2).getBytes(StandardCharsets.UTF_8));
                        if (!decoded.isOk()) {
                            throw new AssertionError("agent event #" + rs.getLong(1) + " does not decode: "
                                    + decoded.error());
                        }
                        events.add(decoded.value());
                    }
                }
            }
            return events;
        }

        private Connection open() throws SQLException {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5_000);
            return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        }
    }

    /** Awaits with the broker's and the agent's logs in the failure message: a timeout alone says little. */
    private static final class Diagnostics {

        private final Mosquitto broker;
        private final Path agentLog;

        Diagnostics(Mosquitto broker, Path agentLog) {
            this.broker = broker;
            this.agentLog = agentLog;
        }

        void await(String what, Callable<Boolean> condition) {
            try {
                Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                        .until(condition);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s in vain for " + what
                        + "\n--- broker log:\n" + tail(broker.log()) + "\n--- agent log:\n" + tail(agentLogText()), e);
            }
        }

        /** Without the line per event the agent logs: the store has those; what is left explains a failure. */
        private String agentLogText() {
            try (Stream<String> lines = Files.lines(agentLog, StandardCharsets.UTF_8)) {
                return lines.filter(line -> !line.startsWith("INFO  event - ")).collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "(cannot read " + agentLog + ": " + e + ")";
            }
        }

        private static String tail(String text) {
            return text.length() <= 8_000 ? text : "..." + text.substring(text.length() - 8_000);
        }
    }
}
