package dev.spike.station.store;

import java.nio.file.Path;
import java.sql.SQLException;

/** The station store could not be opened, read or written; the message says what to do. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }

    static StoreException of(String action, Path file, SQLException e) {
        String hint;
        String text = String.valueOf(e.getMessage());
        if (text.contains("SQLITE_FULL")) {
            hint = "the disk is full; free some space";
        } else if (text.contains("SQLITE_READONLY") || text.contains("SQLITE_CANTOPEN")) {
            hint = "make " + file.toAbsolutePath().getParent() + " and the file writable for your user";
        } else if (text.contains("SQLITE_CORRUPT") || text.contains("SQLITE_NOTADB")) {
            hint = "the file is damaged; move it away and the station starts a new one, fetching history again";
        } else if (text.contains("SQLITE_BUSY")) {
            hint = "another program holds the file; close other Spike stations using " + file;
        } else {
            hint = "see the cause below";
        }
        return new StoreException("cannot " + action + " the station store " + file + ": " + text + "; " + hint, e);
    }
}
