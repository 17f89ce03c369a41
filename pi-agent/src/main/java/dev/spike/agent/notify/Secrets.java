package dev.spike.agent.notify;

import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.SecretFile;
import java.nio.file.Path;

/**
 * Reads a notifier's secret (an ntfy token, an SMTP password) from its file when the agent starts
 * ({@link SecretFile}). A file every user of the machine may read is refused, not just warned about as the MQTT
 * password file is: whoever holds the token can post to the keeper's phone, or send mail as the agent.
 */
final class Secrets {

    private Secrets() {
    }

    /**
     * The first line of {@code file}, as {@link SecretFile#firstLine}.
     *
     * @param key the config key that names the file, for the message
     * @throws ConfigException if the file is missing, unreadable, empty or readable by others
     */
    static String read(Path file, String key) throws ConfigException {
        String what = key + " " + file;
        String secret = SecretFile.firstLine(file, what);
        if (SecretFile.othersMayRead(file)) {
            throw new ConfigException(what + " is readable by every user of this machine; `chmod 600 " + file
                    + "` and give it to the agent's user");
        }
        return secret;
    }
}
