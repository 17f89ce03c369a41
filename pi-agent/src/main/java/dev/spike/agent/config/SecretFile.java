package dev.spike.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

/**
 * A secret kept in a file readable by the agent only: the MQTT password, an ntfy token, the SMTP password. Secrets
 * are never in the properties file or on the command line, where {@code ps} or a backup would show them.
 */
public final class SecretFile {

    private SecretFile() {
    }

    /**
     * The first line of {@code file}, without its line ending ({@code \n} or {@code \r\n}); spaces are part of the
     * secret, since a password may hold them.
     *
     * @param what names the file for a person: "MQTT password file /etc/spike/mqtt-password (mqtt.passwordFile)"
     * @throws ConfigException if the file is missing, unreadable or has an empty first line
     */
    public static String firstLine(Path file, String what) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " does not exist; put the secret on its first line and `chmod 600` the"
                    + " file");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read " + what + ": permission denied; give the file to the agent's"
                    + " user (sudo chown spike " + file + ")");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + ": " + e.getMessage()
                    + "; check that the agent's user may read it");
        }
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new ConfigException(what + " is empty; its first line is the secret");
        }
        return line;
    }

    /**
     * Whether every user of the machine may read {@code file}. False where the file system has no POSIX permissions
     * (nothing to judge) or they cannot be read (the file was just read; only this check is lost).
     */
    public static boolean othersMayRead(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
