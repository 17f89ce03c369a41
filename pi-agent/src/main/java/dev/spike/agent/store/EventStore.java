package dev.spike.agent.store;

import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Every event of one agent, in one SQLite file: the agent's memory across restarts and the source of history
 * replies.
 *
 * <p>Seq is assigned here: strictly increasing, never reused, also across reopening and after compaction deleted
 * the newest rows. The {@code at} a caller gives is kept. Rows that cannot be decoded are skipped with a WARN naming
 * their seq; a read never fails because of one bad row.
 *
 * <p>One connection, guarded by this object's monitor: the control thread appends while the link thread may read
 * a history page. Every method may throw {@link StoreException}; the agent uses {@link ResilientEventStore}, which
 * does not.
 *
 * <pre>
 * events(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL)
 *   at      epoch milliseconds (floor), for range queries; the exact instant is in the payload
 *   type    the wire name ("valve_opened")
 *   payload the codec's JSON of the event, seq and at included
 *   indexes events_at(at), events_type_seq(type, seq)
 * meta(key TEXT PRIMARY KEY, value TEXT): schema_version, high_water_seq, and whatever other parts keep there
 * </pre>
 */
public final class EventStore implements AutoCloseable {

    /** Bump when the schema changes; an agent refuses a file with a newer version rather than misread it. */
    static final int SCHEMA_VERSION = 1;
    static final String SCHEMA_VERSION_KEY = "schema_version";
    /**
     * A floor for the next seq. It is written before compaction deletes anything, so it is always at least the
     * highest seq that was ever deleted; the highest seq ever assigned is the larger of it and {@code max(seq)}.
     * Writing it on every append would cost a fourth page in every commit for no extra safety.
     */
    static final String HIGH_WATER_KEY = "high_water_seq";

    private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

    /** Long enough to outwait a person's sqlite3 query on the file, short enough not to stall the control loop. */
    private static final int BUSY_TIMEOUT_MS = 3_000;
    /** The WAL is cut back to this after a checkpoint, so one burst (a backlog flush) does not keep its size. */
    private static final long JOURNAL_SIZE_LIMIT_BYTES = 4L * 1024 * 1024;
    /** Rows deleted per transaction by compaction: bounds WAL growth and how long an append waits for the lock. */
    private static final int COMPACT_CHUNK = 5_000;
    /** Bad rows are reported once each per process; a history reader would otherwise repeat the WARN forever. */
    private static final int MAX_REPORTED_BAD_ROWS = 10_000;

    private static final String READING_TYPES = "'" + EventType.HUMIDITY_CHANGED.wire() + "', '"
            + EventType.TEMPERATURE_CHANGED.wire() + "'";

    // SQL, prepared on first use and then reused: appends are the hot path, and the recovery queries run against a
    // million rows.
    static final String BEGIN = "BEGIN IMMEDIATE";
    static final String COMMIT = "COMMIT";
    static final String INSERT = "INSERT INTO events(seq, at, type, payload) VALUES (?, ?, ?, ?)";
    static final String FROM_SEQ = "SELECT seq, payload FROM events WHERE seq >= ? ORDER BY seq";
    static final String RANGE =
            "SELECT seq, payload FROM events WHERE at >= ? AND at < ? ORDER BY at, seq";
    static final String LATEST_OF_TYPE = "SELECT seq, payload FROM events WHERE type = ? ORDER BY seq DESC";
    // INDEXED BY: without statistics the planner walks the table in seq order for min(seq), which reads nearly
    // the whole table when the cutoff is recent, the common case. The at index reads only the window.
    static final String FIRST_SEQ_SINCE = "SELECT min(seq) FROM events INDEXED BY events_at WHERE at >= ?";
    static final String TYPE_SINCE =
            "SELECT seq, payload FROM events WHERE type = ? AND seq >= ? AND at >= ? ORDER BY seq";
    static final String MAX_SEQ = "SELECT max(seq) FROM events";
    static final String COUNT = "SELECT count(*) FROM events";
    static final String META = "SELECT value FROM meta WHERE key = ?";
    static final String PUT_META = "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)";
    static final String DELETE_OLD_READINGS = "DELETE FROM events WHERE seq IN (SELECT seq FROM events"
            + " WHERE type IN (" + READING_TYPES + ") AND at < ? LIMIT " + COMPACT_CHUNK + ")";

    private final Path file;
    private final String agentId;
    private final boolean readOnly;
    private final Connection connection;
    private final Codec codec = new Codec();
    private final Set<Long> reportedBadRows = new HashSet<>();

    /**
     * sqlite-jdbc finalizes a prepared statement when it fails with most errors (SQLITE_FULL, SQLITE_IOERR...),
     * so after any error the whole cache is dropped and statements are prepared again on next use.
     */
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    /** The highest seq ever assigned: the next append gets {@code lastSeq + 1}. */
    private long lastSeq;
    private boolean closed;

    private EventStore(Path file, String agentId, boolean readOnly, Connection connection) throws SQLException {
        this.file = file;
        this.agentId = agentId;
        this.readOnly = readOnly;
        this.connection = connection;
        if (readOnly) {
            checkSchemaVersion();
        } else {
            createSchema();
        }
        long highWater = readMetaLong(HIGH_WATER_KEY, 0);
        try (ResultSet rs = sql(MAX_SEQ).executeQuery()) {
            this.lastSeq = Math.max(highWater, rs.next() ? rs.getLong(1) : 0);
        }
    }

    /**
     * Opens the store in {@code file} for reading and writing, creating the file and its directories if needed.
     *
     * @throws StoreException if the directory or the file cannot be created, opened or written, or the file holds
     *                        a schema newer than this agent knows
     */
    public static EventStore open(Path file, String agentId) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(agentId, "agentId");
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (FileAlreadyExistsException e) {
            throw new StoreException("cannot create the directory of " + file + ": " + e.getFile()
                    + " is a file, not a directory; move it away", e);
        } catch (AccessDeniedException e) {
            throw new StoreException("cannot create the directory of " + file + ": permission denied on "
                    + e.getFile() + "; create it and make it writable for the agent's user", e);
        } catch (IOException e) {
            throw new StoreException("cannot create the directory of " + file + ": " + e
                    + "; create it and make it writable for the agent's user", e);
        }
        SQLiteConfig config = baseConfig();
        // WAL: appends write only the WAL's tail, readers never block the writer, and a crash mid-commit leaves
        // the last complete transaction. synchronous=NORMAL in WAL mode syncs the WAL at checkpoints, not at every
        // commit: a process crash (SIGKILL, OOM, a JVM bug) loses nothing committed, because the commit is already
        // in the OS's page cache; a power cut or kernel panic can lose the last commits since the last sync (a few
        // seconds of readings), but never corrupts the file. FULL would fsync every append, which costs
        // milliseconds and wear on an SD card for data the next reading replaces anyway.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setJournalSizeLimit((int) JOURNAL_SIZE_LIMIT_BYTES);
        return connect(file, agentId, config, "jdbc:sqlite:" + file.toAbsolutePath(), false);
    }

    /**
     * Opens an existing store for reading only: history stays available when the data directory is read-only.
     * Tries a shared read-only open first (which sees a WAL a crash left behind), then SQLite's immutable mode,
     * the only way to read a WAL-mode file in a directory where SQLite cannot create its {@code -shm} file. That
     * mode does not see a WAL left by a crash, so the newest events can be missing from what it reads;
     * {@link ResilientEventStore} renumbers its backlog (and logs it) if the disk later shows them.
     */
    static EventStore openReadOnly(Path file, String agentId) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(agentId, "agentId");
        if (!Files.isRegularFile(file)) {
            throw new StoreException("cannot read " + file + ": no such file, or not a regular file");
        }
        SQLiteConfig shared = baseConfig();
        shared.setReadOnly(true);
        try {
            return connect(file, agentId, shared, "jdbc:sqlite:" + file.toAbsolutePath(), true);
        } catch (StoreException first) {
            SQLiteConfig immutable = baseConfig();
            immutable.setReadOnly(true);
            immutable.setOpenMode(SQLiteOpenMode.OPEN_URI);
            try {
                return connect(file, agentId, immutable,
                        "jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1", true);
            } catch (StoreException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static SQLiteConfig baseConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config;
    }

    private static EventStore connect(Path file, String agentId, SQLiteConfig config, String url, boolean readOnly) {
        Connection connection = null;
        try {
            connection = config.createConnection(url);
            return new EventStore(file, agentId, readOnly, connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw StoreException.of(readOnly ? "read" : "open", file, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private void createSchema() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("BEGIN IMMEDIATE");
            try {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
                        + " type TEXT NOT NULL, payload TEXT NOT NULL)");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS events_at ON events(at)");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS events_type_seq ON events(type, seq)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)");
                s.executeUpdate("INSERT OR IGNORE INTO meta(key, value) VALUES ('" + SCHEMA_VERSION_KEY + "', '"
                        + SCHEMA_VERSION + "')");
                checkSchemaVersion();
                // Every open writes a page, on purpose: a store that opens is a store that can be written, so a
                // read-only file fails here, where the caller can still fall back to reading, and not at the
                // first append.
                s.executeUpdate("UPDATE meta SET value = value WHERE key = '" + SCHEMA_VERSION_KEY + "'");
                s.executeUpdate("COMMIT");
            } catch (SQLException e) {
                rollbackQuietly(s, e);
                throw e;
            } catch (RuntimeException e) {
                rollbackQuietly(s, e);
                throw e;
            }
        }
    }

    private void checkSchemaVersion() throws SQLException {
        String version;
        PreparedStatement select = sql(META);
        select.setString(1, SCHEMA_VERSION_KEY);
        try (ResultSet rs = select.executeQuery()) {
            version = rs.next() ? rs.getString(1) : null;
        }
        if (!String.valueOf(SCHEMA_VERSION).equals(version)) {
            throw new StoreException("cannot open " + file + ": it has schema version " + version
                    + ", this agent knows " + SCHEMA_VERSION + "; upgrade the agent, or move the file away to"
                    + " start a new store");
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * Stores {@code event} under the next seq, in its own transaction, and returns it with its final header (this
     * store's agent id, the new seq, the caller's {@code at}).
     */
    public synchronized Event append(Event event) {
        Objects.requireNonNull(event, "event");
        return appendAll(List.of(event)).get(0);
    }

    /** Stores all {@code events} under consecutive seqs in one transaction: all or none. */
    public synchronized List<Event> appendAll(List<Event> events) {
        Objects.requireNonNull(events, "events");
        List<Event> stamped = new ArrayList<>(events.size());
        long seq = lastSeq;
        for (Event event : events) {
            stamped.add(event.withHeader(agentId, ++seq, event.at()));
        }
        write(stamped);
        return stamped;
    }

    /**
     * Stores events whose seq was assigned already (by {@link ResilientEventStore} while the disk failed). Their
     * seqs must be above {@link #lastSeq()} and increasing; gaps are allowed.
     */
    synchronized void appendAssigned(List<Event> events) {
        long previous = lastSeq;
        for (Event event : events) {
            if (event.seq() <= previous) {
                throw new IllegalArgumentException("seq must be above " + previous + " and increasing, was "
                        + event.seq() + " in " + file);
            }
            previous = event.seq();
        }
        write(events);
    }

    private void write(List<Event> events) {
        checkWritable("append to");
        if (events.isEmpty()) {
            return;
        }
        // Encode before the transaction: the lock is held only for SQLite's own work.
        String[] payloads = new String[events.size()];
        for (int i = 0; i < payloads.length; i++) {
            payloads[i] = new String(codec.encode(events.get(i)), StandardCharsets.UTF_8);
        }
        try {
            sql(BEGIN).executeUpdate();
            try {
                PreparedStatement insert = sql(INSERT);
                for (int i = 0; i < payloads.length; i++) {
                    Event event = events.get(i);
                    insert.setLong(1, event.seq());
                    insert.setLong(2, millis(event.at()));
                    insert.setString(3, event.type().wire());
                    insert.setString(4, payloads[i]);
                    insert.addBatch();
                }
                // One JNI call steps the whole batch: about twice the rate of executeUpdate per row.
                insert.executeBatch();
                sql(COMMIT).executeUpdate();
            } catch (SQLException e) {
                rollbackQuietly(e);
                clearBatchQuietly(e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("append to", e);
        }
        lastSeq = events.get(events.size() - 1).seq();
    }

    /**
     * Deletes humidity and temperature readings from before {@code olderThan} (to the millisecond); decisions,
     * valve events, errors and alarms are kept for ever. Returns how many rows went.
     *
     * <p>Deletes in chunks of a few thousand rows, each its own transaction, and lets go of the lock between them,
     * so the first compaction of a big store neither balloons the WAL nor holds up the control loop's appends.
     * Call it from a background thread.
     *
     * <p>Space: freed pages go on SQLite's free list and are reused by the next appends, so with a fixed retention
     * the file stops growing at "retention period of readings + all decisions". The file does not shrink. That is
     * the choice for an SD card: {@code auto_vacuum=INCREMENTAL} would give pages back to the file system, but it
     * moves pages on every vacuum and keeps pointer-map pages current on every append, i.e. more writes for space
     * the store needs again tomorrow. What is given back is the WAL: {@code wal_checkpoint(TRUNCATE)} at the end
     * copies the deletions into the database and cuts the WAL file to zero bytes. (A person who must shrink the
     * file once can run {@code VACUUM} with the agent stopped; it needs free space the size of the file.)
     */
    public int compactReadings(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        long cutoff = millis(olderThan);
        synchronized (this) {
            checkWritable("compact");
            // Before anything is deleted: if the newest rows are old readings (a clock that jumped back, a long
            // silence), deleting them must not hand their seqs out again.
            try {
                writeMeta(HIGH_WATER_KEY, lastSeq);
            } catch (SQLException e) {
                throw failure("compact", e);
            }
        }
        int total = 0;
        while (true) {
            int deleted;
            synchronized (this) {
                checkWritable("compact");
                try {
                    sql(BEGIN).executeUpdate();
                    try {
                        PreparedStatement delete = sql(DELETE_OLD_READINGS);
                        delete.setLong(1, cutoff);
                        deleted = delete.executeUpdate();
                        sql(COMMIT).executeUpdate();
                    } catch (SQLException e) {
                        rollbackQuietly(e);
                        throw e;
                    }
                } catch (SQLException e) {
                    throw failure("compact", e);
                }
            }
            total += deleted;
            if (deleted < COMPACT_CHUNK) {
                break;
            }
        }
        synchronized (this) {
            checkpointTruncate();
        }
        if (total > 0) {
            LOG.info("compacted {}: deleted {} readings from before {}", file, total, olderThan);
        }
        return total;
    }

    private void checkpointTruncate() {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            if (rs.next() && rs.getInt(1) != 0) {
                // Another connection (a person's sqlite3 shell) is reading: the WAL is cut at a later checkpoint.
                LOG.debug("WAL of {} not truncated: another reader holds it", file);
            }
        } catch (SQLException e) {
            throw failure("checkpoint", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** The highest seq ever assigned (0 for a new store), even if that row was compacted away. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Up to {@code limit} events with seq {@code >= fromSeq}, in seq order: a history page. */
    public synchronized List<Event> read(long fromSeq, int limit) {
        checkLimit(limit);
        return query(FROM_SEQ, limit, null, null, fromSeq);
    }

    /**
     * Up to {@code limit} events with {@code from <= at < to}, in time order (ties by seq). That is seq order
     * unless the clock was set back.
     */
    public synchronized List<Event> readRange(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        checkLimit(limit);
        return query(RANGE, limit, from, to, millis(from), ceilMillis(to));
    }

    /** The newest event of {@code type}; one index lookup. */
    public synchronized Optional<Event> latest(EventType type) {
        List<Event> latest = latest(type, 1);
        return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0));
    }

    /** The newest {@code n} events of {@code type}, newest first. */
    public synchronized List<Event> latest(EventType type, int n) {
        Objects.requireNonNull(type, "type");
        checkLimit(n);
        return query(LATEST_OF_TYPE, n, null, null, type.wire());
    }

    /**
     * The events of the given types with {@code at >= from}, in seq order: what state recovery replays ("the
     * valve openings of the last hour", "the alarms since the last clear").
     *
     * <p>Two steps, so that both a short window over a common type and a long window over a rare type stay cheap:
     * the first seq at or after {@code from} (from the {@code at} index), then one range of the (type, seq) index
     * per type. Rows whose {@code at} is before {@code from} but whose seq is higher (a clock set back) are
     * filtered out, not returned.
     */
    public synchronized List<Event> since(Instant from, Set<EventType> types) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(types, "types");
        if (types.isEmpty()) {
            return List.of();
        }
        long fromMillis = millis(from);
        long firstSeq;
        try {
            PreparedStatement first = sql(FIRST_SEQ_SINCE);
            first.setLong(1, fromMillis);
            try (ResultSet rs = first.executeQuery()) {
                rs.next();
                firstSeq = rs.getLong(1);
                if (rs.wasNull()) {
                    return List.of();
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        List<Event> events = new ArrayList<>();
        for (EventType type : types) {
            events.addAll(query(TYPE_SINCE, Integer.MAX_VALUE, from, null, type.wire(), firstSeq,
                    fromMillis));
        }
        events.sort(Comparator.comparingLong(Event::seq));
        return events;
    }

    /** How many rows the store holds. A full count: tens of milliseconds on a million rows, not for every tick. */
    public synchronized long count() {
        checkOpen();
        try (ResultSet rs = sql(COUNT).executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Bytes on disk: the database file plus its WAL. */
    public long sizeBytes() {
        return sizeOf(file) + sizeOf(walOf(file));
    }

    static Path walOf(Path file) {
        return file.resolveSibling(file.getFileName() + "-wal");
    }

    /** The size of a regular file; 0 for anything else (missing, or a directory where the file should be). */
    static long sizeOf(Path path) {
        if (!Files.isRegularFile(path)) {
            return 0;
        }
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.debug("cannot read the size of {}: {}", path, e.toString());
            return 0;
        }
    }

    /** A number kept in {@code meta}, or {@code fallback} if there is none (or it is not a number). */
    public synchronized long metaLong(String key, long fallback) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        try {
            return readMetaLong(key, fallback);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Keeps {@code value} under {@code key} in {@code meta}, durably (its own transaction). */
    public synchronized void putMetaLong(String key, long value) {
        Objects.requireNonNull(key, "key");
        checkWritable("write to");
        try {
            writeMeta(key, value);
        } catch (SQLException e) {
            throw failure("write to", e);
        }
    }

    private void writeMeta(String key, long value) throws SQLException {
        PreparedStatement put = sql(PUT_META);
        put.setString(1, key);
        put.setString(2, Long.toString(value));
        put.executeUpdate();
    }

    private long readMetaLong(String key, long fallback) throws SQLException {
        PreparedStatement select = sql(META);
        select.setString(1, key);
        try (ResultSet rs = select.executeQuery()) {
            String value = rs.next() ? rs.getString(1) : null;
            if (value == null) {
                return fallback;
            }
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                LOG.warn("meta {} in {} is \"{}\", not a number; using {}", key, file, value, fallback);
                return fallback;
            }
        }
    }

    /**
     * Runs {@code statement} with {@code params} and decodes up to {@code limit} good rows (columns seq, payload).
     * Rows are pulled one at a time, so skipped rows do not shorten a page and a limit stops the scan early. When
     * {@code from}/{@code to} are given, events outside {@code [from, to)} by their exact instant are left out:
     * the {@code at} column has millisecond precision.
     */
    private List<Event> query(String query, int limit, Instant from, Instant to, Object... params) {
        checkOpen();
        List<Event> events = new ArrayList<>(Math.min(limit, 256));
        try {
            PreparedStatement statement = sql(query);
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (events.size() < limit && rs.next()) {
                    long seq = rs.getLong(1);
                    Optional<Event> event = decode(seq, rs.getString(2));
                    if (event.isPresent()
                            && (from == null || !event.get().at().isBefore(from))
                            && (to == null || event.get().at().isBefore(to))) {
                        events.add(event.get());
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        return events;
    }

    private Optional<Event> decode(long seq, String payload) {
        String problem;
        if (payload == null) {
            problem = "its payload is NULL";
        } else {
            try {
                Decoded<Event> decoded = codec.decodeEvent(agentId, payload.getBytes(StandardCharsets.UTF_8));
                if (decoded.isOk() && decoded.value().seq() == seq) {
                    return Optional.of(decoded.value());
                }
                problem = decoded.isOk() ? "its payload says seq " + decoded.value().seq()
                        : "its payload cannot be decoded: " + decoded.error();
            } catch (RuntimeException e) {
                // The codec promises not to throw; if it does anyway, one row must still not break a read.
                problem = "decoding its payload failed: " + e;
            }
        }
        if (reportedBadRows.size() < MAX_REPORTED_BAD_ROWS && reportedBadRows.add(seq)) {
            LOG.warn("skipping event seq {} in {}: {}; the row is left as it is for inspection", seq, file, problem);
        } else {
            LOG.debug("skipping event seq {} in {}: {}", seq, file, problem);
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Whether this store was opened read-only ({@link #openReadOnly}); appends to it fail. */
    boolean isReadOnly() {
        return readOnly;
    }

    /** False once closed, also when the connection was closed underneath. */
    synchronized boolean isOpen() {
        try {
            return !closed && !connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /** The connection, for tests in this package that need to provoke SQLite errors (max_page_count). */
    Connection connection() {
        return connection;
    }

    /** Closes the file; SQLite checkpoints the WAL and removes it if this was the last connection. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        forgetStatements();
        try {
            connection.close();
        } catch (SQLException e) {
            throw StoreException.of("close", file, e);
        }
    }

    private PreparedStatement sql(String text) throws SQLException {
        PreparedStatement statement = prepared.get(text);
        if (statement == null) {
            statement = connection.prepareStatement(text);
            prepared.put(text, statement);
        }
        return statement;
    }

    private void forgetStatements() {
        for (PreparedStatement statement : prepared.values()) {
            closeQuietly(statement);
        }
        prepared.clear();
    }

    private StoreException failure(String action, SQLException e) {
        forgetStatements();
        if (!isOpen()) {
            // sqlite-jdbc's words for this ("statement is not executing") would send a person the wrong way.
            return new StoreException("cannot " + action + " " + file + ": its database connection was closed;"
                    + " open the store again", e);
        }
        return StoreException.of(action, file, e);
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException("cannot use " + file + ": the store is closed");
        }
    }

    private void checkWritable(String action) {
        checkOpen();
        if (readOnly) {
            throw new StoreException("cannot " + action + " " + file + ": the store is open read-only");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
    }

    /** A fresh statement each time: a cached ROLLBACK could itself have been finalized by the error. */
    private void rollbackQuietly(SQLException cause) {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("ROLLBACK");
        } catch (SQLException e) {
            // SQLite rolls back by itself after some errors (SQLITE_FULL); then there is nothing left to undo.
            cause.addSuppressed(e);
        }
    }

    private void clearBatchQuietly(SQLException cause) {
        PreparedStatement insert = prepared.get(INSERT);
        if (insert == null) {
            return;
        }
        try {
            insert.clearBatch();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void rollbackQuietly(Statement s, Exception cause) {
        try {
            s.executeUpdate("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed: {}", closeable, e.toString());
        }
    }

    /** Epoch milliseconds, floored; instants beyond a long's range are clamped rather than thrown on. */
    static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The smallest whole millisecond at or after {@code instant}: an exclusive upper bound for the at column. */
    static long ceilMillis(Instant instant) {
        long floor = millis(instant);
        return floor != Long.MAX_VALUE && Instant.ofEpochMilli(floor).isBefore(instant) ? floor + 1 : floor;
    }
}
