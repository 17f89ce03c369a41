package dev.spike.agent.notify;

import dev.spike.agent.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reads a notifier's secret (an ntfy token, an SMTP password) from its file when the agent starts. A secret is
 * never in the properties file or on the command line. A file every user of the machine may read is refused, not
 * just warned about: whoever holds the token can post to the keeper's phone, or send mail as the agent.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * The first line of {@code file}.
     *
     * @param key the config key that names the file, for the message
     * @throws ConfigException if the file is missing, unreadable, empty or readable by others
     */
    public static String read(Path file, String key) throws ConfigException {
        String what = key + " " + file;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " does not exist; put the secret on its first line and"
                    + " `chmod 600` the file");
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read " + what + ": permission denied; give the file to the agent's"
                    + " user (sudo chown spike " + file + ")");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + ": " + e.getMessage());
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new ConfigException(what + " is readable by every user of this machine (mode "
                        + PosixFilePermissions.toString(permissions) + "); `chmod 600 " + file + "` and give it to"
                        + " the agent's user");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: no permission bits to judge
        } catch (IOException e) {
            throw new ConfigException("cannot read the permissions of " + what + ": " + e.getMessage());
        }
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        if (line.isEmpty()) {
            throw new ConfigException(what + " is empty; its first line is the secret");
        }
        return line;
    }
}
