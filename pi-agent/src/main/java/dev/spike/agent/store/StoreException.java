package dev.spike.agent.store;

import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The event store could not do what was asked. Unchecked: the agent's control loop goes through
 * {@link ResilientEventStore}, which never lets one escape; code that uses {@link EventStore} directly (tools,
 * tests, the benchmark) decides for itself.
 *
 * <p>The message names the file, what went wrong in words and SQLite's code, and what a person can do about it:
 * "cannot append to /var/lib/spike/events.db: disk full (SQLITE_FULL); free space on that partition".
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreException(String message) {
        super(message);
    }

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code action} reads as a verb phrase before the file: "append to", "read", "open". */
    static StoreException of(String action, Path file, SQLException cause) {
        return new StoreException("cannot " + action + " " + file + ": " + describe(cause), cause);
    }

    /** SQLite's error in words, with the code for searching and the remedy. */
    static String describe(SQLException e) {
        if (!(e instanceof SQLiteException)) {
            return String.valueOf(e.getMessage());
        }
        SQLiteErrorCode code = ((SQLiteException) e).getResultCode();
        // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...) share the primary code's low byte.
        SQLiteErrorCode primary = SQLiteErrorCode.getErrorCode(code.code & 0xff);
        String name = code.name();
        switch (primary) {
            case SQLITE_FULL:
                return "disk full (" + name + "); free space on that partition, or compact old readings";
            case SQLITE_READONLY:
            case SQLITE_PERM:
            case SQLITE_AUTH:
                return "the file or its directory is read-only (" + name + "); make both writable for the agent's"
                        + " user, or remount the partition read-write";
            case SQLITE_CANTOPEN:
                return "the file cannot be opened (" + name + "); check that the path names a file (not a"
                        + " directory) in a directory the agent's user can write";
            case SQLITE_IOERR:
                return "input/output error (" + name + "); the SD card may be failing, check `dmesg`";
            case SQLITE_CORRUPT:
            case SQLITE_NOTADB:
                return "the file is damaged or not a Spike database (" + name + "); move it away and restart the"
                        + " agent to begin a new store";
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return "the file is locked by another program (" + name + "); stop the other user of the file (a"
                        + " second agent, an open sqlite3 shell)";
            default:
                return String.valueOf(e.getMessage());
        }
    }
}
