package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {

    @TempDir
    Path dir;

    @Test
    void theSecretIsTheFirstLineWithoutItsLineEndingAndKeepsItsSpaces() throws Exception {
        Path unix = Files.writeString(dir.resolve("unix"), " pass word \nsecond line\n");
        Path windows = Files.writeString(dir.resolve("windows"), "pass word\r\n");
        Path bare = Files.writeString(dir.resolve("bare"), "s3cr3t");

        assertThat(SecretFile.firstLine(unix, "x")).isEqualTo(" pass word ");
        assertThat(SecretFile.firstLine(windows, "x")).isEqualTo("pass word");
        assertThat(SecretFile.firstLine(bare, "x")).isEqualTo("s3cr3t");
    }

    @Test
    void aMissingOrEmptyFileIsAConfigErrorThatNamesIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\nsecret on the second line\n");

        assertThatThrownBy(() -> SecretFile.firstLine(dir.resolve("none"), "notify.ntfy.tokenFile none"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("notify.ntfy.tokenFile none does not exist; put the secret on its first line and"
                        + " `chmod 600` the file");
        assertThatThrownBy(() -> SecretFile.firstLine(empty, "the file"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the file is empty; its first line is the secret");
    }

    @Test
    void tellsWhetherEveryUserMayRead() throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(SecretFile.othersMayRead(file)).isFalse();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretFile.othersMayRead(file)).isTrue();
    }
}
