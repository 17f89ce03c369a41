package dev.spike.station.store;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.topic.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The station's memory: every event of every agent it heard of (deduplicated by agent and seq), the latest
 * retained status, state, health and config of each agent, the alarms, and what the backfill already settled. One
 * SQLite file in WAL mode, {@value #FILE_NAME} in the user's data directory ({@link PlatformDirs#dataDir()}).
 *
 * <pre>
 * events(agent, seq, at, type, value, payload)   PRIMARY KEY (agent, seq), WITHOUT ROWID
 *   at       epoch milliseconds
 *   value    the reading (%RH or °C) for humidity_changed and temperature_changed, else NULL
 *   payload  the codec's JSON of every other event (exact time included); NULL for readings, which are rebuilt
 *            from (seq, at, value): 30 days of readings take a third of the space that way. A reading with
 *            per-sensor values (two sensors, or a calibrated one) keeps its JSON, for the per-sensor chart lines
 *   events_series(agent, type, at, value)   the chart: one series of one agent in a time range, from the index only
 *   events_type_seq(agent, type, seq)       the log's type filter, the latest event of a type, alarm pairing
 * agents(agent, status, state, health, config, highest_seq, settled_seq)   snapshots as the codec's JSON
 * alarms(id, agent, alarm_key, source, severity, message, raised_at, raised_seq, cleared_at, acked_at, acked_by)
 * meta(key, value)   schema_version, last_compaction
 * </pre>
 *
 * <p><b>Gaps.</b> {@code highest_seq} is the highest seq known to exist (the agent's {@code state.lastSeq} or the
 * highest stored). {@code settled_seq} is a watermark: every seq up to it is stored or known to be gone. It moves up
 * over stored seqs by itself, and {@link #settle} moves it over seqs a history reply proved missing (readings the
 * agent compacted), so such a seq is asked for once, never again. The missing seqs are those above the watermark,
 * up to {@code highest_seq}, that are not stored: {@link #firstGap}, {@link #gaps}.
 *
 * <p><b>Retention.</b> Readings are kept at full resolution for {@link #FULL_RESOLUTION} (30 days), then thinned to
 * the first reading of each series in every {@link #THINNED_STEP} (15 minutes: a year is then 35,000 points per
 * series), and removed after {@link #READING_RETENTION} (365 days). Every other event (a few hundred a day) and every
 * alarm is kept. Compaction only removes seqs at or below the watermark, so it never opens a gap that backfill would
 * fetch again. {@link #compactIfDue} runs it at most once a day.
 *
 * <p>Thread-safe: one connection, guarded by this object's monitor. The station calls it from its feed thread
 * ({@link StationFeed}); views never call it on the FX thread, they go through {@link StationFeed#read}.
 */
public final class StationStore implements AutoCloseable {

    public static final String FILE_NAME = "station.db";
    public static final Duration FULL_RESOLUTION = Duration.ofDays(30);
    public static final Duration THINNED_STEP = Duration.ofMinutes(15);
    public static final Duration READING_RETENTION = Duration.ofDays(365);
    public static final Duration COMPACT_EVERY = Duration.ofDays(1);

    static final int SCHEMA_VERSION = 1;
    /** Most ranges {@link #gaps} lists; a store with more is hopelessly scattered, the first ones are what matters. */
    static final int MAX_LISTED_GAPS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(StationStore.class);
    private static final int BUSY_TIMEOUT_MS = 3_000;
    private static final String READING_TYPES = "'" + EventType.HUMIDITY_CHANGED.wire() + "', '"
            + EventType.TEMPERATURE_CHANGED.wire() + "'";

    static final String INSERT_EVENT =
            "INSERT OR IGNORE INTO events(agent, seq, at, type, value, payload) VALUES (?, ?, ?, ?, ?, ?)";
    static final String RAISE_HIGHEST = "INSERT INTO agents(agent, highest_seq) VALUES (?, ?) ON CONFLICT(agent)"
            + " DO UPDATE SET highest_seq = max(highest_seq, excluded.highest_seq)";
    static final String ENSURE_AGENT = "INSERT OR IGNORE INTO agents(agent) VALUES (?)";
    static final String AGENT = "SELECT agent, status, state, health, config, highest_seq, settled_seq FROM agents";
    static final String NEWEST_EVENT_AT = "SELECT at FROM events WHERE agent = ? ORDER BY seq DESC LIMIT 1";
    static final String SENSOR_READINGS = "SELECT seq, at, type, value, payload FROM events INDEXED BY events_series"
            + " WHERE agent = ? AND type = ? AND at >= ? AND at < ? AND payload IS NOT NULL ORDER BY at";
    static final String SERIES = "SELECT at, value FROM events INDEXED BY events_series"
            + " WHERE agent = ? AND type = ? AND at >= ? AND at < ? ORDER BY at";
    static final String LATEST_OF_TYPE = "SELECT seq, at, type, value, payload FROM events INDEXED BY events_type_seq"
            + " WHERE agent = ? AND type = ? ORDER BY seq DESC LIMIT 1";
    static final String AFTER_OF_TYPE = "SELECT seq, at, type, value, payload FROM events INDEXED BY events_type_seq"
            + " WHERE agent = ? AND type = ? AND seq > ? ORDER BY seq LIMIT ?";
    static final String COUNT = "SELECT count(*) FROM events WHERE agent = ?";
    static final String SEQS_ABOVE = "SELECT seq FROM events WHERE agent = ? AND seq > ? ORDER BY seq";
    static final String NEXT_STORED = "SELECT min(seq) FROM events WHERE agent = ? AND seq > ?";
    static final String SET_SETTLED = "UPDATE agents SET settled_seq = ? WHERE agent = ?";
    static final String DROP_OLD_READINGS = "DELETE FROM events WHERE agent = ? AND type IN (" + READING_TYPES
            + ") AND at < ? AND seq <= ?";
    static final String THIN_READINGS = "DELETE FROM events WHERE agent = ? AND type = ? AND at < ? AND seq <= ?"
            + " AND seq NOT IN (SELECT min(seq) FROM events WHERE agent = ? AND type = ? AND at < ? AND seq <= ?"
            + " GROUP BY at / ?)";
    static final String INSERT_ALARM = "INSERT INTO alarms(agent, alarm_key, source, severity, message, raised_at,"
            + " raised_seq, cleared_at, acked_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_ALARM = "UPDATE alarms SET agent = ?, alarm_key = ?, source = ?, severity = ?,"
            + " message = ?, raised_at = ?, raised_seq = ?, cleared_at = ?, acked_at = ?, acked_by = ? WHERE id = ?";
    static final String ALARMS = "SELECT id, agent, alarm_key, source, severity, message, raised_at, raised_seq,"
            + " cleared_at, acked_at, acked_by FROM alarms WHERE cleared_at IS NULL OR acked_at IS NULL"
            + " OR raised_at >= ? ORDER BY raised_at DESC, id DESC LIMIT ?";
    static final String META = "SELECT value FROM meta WHERE key = ?";
    static final String PUT_META = "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)";

    private final Path file;
    private final Connection connection;
    private final Codec codec = new Codec();
    /** Reused: ingest is the hot path. Dropped after an error, since sqlite-jdbc may finalize a failed statement. */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final Set<String> reportedBadRows = new HashSet<>();
    private int transactionDepth;
    private boolean closed;

    private StationStore(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        createSchema();
    }

    /**
     * Opens (or creates) the store in {@code file}, creating its directories.
     *
     * @throws StoreException if it cannot be created or opened, or was written by a newer station
     */
    public static StationStore open(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create " + parent + " for the station store: " + e
                    + "; create it and make it writable for your user", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // WAL: readers never block the writer; synchronous=NORMAL syncs at checkpoints, so a crash of the station
        // loses nothing committed and a power cut at most the last seconds, which backfill fetches again.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        Connection connection = null;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return new StationStore(file, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw StoreException.of("open", file, e);
        }
    }

    /** The store in the platform's data directory: {@code PlatformDirs.current().dataDir()/station.db}. */
    public static StationStore openDefault() {
        return open(PlatformDirs.current().dataDir().resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    private void createSchema() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS events(agent TEXT NOT NULL, seq INTEGER NOT NULL,"
                    + " at INTEGER NOT NULL, type TEXT NOT NULL, value REAL, payload TEXT,"
                    + " PRIMARY KEY (agent, seq)) WITHOUT ROWID");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS events_series ON events(agent, type, at, value)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS events_type_seq ON events(agent, type, seq)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS agents(agent TEXT PRIMARY KEY, status TEXT, state TEXT,"
                    + " health TEXT, config TEXT, highest_seq INTEGER NOT NULL DEFAULT 0,"
                    + " settled_seq INTEGER NOT NULL DEFAULT 0)");
            s.executeUpdate("CREATE TABLE IF NOT EXISTS alarms(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " agent TEXT NOT NULL, alarm_key TEXT NOT NULL, source TEXT NOT NULL, severity TEXT NOT NULL,"
                    + " message TEXT NOT NULL, raised_at INTEGER NOT NULL, raised_seq INTEGER, cleared_at INTEGER,"
                    + " acked_at INTEGER, acked_by TEXT)");
            s.executeUpdate("CREATE INDEX IF NOT EXISTS alarms_open ON alarms(cleared_at, acked_at)");
            s.executeUpdate("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '"
                    + SCHEMA_VERSION + "')");
        }
        String version = meta("schema_version");
        if (version != null && Integer.parseInt(version) > SCHEMA_VERSION) {
            throw new SQLException("SQLITE_SCHEMA: the file has schema version " + version + ", this station knows "
                    + SCHEMA_VERSION + " (written by a newer station; update this one)");
        }
    }

    // ------------------------------------------------------------------------------------------ transactions

    /**
     * Runs {@code work} in one transaction: everything the feed stores from one batch of messages commits at once.
     * Nested calls join the outer transaction. If {@code work} throws, nothing of it is kept.
     */
    public synchronized void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    private synchronized <T> T inTransaction(Supplier<T> work) {
        checkOpen();
        if (transactionDepth > 0) {
            transactionDepth++;
            try {
                return work.get();
            } finally {
                transactionDepth--;
            }
        }
        try {
            sql("BEGIN IMMEDIATE").executeUpdate();
        } catch (SQLException e) {
            dropStatements();
            throw StoreException.of("write", file, e);
        }
        transactionDepth = 1;
        boolean committed = false;
        try {
            T result = work.get();
            sql("COMMIT").executeUpdate();
            committed = true;
            return result;
        } catch (SQLException e) {
            dropStatements();
            throw StoreException.of("write", file, e);
        } finally {
            transactionDepth = 0;
            if (!committed) {
                try (Statement s = connection.createStatement()) {
                    s.executeUpdate("ROLLBACK");
                } catch (SQLException e) {
                    LOG.debug("rollback: {}", e.toString());
                }
            }
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private <T> T write(SqlWork<T> work) {
        return inTransaction(() -> {
            try {
                return work.run();
            } catch (SQLException e) {
                dropStatements();
                throw StoreException.of("write", file, e);
            }
        });
    }

    private synchronized <T> T read(SqlWork<T> work) {
        checkOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            dropStatements();
            throw StoreException.of("read", file, e);
        }
    }

    // ------------------------------------------------------------------------------------------ ingest

    /**
     * Stores events that are not stored yet, deduplicated by (agent, seq), and raises each agent's highest known
     * seq.
     *
     * @return the events that were new, in the given order
     */
    public synchronized List<Event> append(Collection<? extends Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return write(() -> {
            PreparedStatement insert = sql(INSERT_EVENT);
            List<Event> added = new ArrayList<>();
            Map<String, Long> highest = new HashMap<>();
            for (Event event : events) {
                insert.setString(1, event.agentId());
                insert.setLong(2, event.seq());
                insert.setLong(3, event.at().toEpochMilli());
                insert.setString(4, event.type().wire());
                if (event instanceof HumidityChanged) {
                    insert.setDouble(5, ((HumidityChanged) event).humidityPct());
                    setReadingPayload(insert, event, ((HumidityChanged) event).hasSensorValues());
                } else if (event instanceof TemperatureChanged) {
                    insert.setDouble(5, ((TemperatureChanged) event).temperatureC());
                    setReadingPayload(insert, event, ((TemperatureChanged) event).hasSensorValues());
                } else {
                    insert.setNull(5, Types.REAL);
                    insert.setString(6, new String(codec.encode(event), StandardCharsets.UTF_8));
                }
                if (insert.executeUpdate() == 1) {
                    added.add(event);
                    highest.merge(event.agentId(), event.seq(), Math::max);
                }
            }
            for (Map.Entry<String, Long> entry : highest.entrySet()) {
                raiseHighest(entry.getKey(), entry.getValue());
            }
            return added;
        });
    }

    public synchronized void putStatus(String agentId, Status status) {
        putSnapshot(agentId, "status", status);
    }

    /** Keeps the state and raises the highest known seq to its {@code lastSeq}. */
    public synchronized void putState(String agentId, AgentState state) {
        write(() -> {
            putSnapshot(agentId, "state", state);
            raiseHighest(agentId, state.lastSeq());
            return null;
        });
    }

    public synchronized void putHealth(String agentId, Health health) {
        putSnapshot(agentId, "health", health);
    }

    public synchronized void putConfig(String agentId, ConfigSnapshot config) {
        putSnapshot(agentId, "config", config);
    }

    private void putSnapshot(String agentId, String column, Object message) {
        String json = new String(codec.encode(message), StandardCharsets.UTF_8);
        write(() -> {
            PreparedStatement upsert = sql("INSERT INTO agents(agent, " + column + ") VALUES (?, ?)"
                    + " ON CONFLICT(agent) DO UPDATE SET " + column + " = excluded." + column);
            upsert.setString(1, agentId);
            upsert.setString(2, json);
            upsert.executeUpdate();
            return null;
        });
    }

    private void raiseHighest(String agentId, long seq) throws SQLException {
        PreparedStatement raise = sql(RAISE_HIGHEST);
        raise.setString(1, agentId);
        raise.setLong(2, seq);
        raise.executeUpdate();
    }

    // ------------------------------------------------------------------------------------------ agents

    /** Every agent the station ever heard of, by id. */
    public synchronized List<AgentSnapshot> agents() {
        return read(() -> {
            List<AgentSnapshot> agents = new ArrayList<>();
            try (ResultSet rs = sql(AGENT + " ORDER BY agent").executeQuery()) {
                while (rs.next()) {
                    agents.add(snapshot(rs));
                }
            }
            List<AgentSnapshot> withTimes = new ArrayList<>(agents.size());
            for (AgentSnapshot a : agents) {
                withTimes.add(new AgentSnapshot(a.agentId(), a.status(), a.state(), a.health(), a.config(),
                        a.highestSeq(), a.settledSeq(), newestEventAt(a.agentId())));
            }
            return withTimes;
        });
    }

    public synchronized Optional<AgentSnapshot> agent(String agentId) {
        return read(() -> {
            PreparedStatement query = sql(AGENT + " WHERE agent = ?");
            query.setString(1, agentId);
            AgentSnapshot found;
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                found = snapshot(rs);
            }
            return Optional.of(new AgentSnapshot(found.agentId(), found.status(), found.state(), found.health(),
                    found.config(), found.highestSeq(), found.settledSeq(), newestEventAt(agentId)));
        });
    }

    private AgentSnapshot snapshot(ResultSet rs) throws SQLException {
        String agentId = rs.getString(1);
        return new AgentSnapshot(agentId,
                decodeSnapshot(Topic.status(agentId), rs.getString(2), Status.class),
                decodeSnapshot(Topic.state(agentId), rs.getString(3), AgentState.class),
                decodeSnapshot(Topic.health(agentId), rs.getString(4), Health.class),
                decodeSnapshot(Topic.config(agentId), rs.getString(5), ConfigSnapshot.class),
                rs.getLong(6), rs.getLong(7), null);
    }

    private <T> T decodeSnapshot(Topic topic, String json, Class<T> type) {
        if (json == null) {
            return null;
        }
        Decoded<T> decoded = codec.decode(topic, json.getBytes(StandardCharsets.UTF_8)).as(type);
        if (!decoded.isOk()) {
            LOG.warn("stored {} of {} is unreadable ({}); ignored until the agent sends it again", topic.kind(),
                    topic.agentId(), decoded.error());
            return null;
        }
        return decoded.value();
    }

    private Instant newestEventAt(String agentId) throws SQLException {
        PreparedStatement query = sql(NEWEST_EVENT_AT);
        query.setString(1, agentId);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
        }
    }

    // ------------------------------------------------------------------------------------------ queries

    /**
     * One series of an agent's readings in {@code [from, to)}, ascending in time, read from the index alone.
     *
     * @param series {@link EventType#HUMIDITY_CHANGED} or {@link EventType#TEMPERATURE_CHANGED}
     */
    public synchronized ReadingPoints readings(String agentId, EventType series, Instant from, Instant to) {
        if (!series.isReading()) {
            throw new IllegalArgumentException("series must be a reading type, was " + series.wire());
        }
        return read(() -> {
            PreparedStatement query = sql(SERIES);
            query.setString(1, agentId);
            query.setString(2, series.wire());
            query.setLong(3, from.toEpochMilli());
            query.setLong(4, to.toEpochMilli());
            long[] times = new long[4096];
            double[] values = new double[4096];
            int size = 0;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (size == times.length) {
                        times = Arrays.copyOf(times, size * 2);
                        values = Arrays.copyOf(values, size * 2);
                    }
                    times[size] = rs.getLong(1);
                    values[size] = rs.getDouble(2);
                    size++;
                }
            }
            return new ReadingPoints(Arrays.copyOf(times, size), Arrays.copyOf(values, size));
        });
    }

    /** A plain reading is rebuilt from its value; one with per-sensor values keeps its JSON. */
    private void setReadingPayload(PreparedStatement insert, Event event, boolean perSensor) throws SQLException {
        if (!perSensor) {
            insert.setNull(6, Types.VARCHAR);
        } else {
            insert.setString(6, new String(codec.encode(event), StandardCharsets.UTF_8));
        }
    }

    /**
     * The agent's {@code humidity_changed} events in {@code [from, to)} that carry per-sensor values, ascending in
     * time: the chart's per-sensor lines. Empty for an agent with one uncalibrated sensor.
     */
    public synchronized List<HumidityChanged> humidityBySensor(String agentId, Instant from, Instant to) {
        return read(() -> {
            PreparedStatement statement = sql(SENSOR_READINGS);
            statement.setString(1, agentId);
            statement.setString(2, EventType.HUMIDITY_CHANGED.wire());
            statement.setLong(3, from.toEpochMilli());
            statement.setLong(4, to.toEpochMilli());
            List<HumidityChanged> out = new ArrayList<>();
            for (Event event : readEvents(agentId, statement)) {
                out.add((HumidityChanged) event);
            }
            return out;
        });
    }

    /** Events of an agent, newest first (by seq), as the query says. */
    public synchronized List<Event> events(String agentId, EventQuery query) {
        StringBuilder sql = new StringBuilder("SELECT seq, at, type, value, payload FROM events WHERE agent = ?");
        List<EventType> types = new ArrayList<>(query.types());
        types.sort(null);
        if (!types.isEmpty()) {
            sql.append(" AND type IN (").append("?, ".repeat(types.size() - 1)).append("?)");
        }
        if (query.from() != null) {
            sql.append(" AND at >= ?");
        }
        if (query.to() != null) {
            sql.append(" AND at < ?");
        }
        // no bound for the newest: the protocol allows seq Long.MAX_VALUE, and "seq < MAX" would hide that event
        boolean paged = query.beforeSeq() != Long.MAX_VALUE;
        if (paged) {
            sql.append(" AND seq < ?");
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        return read(() -> {
            PreparedStatement statement = sql(sql.toString());
            int i = 1;
            statement.setString(i++, agentId);
            for (EventType type : types) {
                statement.setString(i++, type.wire());
            }
            if (query.from() != null) {
                statement.setLong(i++, query.from().toEpochMilli());
            }
            if (query.to() != null) {
                statement.setLong(i++, query.to().toEpochMilli());
            }
            if (paged) {
                statement.setLong(i++, query.beforeSeq());
            }
            statement.setInt(i, query.limit());
            return readEvents(agentId, statement);
        });
    }

    /** The newest event of a type, if any. */
    public synchronized Optional<Event> latestEvent(String agentId, EventType type) {
        return read(() -> {
            PreparedStatement statement = sql(LATEST_OF_TYPE);
            statement.setString(1, agentId);
            statement.setString(2, type.wire());
            List<Event> found = readEvents(agentId, statement);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    /** Up to {@code limit} events of a type with a seq above {@code afterSeq}, oldest first. */
    public synchronized List<Event> eventsAfter(String agentId, EventType type, long afterSeq, int limit) {
        return read(() -> {
            PreparedStatement statement = sql(AFTER_OF_TYPE);
            statement.setString(1, agentId);
            statement.setString(2, type.wire());
            statement.setLong(3, afterSeq);
            statement.setInt(4, limit);
            return readEvents(agentId, statement);
        });
    }

    /** How many events of the agent are stored. */
    public synchronized long count(String agentId) {
        return read(() -> {
            PreparedStatement statement = sql(COUNT);
            statement.setString(1, agentId);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private List<Event> readEvents(String agentId, PreparedStatement statement) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                Instant at = Instant.ofEpochMilli(rs.getLong(2));
                String type = rs.getString(3);
                Event event = null;
                try {
                    String json = rs.getString(5);
                    if (EventType.HUMIDITY_CHANGED.wire().equals(type) && json == null) {
                        event = new HumidityChanged(agentId, seq, at, rs.getDouble(4));
                    } else if (EventType.TEMPERATURE_CHANGED.wire().equals(type) && json == null) {
                        event = new TemperatureChanged(agentId, seq, at, rs.getDouble(4));
                    } else {
                        String payload = rs.getString(5);
                        Decoded<Event> decoded = payload == null
                                ? null : codec.decodeEvent(agentId, payload.getBytes(StandardCharsets.UTF_8));
                        if (decoded != null && decoded.isOk()) {
                            event = decoded.value();
                        } else {
                            badRow(agentId, seq, decoded == null ? "no payload" : decoded.error().toString());
                        }
                    }
                } catch (IllegalArgumentException e) {
                    badRow(agentId, seq, e.getMessage());
                }
                if (event != null) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    private void badRow(String agentId, long seq, String why) {
        if (reportedBadRows.size() < 10_000 && reportedBadRows.add(agentId + "#" + seq)) {
            LOG.warn("skipped unreadable stored event #{} of {}: {}", seq, agentId, why);
        }
    }

    // ------------------------------------------------------------------------------------------ gaps

    /** The highest seq known to exist for the agent; 0 if none. */
    public synchronized long highestSeq(String agentId) {
        return read(() -> agentLong(agentId, "highest_seq"));
    }

    /** Every seq up to this one is stored or known to be gone; moves up over stored seqs first. */
    public synchronized long settledSeq(String agentId) {
        return write(() -> advanceSettled(agentId));
    }

    /** The lowest missing range above the watermark, if any: what backfill asks for next. */
    public synchronized Optional<SeqRange> firstGap(String agentId) {
        return write(() -> {
            long settled = advanceSettled(agentId);
            long highest = agentLong(agentId, "highest_seq");
            if (settled >= highest) {
                return Optional.empty();
            }
            PreparedStatement next = sql(NEXT_STORED);
            next.setString(1, agentId);
            next.setLong(2, settled);
            long to = highest;
            try (ResultSet rs = next.executeQuery()) {
                if (rs.next()) {
                    long stored = rs.getLong(1);
                    if (!rs.wasNull()) {
                        to = Math.min(highest, stored - 1);
                    }
                }
            }
            return Optional.of(new SeqRange(settled + 1, to));
        });
    }

    /** Every missing range above the watermark up to the highest known seq, lowest first (at most 10,000). */
    public synchronized List<SeqRange> gaps(String agentId) {
        return write(() -> {
            long settled = advanceSettled(agentId);
            long highest = agentLong(agentId, "highest_seq");
            List<SeqRange> gaps = new ArrayList<>();
            long expected = settled + 1;
            PreparedStatement seqs = sql(SEQS_ABOVE);
            seqs.setString(1, agentId);
            seqs.setLong(2, settled);
            try (ResultSet rs = seqs.executeQuery()) {
                while (rs.next() && gaps.size() < MAX_LISTED_GAPS) {
                    long seq = rs.getLong(1);
                    if (seq > expected) {
                        gaps.add(new SeqRange(expected, Math.min(seq - 1, highest)));
                    }
                    expected = seq + 1;
                }
            }
            if (expected <= highest && gaps.size() < MAX_LISTED_GAPS) {
                gaps.add(new SeqRange(expected, highest));
            }
            return gaps;
        });
    }

    /**
     * Marks every seq up to {@code upToSeq} as settled: a history reply starting at the watermark covered them, so
     * the ones it did not contain are gone on the agent. Never lowers the watermark.
     */
    public synchronized void settle(String agentId, long upToSeq) {
        write(() -> {
            sqlEnsureAgent(agentId);
            long settled = agentLong(agentId, "settled_seq");
            if (upToSeq > settled) {
                PreparedStatement set = sql(SET_SETTLED);
                set.setLong(1, upToSeq);
                set.setString(2, agentId);
                set.executeUpdate();
            }
            advanceSettled(agentId);
            return null;
        });
    }

    /** Moves the watermark over the stored seqs that follow it without a hole. */
    private long advanceSettled(String agentId) throws SQLException {
        long settled = agentLong(agentId, "settled_seq");
        long advanced = settled;
        PreparedStatement seqs = sql(SEQS_ABOVE);
        seqs.setString(1, agentId);
        seqs.setLong(2, settled);
        try (ResultSet rs = seqs.executeQuery()) {
            while (rs.next() && rs.getLong(1) == advanced + 1) {
                advanced++;
            }
        }
        if (advanced != settled) {
            PreparedStatement set = sql(SET_SETTLED);
            set.setLong(1, advanced);
            set.setString(2, agentId);
            set.executeUpdate();
        }
        return advanced;
    }

    private void sqlEnsureAgent(String agentId) throws SQLException {
        PreparedStatement ensure = sql(ENSURE_AGENT);
        ensure.setString(1, agentId);
        ensure.executeUpdate();
    }

    private long agentLong(String agentId, String column) throws SQLException {
        PreparedStatement query = sql("SELECT " + column + " FROM agents WHERE agent = ?");
        query.setString(1, agentId);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    // ------------------------------------------------------------------------------------------ retention

    /** Runs {@link #compact} if the last run is a day old or more (or never happened). */
    public synchronized boolean compactIfDue(Instant now) {
        String last = read(() -> meta("last_compaction"));
        if (last != null && Instant.parse(last).plus(COMPACT_EVERY).isAfter(now)) {
            return false;
        }
        int removed = compact(now);
        if (removed > 0) {
            LOG.info("compacted the station store: {} old readings removed", removed);
        }
        return true;
    }

    /**
     * Thins readings older than 30 days to one per series per 15 minutes and removes those older than 365 days,
     * below each agent's watermark only.
     *
     * @return how many readings were removed
     */
    public synchronized int compact(Instant now) {
        long thinBefore = now.minus(FULL_RESOLUTION).toEpochMilli();
        long dropBefore = now.minus(READING_RETENTION).toEpochMilli();
        long step = THINNED_STEP.toMillis();
        List<String> agentIds = read(() -> {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = sql("SELECT agent, settled_seq FROM agents").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
        return write(() -> {
            int removed = 0;
            for (String agentId : agentIds) {
                long settled = advanceSettled(agentId);
                PreparedStatement drop = sql(DROP_OLD_READINGS);
                drop.setString(1, agentId);
                drop.setLong(2, dropBefore);
                drop.setLong(3, settled);
                removed += drop.executeUpdate();
                for (EventType type : List.of(EventType.HUMIDITY_CHANGED, EventType.TEMPERATURE_CHANGED)) {
                    PreparedStatement thin = sql(THIN_READINGS);
                    thin.setString(1, agentId);
                    thin.setString(2, type.wire());
                    thin.setLong(3, thinBefore);
                    thin.setLong(4, settled);
                    thin.setString(5, agentId);
                    thin.setString(6, type.wire());
                    thin.setLong(7, thinBefore);
                    thin.setLong(8, settled);
                    thin.setLong(9, step);
                    removed += thin.executeUpdate();
                }
            }
            putMeta("last_compaction", now.toString());
            return removed;
        });
    }

    // ------------------------------------------------------------------------------------------ alarms

    /** Inserts a new alarm (id 0) or updates a stored one; returns it with its id. */
    public synchronized AlarmRecord saveAlarm(AlarmRecord alarm) {
        return write(() -> {
            PreparedStatement statement = sql(alarm.id() == 0 ? INSERT_ALARM : UPDATE_ALARM);
            statement.setString(1, alarm.agentId());
            statement.setString(2, alarm.key());
            statement.setString(3, alarm.source().name());
            statement.setString(4, alarm.severity().name());
            statement.setString(5, alarm.message());
            statement.setLong(6, alarm.raisedAt().toEpochMilli());
            setNullableLong(statement, 7, alarm.raisedSeq());
            setNullableLong(statement, 8, alarm.clearedAt() == null ? null : alarm.clearedAt().toEpochMilli());
            setNullableLong(statement, 9,
                    alarm.acknowledgedAt() == null ? null : alarm.acknowledgedAt().toEpochMilli());
            statement.setString(10, alarm.acknowledgedBy());
            if (alarm.id() != 0) {
                statement.setLong(11, alarm.id());
                if (statement.executeUpdate() != 1) {
                    throw new SQLException("no alarm with id " + alarm.id());
                }
                return alarm;
            }
            statement.executeUpdate();
            try (ResultSet rs = sql("SELECT last_insert_rowid()").executeQuery()) {
                rs.next();
                return alarm.withId(rs.getLong(1));
            }
        });
    }

    /**
     * The alarms worth showing, newest first: every active or unacknowledged one, and the others raised at or after
     * {@code raisedSince}.
     */
    public synchronized List<AlarmRecord> alarms(Instant raisedSince, int limit) {
        return read(() -> {
            PreparedStatement query = sql(ALARMS);
            query.setLong(1, raisedSince.toEpochMilli());
            query.setInt(2, limit);
            List<AlarmRecord> alarms = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    alarms.add(new AlarmRecord(rs.getLong(1), rs.getString(2), rs.getString(3),
                            AlarmRecord.Source.valueOf(rs.getString(4)),
                            AlarmRecord.Severity.valueOf(rs.getString(5)), rs.getString(6),
                            Instant.ofEpochMilli(rs.getLong(7)), nullableLong(rs, 8), nullableInstant(rs, 9),
                            nullableInstant(rs, 10), rs.getString(11)));
                }
            }
            return alarms;
        });
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Long nullableLong(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }

    private static Instant nullableInstant(ResultSet rs, int index) throws SQLException {
        Long value = nullableLong(rs, index);
        return value == null ? null : Instant.ofEpochMilli(value);
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private String meta(String key) throws SQLException {
        PreparedStatement query = sql(META);
        query.setString(1, key);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void putMeta(String key, String value) throws SQLException {
        PreparedStatement put = sql(PUT_META);
        put.setString(1, key);
        put.setString(2, value);
        put.executeUpdate();
    }

    private PreparedStatement sql(String sql) throws SQLException {
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    private void dropStatements() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                LOG.debug("closing a statement: {}", e.toString());
            }
        }
        prepared.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("the station store " + file + " is closed");
        }
    }

    /** SQLite's plan for a query, for tests that guard the indexes. */
    synchronized String queryPlan(String sql, Object... params) {
        return read(() -> {
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 0; i < params.length; i++) {
                    explain.setObject(i + 1, params[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(4)).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dropStatements();
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the store: {}", e.toString());
            }
        }
    }
}
