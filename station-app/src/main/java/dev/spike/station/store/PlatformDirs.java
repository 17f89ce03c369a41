package dev.spike.station.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the station keeps its files, by the conventions of each platform:
 *
 * <table>
 *   <caption>directories</caption>
 *   <tr><th>platform</th><th>settings ({@link #configDir})</th><th>history ({@link #dataDir})</th></tr>
 *   <tr><td>Linux and other Unix</td><td>{@code $XDG_CONFIG_HOME/spike-station}, else
 *       {@code ~/.config/spike-station}</td><td>{@code $XDG_DATA_HOME/spike-station}, else
 *       {@code ~/.local/share/spike-station}</td></tr>
 *   <tr><td>Windows</td><td>{@code %APPDATA%\spike-station}</td><td>{@code %LOCALAPPDATA%\spike-station}</td></tr>
 *   <tr><td>macOS</td><td colspan="2">{@code ~/Library/Application Support/spike-station}</td></tr>
 * </table>
 *
 * <p>As the XDG base directory specification says, a relative {@code XDG_*} value is ignored.
 *
 * @param configDir settings: the broker and the station id
 * @param dataDir   the station's store
 */
public record PlatformDirs(Path configDir, Path dataDir) {

    public static final String APP_DIR = "spike-station";

    /** The directories of the user running this JVM. */
    public static PlatformDirs current() {
        return of(System.getProperty("os.name", ""), System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The directories for an OS name (as in {@code os.name}), an environment and a home directory. */
    public static PlatformDirs of(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path roaming = absolute(env.get("APPDATA"), home.resolve("AppData").resolve("Roaming"));
            Path local = absolute(env.get("LOCALAPPDATA"), home.resolve("AppData").resolve("Local"));
            return new PlatformDirs(roaming.resolve(APP_DIR), local.resolve(APP_DIR));
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            Path support = home.resolve("Library").resolve("Application Support").resolve(APP_DIR);
            return new PlatformDirs(support, support);
        }
        Path config = absolute(env.get("XDG_CONFIG_HOME"), home.resolve(".config"));
        Path data = absolute(env.get("XDG_DATA_HOME"), home.resolve(".local").resolve("share"));
        return new PlatformDirs(config.resolve(APP_DIR), data.resolve(APP_DIR));
    }

    private static Path absolute(String value, Path fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Path path = Path.of(value);
            // On Windows "C:\Users\x\AppData\Roaming" is absolute; read on another OS in a test it is not, so
            // accept it when it looks like a drive path too.
            return path.isAbsolute() || value.matches("^[A-Za-z]:[\\\\/].*") ? path : fallback;
        } catch (InvalidPathException e) {
            return fallback;
        }
    }
}
