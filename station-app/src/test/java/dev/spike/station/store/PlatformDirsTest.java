package dev.spike.station.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformDirsTest {

    private static final Path HOME = Path.of("/home/alice");

    @Test
    void followsXdgOnLinux() {
        PlatformDirs dirs = PlatformDirs.of("Linux", Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data"),
                HOME);

        assertThat(dirs.configDir()).isEqualTo(Path.of("/cfg/spike-station"));
        assertThat(dirs.dataDir()).isEqualTo(Path.of("/data/spike-station"));
    }

    @Test
    void fallsBackToTheXdgDefaultsAndIgnoresRelativeValues() {
        PlatformDirs dirs = PlatformDirs.of("Linux", Map.of("XDG_CONFIG_HOME", "relative/cfg"), HOME);

        assertThat(dirs.configDir()).isEqualTo(Path.of("/home/alice/.config/spike-station"));
        assertThat(dirs.dataDir()).isEqualTo(Path.of("/home/alice/.local/share/spike-station"));
    }

    @Test
    void usesAppDataOnWindows() {
        String roaming = "C:\\Users\\alice\\AppData\\Roaming";
        String local = "C:\\Users\\alice\\AppData\\Local";
        PlatformDirs dirs = PlatformDirs.of("Windows 11", Map.of("APPDATA", roaming, "LOCALAPPDATA", local), HOME);

        assertThat(dirs.configDir().toString()).startsWith(roaming).endsWith("spike-station");
        assertThat(dirs.dataDir().toString()).startsWith(local).endsWith("spike-station");
    }

    @Test
    void usesApplicationSupportOnMacOs() {
        PlatformDirs dirs = PlatformDirs.of("Mac OS X", Map.of("XDG_CONFIG_HOME", "/cfg"), HOME);

        assertThat(dirs.configDir()).isEqualTo(Path.of("/home/alice/Library/Application Support/spike-station"));
        assertThat(dirs.dataDir()).isEqualTo(dirs.configDir());
    }
}
