package dev.spike.station.store;

import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.sqlite.SQLiteConfig;

/**
 * An agent's event store written from outside the agent, as if the agent had run for days with a broker and no
 * station listening: a reading every 10 s, every one already acknowledged by the broker, so the agent started on it
 * has them in its history only, not in its queue to publish. A simulated agent cannot build such a history itself
 * within a test: even at {@code --time-scale 1000} with a 1 s read interval its readings move past their deadbands
 * about 140 times a second of wall time, so the 60,000 events of a short run would take seven minutes.
 *
 * <p>The file format is the agent's ({@code dev.spike.agent.store.EventStore}, schema version 1): {@code events(seq,
 * at, type, payload)} with the codec's JSON as payload, and {@code meta(key, value)}. The agent adds its indexes when
 * it opens the file. If the agent's schema moves on, the agent refuses this file by its version and the test using it
 * fails at the agent's start, not silently.
 */
final class AgentHistory {

    static final Duration READ_EVERY = Duration.ofSeconds(10);

    private AgentHistory() {
    }

    /**
     * Writes {@code count} readings with seqs 1..count into a new store {@code file}, ending an hour ago (well within
     * the agent's 90 days of retention, so it compacts none of them), and marks them all as acknowledged by the
     * broker.
     */
    static void seed(Path file, String agentId, int count) throws SQLException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Codec codec = new Codec();
        Instant first = Instant.now().minus(Duration.ofHours(1)).minus(READ_EVERY.multipliedBy(count));
        try (Connection connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("PRAGMA journal_mode=WAL");
                s.executeUpdate("CREATE TABLE events(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
                        + " type TEXT NOT NULL, payload TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO events(seq, at, type, payload) VALUES (?, ?, ?, ?)")) {
                for (int seq = 1; seq <= count; seq++) {
                    Instant at = first.plus(READ_EVERY.multipliedBy(seq));
                    // a slow day-long wave, so the readings look like a terrarium's and pass the codec's ranges
                    double phase = 2 * Math.PI * seq / 8_640.0;
                    Event event = seq % 2 == 1
                            ? new HumidityChanged(agentId, seq, at, round(80 + 8 * Math.sin(phase)))
                            : new TemperatureChanged(agentId, seq, at, round(27 + 3 * Math.cos(phase)));
                    insert.setLong(1, seq);
                    insert.setLong(2, at.toEpochMilli());
                    insert.setString(3, event.type().wire());
                    insert.setString(4, new String(codec.encode(event), StandardCharsets.UTF_8));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (PreparedStatement meta = connection.prepareStatement(
                    "INSERT INTO meta(key, value) VALUES (?, ?)")) {
                for (String[] entry : new String[][] {
                        {"schema_version", "1"},
                        {"high_water_seq", Integer.toString(count)},
                        {"broker_acked_seq", Integer.toString(count)}}) {
                    meta.setString(1, entry[0]);
                    meta.setString(2, entry[1]);
                    meta.executeUpdate();
                }
            }
            connection.commit();
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
