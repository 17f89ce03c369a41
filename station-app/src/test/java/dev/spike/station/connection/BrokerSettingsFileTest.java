package dev.spike.station.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.InvalidFieldException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSettingsFileTest {

    @TempDir
    Path dir;

    @Test
    void hasNothingBeforeTheFirstSave() {
        assertThat(BrokerSettingsFile.inDir(dir.resolve("spike-station")).load()).isEmpty();
    }

    @Test
    void savesAndLoadsTheSettings() {
        BrokerSettingsFile file = BrokerSettingsFile.inDir(dir.resolve("spike-station"));
        BrokerSettings settings = BrokerSettings.parse("tcp://pi.local:1884", "station", "s3cr3t", null);

        file.save(settings);

        assertThat(BrokerSettingsFile.inDir(dir.resolve("spike-station")).load()).contains(settings);
    }

    @Test
    void desktopNotificationsAreOnUntilTurnedOffAndKeepTheBrokerSettings() {
        BrokerSettingsFile file = BrokerSettingsFile.inDir(dir.resolve("spike-station"));
        BrokerSettings settings = BrokerSettings.parse("tcp://pi.local:1884", "station", "s3cr3t", null);
        file.save(settings);
        assertThat(file.desktopNotifications()).isTrue();

        file.saveDesktopNotifications(false);

        BrokerSettingsFile reread = BrokerSettingsFile.inDir(dir.resolve("spike-station"));
        assertThat(reread.desktopNotifications()).isFalse();
        assertThat(reread.load()).contains(settings);
    }

    @Test
    void aGarbledDesktopNotificationsSettingKeepsThemOn() throws Exception {
        BrokerSettingsFile file = BrokerSettingsFile.inDir(dir.resolve("spike-station"));
        file.saveDesktopNotifications(false);
        Files.writeString(file.file(), "desktop.notifications=flase\n");

        assertThat(file.desktopNotifications()).isTrue();
    }

    @Test
    void isReadableByItsOwnerOnly() throws Exception {
        Path configDir = dir.resolve("config").resolve("spike-station");
        BrokerSettingsFile file = BrokerSettingsFile.inDir(configDir);

        file.save(BrokerSettings.parse("tcp://pi", "station", "s3cr3t", null));

        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file())))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configDir)))
                    .isEqualTo("rwx------");
        } else {
            AclFileAttributeView acl = Files.getFileAttributeView(file.file(), AclFileAttributeView.class);
            assertThat(acl.getAcl()).extracting(AclEntry::principal).containsOnly(Files.getOwner(file.file()));
        }
        // no temporary file left behind
        try (Stream<Path> files = Files.list(configDir)) {
            assertThat(files).containsExactly(file.file());
        }
    }

    @Test
    void neverLogsThePassword() {
        try (LogCapture log = new LogCapture()) {
            BrokerSettingsFile.inDir(dir).save(BrokerSettings.parse("tcp://pi", "station", "s3cr3t-pw", null));

            assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains("s3cr3t-pw"));
        }
    }

    @Test
    void generatesTheStationIdOnceAndKeepsIt() {
        BrokerSettingsFile file = BrokerSettingsFile.inDir(dir);
        String id = file.stationId();

        file.save(BrokerSettings.parse("tcp://pi", null, null, null));

        assertThat(id).matches("station-[0-9a-f]{8}");
        assertThat(BrokerSettingsFile.inDir(dir).stationId()).isEqualTo(id);
        assertThat(file.load()).isPresent();
    }

    @Test
    void namesTheFileWhenSavedSettingsAreNoLongerValid() throws Exception {
        Path path = dir.resolve(BrokerSettingsFile.FILE_NAME);
        Files.writeString(path, "broker.uri=ssl://pi\nbroker.caFile=" + dir.resolve("gone.pem") + "\n");

        assertThatThrownBy(() -> new BrokerSettingsFile(path).load())
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("caFile cannot be read")
                .hasMessageContaining(path.toString());
    }
}
