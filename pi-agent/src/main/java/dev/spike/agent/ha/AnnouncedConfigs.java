package dev.spike.agent.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery topics this data directory's agent announced to Home Assistant and has not withdrawn yet, one per line
 * in {@code home-assistant-announced.txt}. The broker keeps a retained config until someone clears it, so an agent
 * whose discovery was switched off, whose prefix or agent id changed, or that no longer offers an entity, must know
 * what it left there: across restarts, hence a file. A topic is written here before it is announced and removed only
 * once the broker acknowledged its withdrawal.
 *
 * <p>Used from one thread (the link thread). A file that cannot be read or written costs only the withdrawal: it is
 * logged, never thrown.
 */
public final class AnnouncedConfigs {

    public static final String FILE_NAME = "home-assistant-announced.txt";

    private static final Logger LOG = LoggerFactory.getLogger(AnnouncedConfigs.class);

    private final Path file;
    private final Set<String> topics = new LinkedHashSet<>();

    private AnnouncedConfigs(Path file) {
        this.file = file;
    }

    /** Reads the list in {@code dataDir}; none yet is an empty list. */
    public static AnnouncedConfigs in(Path dataDir) {
        AnnouncedConfigs announced = new AnnouncedConfigs(dataDir.resolve(FILE_NAME));
        try {
            for (String line : Files.readAllLines(announced.file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    announced.topics.add(line.strip());
                }
            }
        } catch (NoSuchFileException e) {
            // nothing announced from here yet
        } catch (IOException e) {
            LOG.warn("cannot read {} ({}); Home Assistant configs announced before cannot be withdrawn; clear them"
                    + " with mosquitto_pub -r -n -t <topic>", announced.file, e.toString());
        }
        return announced;
    }

    /** The topics announced and not withdrawn, in the order they were first announced. */
    public List<String> topics() {
        return new ArrayList<>(topics);
    }

    /** Records topics about to be announced. */
    public void add(Collection<String> announcing) {
        if (topics.addAll(announcing)) {
            save();
        }
    }

    /** Forgets a topic whose withdrawal the broker acknowledged. */
    public void remove(String withdrawn) {
        if (topics.remove(withdrawn)) {
            save();
        }
    }

    private void save() {
        try {
            if (topics.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Path next = file.resolveSibling(FILE_NAME + ".tmp");
            Files.write(next, topics, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write {} ({}); a later withdrawal of Home Assistant configs may miss some", file,
                    e.toString());
        }
    }
}
