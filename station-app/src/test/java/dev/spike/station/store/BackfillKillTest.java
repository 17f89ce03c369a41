package dev.spike.station.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.command.HistoryPage;
import dev.spike.station.broker.BuiltInBroker;
import dev.spike.station.demo.DemoSystem;
import dev.spike.station.testing.Soak;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Fault injection: the station is killed (SIGKILL) in the middle of a backfill, again and again, and each time it
 * starts again on the same store; in the end the store holds every event the agent has, and no restart logged an
 * error.
 *
 * <p>A real broker (the station's built-in one) in the test JVM, the simulated agent as a process of the agent jar
 * with a long history no station has seen ({@link AgentHistory}), and the station as a process of its own
 * ({@link StationProcess}), so that a kill is a real one: no shutdown hook, no finally, a transaction cut off
 * wherever it was. The test reads both SQLite files read-only, as another process would.
 *
 * <p>Mid-way by margin, not by luck: the station is killed within milliseconds of its store showing more of the
 * history than at its start, which is one committed feed batch (up to four pages) later, while the next page takes
 * far longer to arrive, decode and store; and the history holds four pages per kill and four to spare. A kill that
 * came too late still fails the test rather than passing it quietly.
 *
 * <p>CI: 2 kills, 60,000 events. {@code -Dspike.long=true}: 20 kills, 420,000 events.
 */
class BackfillKillTest {

    static final String AGENT = "kill-agent";
    static final String STATION = "kill-station";
    static final int KILLS = Soak.count(2, 20);
    /** The feed stores up to 20,000 events (four pages) in one transaction, so one kill may cost that much. */
    static final int HISTORY = HistoryPage.MAX_EVENTS * 4 * (KILLS + 1);

    /** The last run backfills nearly all of the history; the long run's is seven times longer. */
    private static final Duration COMPLETE_WITHIN = Soak.duration(Duration.ofMinutes(2), Duration.ofMinutes(10));
    private static final Pattern ASKING = Pattern.compile("asking " + AGENT + " for seqs (\\d+)\\.\\.(\\d+)");

    @TempDir
    Path dir;

    @Test
    void stationKilledDuringBackfillResumesFromItsStoreAndEndsComplete() throws Exception {
        Path agentStore = dir.resolve("agent").resolve(AGENT + ".db");
        Path stationStore = dir.resolve("station").resolve(StationStore.FILE_NAME);
        AgentHistory.seed(agentStore, AGENT, HISTORY);

        List<Process> started = new ArrayList<>();
        try (BuiltInBroker broker = BuiltInBroker.start(BuiltInBroker.Settings.loopback(freePort()))) {
            Path agentLog = dir.resolve("agent.log");
            started.add(startAgent(broker.uri(), agentStore.getParent(), agentLog));
            await("the agent connected to the broker").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(agentLog).contains("MQTT link: connected"));

            List<Path> stationLogs = new ArrayList<>();
            Progress atStart = Progress.NONE;
            for (int kill = 1; kill <= KILLS; kill++) {
                Path log = dir.resolve("station-" + kill + ".log");
                stationLogs.add(log);
                Process station = StationProcess.launch(broker.uri(), STATION, stationStore, log);
                started.add(station);
                long before = atStart.historyStored();
                await("run " + kill + " stores more of the history than the " + before + " events it started with")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> progress(stationStore).historyStored() > before);
                station.destroyForcibly();
                assertThat(station.waitFor(10, TimeUnit.SECONDS)).as("killed station %d is gone", kill).isTrue();

                Progress atKill = progress(stationStore);
                assertThat(atKill.historyStored())
                        .as("history stored when station %d was killed (of %d); see %s", kill, HISTORY, log)
                        .isGreaterThan(before)
                        .isLessThan(HISTORY);
                assertThat(atKill.settled()).as("watermark at kill %d", kill).isLessThan(HISTORY);
                if (kill > 1) {
                    assertResumedFromWatermark(log, atStart);
                }
                atStart = atKill;
            }

            Path lastLog = dir.resolve("station-final.log");
            stationLogs.add(lastLog);
            Process station = StationProcess.launch(broker.uri(), STATION, stationStore, lastLog);
            started.add(station);
            await("the station store holds every event of the agent").atMost(COMPLETE_WITHIN)
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertComplete(agentStore, stationStore));
            assertResumedFromWatermark(lastLog, atStart);

            station.getOutputStream().close();
            assertThat(station.waitFor(20, TimeUnit.SECONDS)).as("the last station stops when asked").isTrue();
            assertThat(station.exitValue()).as("exit code of the last station; see %s", lastLog).isZero();
            for (Path log : stationLogs) {
                assertThat(Files.readAllLines(log)).as("errors in %s", log)
                        .noneMatch(line -> line.startsWith("ERROR") || line.contains("Exception in thread"));
            }
        } finally {
            // SIGTERM first: the agent closes its valve and says offline; whatever does not stop is killed
            for (Process process : started) {
                process.destroy();
            }
            for (Process process : started) {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * Every event the agent has (seq and type) is in the station's store, none twice, and the station's watermark
     * is past the agent's last seq: a seq the agent compacted would be settled, not missing.
     */
    private static void assertComplete(Path agentStore, Path stationStore) throws SQLException {
        List<String> agent = query(agentStore, "SELECT seq, type FROM events ORDER BY seq");
        long last = Long.parseLong(agent.get(agent.size() - 1).split(" ")[0]);
        List<String> station = query(stationStore,
                "SELECT seq, type FROM events WHERE agent = ? AND seq <= ? ORDER BY seq", AGENT, last);
        Set<String> stored = new HashSet<>(station);
        List<String> missing = agent.stream().filter(event -> !stored.contains(event)).limit(10)
                .collect(Collectors.toList());
        assertThat(missing).as("some of the agent's events missing from the station (of %d)", agent.size())
                .isEmpty();
        assertThat(station).as("the station's events up to #%d", last).hasSameSizeAs(agent);
        assertThat(progress(stationStore).settled()).as("the station's watermark").isGreaterThanOrEqualTo(last);
    }

    /**
     * What a restarted station asked for begins above the watermark its store had when the last one was killed, and
     * each request begins above the one before: nothing stored is fetched again, nothing is asked for twice.
     */
    private static void assertResumedFromWatermark(Path log, Progress atStart) throws IOException {
        long previous = atStart.settled();
        for (String line : Files.readAllLines(log)) {
            Matcher asking = ASKING.matcher(line);
            if (asking.find()) {
                long from = Long.parseLong(asking.group(1));
                assertThat(from).as("first seq asked for in %s: %s", log, line).isGreaterThan(previous);
                previous = from;
            }
        }
    }

    /**
     * How far the station got: the seeded history's events stored, and its watermark for the agent.
     *
     * @param historyStored events with seqs 1..{@link #HISTORY} in the store
     * @param settled       the store's {@code settled_seq} for the agent
     */
    private record Progress(long historyStored, long settled) {
        static final Progress NONE = new Progress(0, 0);
    }

    private static Progress progress(Path stationStore) throws SQLException {
        // the station process creates the file, then its tables
        if (!Files.exists(stationStore) || query(stationStore,
                "SELECT name FROM sqlite_master WHERE name IN ('events', 'agents')").size() < 2) {
            return Progress.NONE;
        }
        List<String> stored = query(stationStore, "SELECT count(*) FROM events WHERE agent = ? AND seq <= ?",
                AGENT, HISTORY);
        List<String> settled = query(stationStore, "SELECT settled_seq FROM agents WHERE agent = ?", AGENT);
        return new Progress(Long.parseLong(stored.get(0)), settled.isEmpty() ? 0 : Long.parseLong(settled.get(0)));
    }

    /** Rows of a read-only query, each row's columns joined by a space. */
    private static List<String> query(Path file, String sql, Object... params) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(3_000);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        row.append(c > 1 ? " " : "").append(rs.getString(c));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    private static Process startAgent(String brokerUri, Path dataDir, Path log) throws IOException {
        Path jar = DemoSystem.findAgentJar().orElseThrow(
                () -> new IOException("no agent jar: set spike.agent.jar or build pi-agent first"));
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IOException("cannot tell the running JVM's java binary"));
        return new ProcessBuilder(java, "-Xmx64m", "-jar", jar.toString(), "--simulate", "--agent-id", AGENT,
                "--data-dir", dataDir.toString(), "--broker", brokerUri)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
