package dev.spike.agent.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The notifications not yet delivered, each notifier's record of what it delivered, and the {@link AlertPolicy}'s
 * state, in an SQLite file of their own next to the event store ({@code <data-dir>/<agent-id>-notify.db}).
 *
 * <p>Why a file of its own: SQLite lets one connection write a file at a time. The event store's writer is the agent
 * thread; if the delivery threads wrote their records into the same file, an append of the control loop could wait
 * up to the busy timeout for a delivery's bookkeeping. In a file of its own the outbox can never hold up control,
 * and the event store's schema and its version check stay as they are.
 *
 * <pre>
 * notifications(id TEXT PRIMARY KEY, agent_id, subject, state, priority, at INTEGER, since INTEGER, title, text)
 * deliveries(id TEXT, channel TEXT, delivered_at INTEGER NULL, attempts INTEGER, last_error TEXT NULL,
 *            PRIMARY KEY(id, channel))     one row per notification and notifier: delivered once, recorded
 * alert_state(subject TEXT PRIMARY KEY, ...) the policy's tracks
 * refusals(id TEXT, channel TEXT, at INTEGER, title TEXT, error TEXT)  the last {@value #REFUSALS_KEPT} notifications
 *                                           a server refused for good (see {@link RefusedException})
 * meta(key TEXT PRIMARY KEY, value TEXT)    schema_version; running (1 from start to a clean stop)
 * </pre>
 * {@code refusals} came after version 1 without a new version: it is created when missing, and an agent that does
 * not know it leaves it alone.
 * Times are epoch milliseconds of agent time. One connection guarded by this object's monitor; every method may
 * throw {@link OutboxException}.
 */
final class Outbox implements AutoCloseable {

    static final int SCHEMA_VERSION = 1;
    /** How many refusals are kept for a person to look at; older ones are deleted. */
    static final int REFUSALS_KEPT = 100;

    private final Path file;
    private final Connection connection;
    private final boolean previousRunUnclean;

    /** A delivery still owed: the notification, which notifier, and how often it failed so far. */
    record Pending(Notification notification, String channel, int attempts, String lastError) {
    }

    /** A notification that {@code channel}'s server refused for good at {@code at}, with what it answered. */
    record Refusal(String id, String channel, Instant at, String title, String error) {
    }

    private Outbox(Path file, Connection connection, boolean previousRunUnclean) {
        this.file = file;
        this.connection = connection;
        this.previousRunUnclean = previousRunUnclean;
    }

    /**
     * Opens (or creates) the outbox and marks this run as running. Deliveries owed to a notifier that is no longer
     * configured are given up here, since nothing would ever deliver them.
     *
     * @param channels the configured notifiers' names
     */
    static Outbox open(Path file, Collection<String> channels) {
        Objects.requireNonNull(file, "file");
        Connection connection = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(3_000);
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // FULL: a notification and its delivery record are few and must survive a power cut
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            boolean unclean;
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("BEGIN IMMEDIATE");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS notifications(id TEXT PRIMARY KEY, agent_id TEXT NOT NULL,"
                        + " subject TEXT NOT NULL, state TEXT NOT NULL, priority TEXT NOT NULL, at INTEGER NOT NULL,"
                        + " since INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS deliveries(id TEXT NOT NULL, channel TEXT NOT NULL,"
                        + " delivered_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
                        + " PRIMARY KEY(id, channel))");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS alert_state(subject TEXT PRIMARY KEY,"
                        + " active INTEGER NOT NULL, since INTEGER, headline TEXT, detail TEXT, doing TEXT,"
                        + " check_first TEXT, told_at INTEGER, told_active INTEGER NOT NULL, held INTEGER NOT NULL,"
                        + " held_since INTEGER)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS refusals(id TEXT NOT NULL, channel TEXT NOT NULL,"
                        + " at INTEGER NOT NULL, title TEXT NOT NULL, error TEXT NOT NULL)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)");
                s.executeUpdate("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION
                        + "')");
                try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                    String version = rs.next() ? rs.getString(1) : null;
                    if (!String.valueOf(SCHEMA_VERSION).equals(version)) {
                        s.executeUpdate("ROLLBACK");
                        throw new OutboxException("cannot open " + file + ": it has schema version " + version
                                + ", this agent knows " + SCHEMA_VERSION + "; upgrade the agent, or move the file away"
                                + " (pending notifications in it are then lost)");
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'running'")) {
                    unclean = rs.next() && "1".equals(rs.getString(1));
                }
                s.executeUpdate("INSERT OR REPLACE INTO meta(key, value) VALUES ('running', '1')");
                s.executeUpdate("COMMIT");
            }
            Outbox outbox = new Outbox(file, connection, unclean);
            outbox.forgetChannelsOtherThan(channels);
            return outbox;
        } catch (SQLException | IOException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the open failed already; that is what gets reported
                }
            }
            throw new OutboxException("cannot open the notification outbox " + file + ": " + e.getMessage()
                    + "; check that the data directory is writable for the agent's user", e);
        }
    }

    /** Whether the previous run of the agent did not reach {@link #markCleanStop()}: a crash, a kill, a power cut. */
    boolean previousRunEndedUncleanly() {
        return previousRunUnclean;
    }

    Path file() {
        return file;
    }

    private synchronized void forgetChannelsOtherThan(Collection<String> channels) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < channels.size(); i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        String sql = "DELETE FROM deliveries WHERE delivered_at IS NULL"
                + (channels.isEmpty() ? "" : " AND channel NOT IN (" + in + ")");
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            int i = 1;
            for (String channel : channels) {
                delete.setString(i++, channel);
            }
            delete.executeUpdate();
        }
    }

    /** Stores the policy's new state and its notifications, each owed to every channel, in one transaction. */
    synchronized void record(AlertPolicy.State state, List<Notification> notifications, Collection<String> channels) {
        inTransaction(() -> {
            try (PreparedStatement put = connection.prepareStatement("INSERT OR REPLACE INTO alert_state(subject,"
                    + " active, since, headline, detail, doing, check_first, told_at, told_active, held,"
                    + " held_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Map.Entry<Subject, AlertPolicy.Track> e : state.tracks().entrySet()) {
                    AlertPolicy.Track t = e.getValue();
                    AlertPolicy.Description d = t.description();
                    put.setString(1, e.getKey().wire());
                    put.setInt(2, t.active() ? 1 : 0);
                    setMillis(put, 3, t.since());
                    put.setString(4, d == null ? null : d.headline());
                    put.setString(5, d == null ? null : d.detail());
                    put.setString(6, d == null ? null : d.doing());
                    put.setString(7, d == null ? null : d.check());
                    setMillis(put, 8, t.toldAt());
                    put.setInt(9, t.toldActive() ? 1 : 0);
                    put.setInt(10, t.held());
                    setMillis(put, 11, t.heldSince());
                    put.addBatch();
                }
                put.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT OR IGNORE INTO notifications(id,"
                    + " agent_id, subject, state, priority, at, since, title, text)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement owe = connection.prepareStatement(
                         "INSERT OR IGNORE INTO deliveries(id, channel) VALUES (?, ?)")) {
                for (Notification n : notifications) {
                    insert.setString(1, n.id());
                    insert.setString(2, n.agentId());
                    insert.setString(3, n.subject().wire());
                    insert.setString(4, n.state().wire());
                    insert.setString(5, n.priority().wire());
                    insert.setLong(6, n.at().toEpochMilli());
                    insert.setLong(7, n.since().toEpochMilli());
                    insert.setString(8, n.title());
                    insert.setString(9, n.text());
                    insert.addBatch();
                    for (String channel : channels) {
                        owe.setString(1, n.id());
                        owe.setString(2, channel);
                        owe.addBatch();
                    }
                }
                insert.executeBatch();
                owe.executeBatch();
            }
        });
    }

    /** The policy's state as last recorded; empty for a new outbox. */
    synchronized AlertPolicy.State loadState() {
        Map<Subject, AlertPolicy.Track> tracks = new EnumMap<>(Subject.class);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT subject, active, since, headline, detail, doing, check_first,"
                     + " told_at, told_active, held, held_since FROM alert_state")) {
            while (rs.next()) {
                Subject subject = subject(rs.getString(1));
                if (subject == null) {
                    continue;
                }
                String headline = rs.getString(4);
                AlertPolicy.Description d = headline == null ? null
                        : new AlertPolicy.Description(headline, rs.getString(5), rs.getString(6), rs.getString(7));
                tracks.put(subject, new AlertPolicy.Track(rs.getInt(2) == 1, millis(rs, 3), d, millis(rs, 8),
                        rs.getInt(9) == 1, rs.getInt(10), millis(rs, 11)));
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot read the notification outbox " + file + ": " + e.getMessage(), e);
        }
        return new AlertPolicy.State(tracks);
    }

    /** The oldest deliveries still owed by {@code channel}, oldest first. */
    synchronized List<Pending> pending(String channel, int limit) {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT n.id, n.agent_id, n.subject, n.state,"
                + " n.priority, n.at, n.since, n.title, n.text, d.attempts, d.last_error FROM deliveries d"
                + " JOIN notifications n ON n.id = d.id WHERE d.channel = ? AND d.delivered_at IS NULL"
                + " ORDER BY n.at, n.id LIMIT ?")) {
            select.setString(1, channel);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Subject subject = subject(rs.getString(3));
                    if (subject == null) {
                        continue;
                    }
                    Notification n = new Notification(rs.getString(1), rs.getString(2), subject,
                            state(rs.getString(4)), priority(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)),
                            Instant.ofEpochMilli(rs.getLong(7)), rs.getString(8), rs.getString(9));
                    out.add(new Pending(n, channel, rs.getInt(10), rs.getString(11)));
                }
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot read the notification outbox " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Records that {@code channel} delivered {@code id}; it is never sent through that channel again. */
    synchronized void delivered(String id, String channel, Instant at) {
        update("UPDATE deliveries SET delivered_at = ?, last_error = NULL WHERE id = ? AND channel = ?",
                at.toEpochMilli(), id, channel);
        deleteDone();
    }

    /** Records a failed attempt. */
    synchronized void failed(String id, String channel, String error) {
        update("UPDATE deliveries SET attempts = attempts + 1, last_error = ? WHERE id = ? AND channel = ?", error, id,
                channel);
    }

    /** Gives up a delivery (too old); recorded like a delivery, so it is not tried again. */
    synchronized void dropped(String id, String channel, Instant at) {
        update("UPDATE deliveries SET delivered_at = ? WHERE id = ? AND channel = ?", -at.toEpochMilli(), id,
                channel);
        deleteDone();
    }

    /**
     * Gives up a delivery that {@code channel}'s server refused for good: recorded like a delivery, so it is not
     * tried again, and kept in {@code refusals} with the server's answer.
     */
    synchronized void refused(Notification n, String channel, Instant at, String error) {
        inTransaction(() -> {
            update("INSERT INTO refusals(id, channel, at, title, error) VALUES (?, ?, ?, ?, ?)", n.id(), channel,
                    at.toEpochMilli(), n.title(), error);
            update("DELETE FROM refusals WHERE rowid NOT IN (SELECT rowid FROM refusals ORDER BY rowid DESC"
                    + " LIMIT " + REFUSALS_KEPT + ")");
            update("UPDATE deliveries SET delivered_at = ?, last_error = ? WHERE id = ? AND channel = ?",
                    -at.toEpochMilli(), error, n.id(), channel);
            deleteDone();
        });
    }

    /** The refusals kept, oldest first. */
    synchronized List<Refusal> refusals() {
        List<Refusal> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, channel, at, title, error FROM refusals ORDER BY rowid")) {
            while (rs.next()) {
                out.add(new Refusal(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot read the notification outbox " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** How many deliveries are owed, over all channels. */
    synchronized int owed() {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM deliveries WHERE delivered_at IS NULL")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new OutboxException("cannot read the notification outbox " + file + ": " + e.getMessage(), e);
        }
    }

    /** Marks the run as ended cleanly: the next start does not report an unclean stop. */
    synchronized void markCleanStop() {
        update("INSERT OR REPLACE INTO meta(key, value) VALUES ('running', ?)", "0");
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new OutboxException("cannot close the notification outbox " + file + ": " + e.getMessage(), e);
        }
    }

    /** Notifications every channel is done with (delivered or dropped) are not needed any more. */
    private void deleteDone() {
        update("DELETE FROM notifications WHERE id NOT IN (SELECT id FROM deliveries WHERE delivered_at IS NULL)");
        update("DELETE FROM deliveries WHERE id NOT IN (SELECT id FROM notifications)");
    }

    /** Work on the connection that may throw SQLException. */
    private interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} as one transaction: all of it is recorded, or none. */
    private void inTransaction(Work work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new OutboxException("cannot write to the notification outbox " + file + ": " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("cannot write to the notification outbox " + file + ": " + e.getMessage(), e);
        }
    }

    private static void setMillis(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, java.sql.Types.INTEGER);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant millis(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Subject subject(String wire) {
        for (Subject s : Subject.values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return null;
    }

    private static Notification.State state(String wire) {
        for (Notification.State s : Notification.State.values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return Notification.State.NOTICE;
    }

    private static Notification.Priority priority(String wire) {
        for (Notification.Priority p : Notification.Priority.values()) {
            if (p.wire().equals(wire)) {
                return p;
            }
        }
        return Notification.Priority.DEFAULT;
    }
}
