package dev.spike.station.connection;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's settings file, {@value #FILE_NAME} in the user's config directory (see
 * {@code store.PlatformDirs#configDir}): the broker to use, the station's id and whether alarms make desktop
 * notifications.
 *
 * <p>The file holds the broker password in plain text, so it is readable by its owner only: mode 0600 in a 0700
 * directory on POSIX systems, an ACL with the owner alone on Windows. It is written to a temporary file with those
 * permissions first and then moved over the old one, so a crash never leaves half a file and there is no moment in
 * which the password is readable by others.
 *
 * <p>The station id names this station on the broker ({@code spike-station-<stationId>} as client id, the reply
 * topic {@code spike/<agentId>/reply/<stationId>}); it is generated once and kept, because the broker keeps the
 * station's persistent session under that client id.
 *
 * <p>Thread-safe.
 */
public final class BrokerSettingsFile {

    public static final String FILE_NAME = "station.properties";

    static final String STATION_ID = "station.id";
    static final String URI = "broker.uri";
    static final String USERNAME = "broker.username";
    static final String PASSWORD = "broker.password";
    static final String CA_FILE = "broker.caFile";
    static final String DESKTOP_NOTIFICATIONS = "desktop.notifications";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSettingsFile.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;

    public BrokerSettingsFile(Path file) {
        this.file = file;
    }

    /** {@value #FILE_NAME} in the given directory, usually {@code PlatformDirs.current().configDir()}. */
    public static BrokerSettingsFile inDir(Path configDir) {
        return new BrokerSettingsFile(configDir.resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /**
     * The saved broker settings; empty when none were saved yet.
     *
     * @throws InvalidFieldException if the saved settings are no longer valid (e.g. the CA file was removed); the
     *                               message names the field and the file
     * @throws UncheckedIOException  if the file exists but cannot be read
     */
    public synchronized Optional<BrokerSettings> load() {
        Properties properties = read();
        String uri = properties.getProperty(URI);
        if (uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BrokerSettings.parse(uri, properties.getProperty(USERNAME),
                    properties.getProperty(PASSWORD), properties.getProperty(CA_FILE)));
        } catch (InvalidFieldException e) {
            throw new InvalidFieldException(e.field(), e.reason() + " (in " + file + ")");
        }
    }

    /** Saves the settings, keeping the station id. */
    public synchronized void save(BrokerSettings settings) {
        Properties properties = read();
        properties.setProperty(URI, settings.uri().toString());
        put(properties, USERNAME, settings.username());
        put(properties, PASSWORD, settings.password());
        put(properties, CA_FILE, settings.caFile() == null ? null : settings.caFile().toString());
        write(properties);
        LOG.info("saved {} to {}", settings, file);
    }

    /**
     * Whether new alarms make desktop notifications while the window is in the background: on unless a person turned
     * them off. A value other than {@code true} or {@code false} is logged and read as on, so a typo never silences
     * an alarm.
     */
    public synchronized boolean desktopNotifications() {
        String value = read().getProperty(DESKTOP_NOTIFICATIONS);
        if (value == null || value.strip().equals("true")) {
            return true;
        }
        if (value.strip().equals("false")) {
            return false;
        }
        LOG.warn("{} has {}={}, neither true nor false; desktop notifications stay on", file, DESKTOP_NOTIFICATIONS,
                value);
        return true;
    }

    public synchronized void saveDesktopNotifications(boolean on) {
        Properties properties = read();
        properties.setProperty(DESKTOP_NOTIFICATIONS, Boolean.toString(on));
        write(properties);
    }

    /** This station's id, generated and saved on first use: {@code station-} and 8 random hex digits. */
    public synchronized String stationId() {
        Properties properties = read();
        String id = properties.getProperty(STATION_ID);
        if (id != null && Checks.AGENT_ID.matcher(id).matches()) {
            return id;
        }
        if (id != null) {
            LOG.warn("{} has an invalid {} \"{}\"; generating a new one", file, STATION_ID, id);
        }
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        id = "station-" + HexFormat.of().formatHex(bytes);
        properties.setProperty(STATION_ID, id);
        write(properties);
        return id;
    }

    private Properties read() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the station settings " + file + ": " + e
                    + "; check its permissions or delete it to start over", e);
        }
        return properties;
    }

    private void write(Properties properties) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            createPrivateDirectory(dir);
            temp = createPrivateFile(dir);
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, "Spike station settings: readable by its owner only, it holds the broker"
                        + " password");
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the station settings " + file + ": " + e
                    + "; make " + dir + " writable for your user", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("cannot delete the temporary file {}: {}", temp, e.toString());
                }
            }
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** A new empty file in {@code dir} that only the owner can read and write, from its first byte on. */
    private static Path createPrivateFile(Path dir) throws IOException {
        if (posix()) {
            return Files.createTempFile(dir, ".station", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Path temp = Files.createTempFile(dir, ".station", ".tmp");
        AclFileAttributeView acl = Files.getFileAttributeView(temp, AclFileAttributeView.class);
        if (acl != null) {
            UserPrincipal owner = Files.getOwner(temp);
            acl.setAcl(List.of(AclEntry.newBuilder()
                    .setType(AclEntryType.ALLOW)
                    .setPrincipal(owner)
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                    .build()));
        } else {
            LOG.warn("cannot restrict {} to its owner on this file system; protect the directory yourself", dir);
        }
        return temp;
    }

    private static void put(Properties properties, String key, String value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.setProperty(key, value);
        }
    }
}
