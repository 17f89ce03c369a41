package dev.spike.agent.link;

import dev.spike.model.event.CommandResult;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which command ids this agent has seen, and how it answered each: the same id twice executes once, and the second
 * answer repeats the first. Seeded from the store's recent {@code command_result} events, so a retry after a restart
 * is recognised too.
 *
 * <p>Bounded: it remembers the latest {@link #CAPACITY} answers. A station retries within seconds or minutes, and
 * a keeper sends a handful of commands a day. Confined to the agent thread.
 */
final class CommandLedger {

    static final int CAPACITY = 10_000;

    private final Map<String, CommandResult> answers = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandResult> eldest) {
            return size() > CAPACITY;
        }
    };
    /** Ids handed to the agent whose answer is not recorded yet. */
    private final Set<String> inProgress = new HashSet<>();

    /** Remembers stored answers, oldest first or newest first: the first answer of an id wins either way. */
    void seed(List<CommandResult> stored) {
        for (CommandResult result : stored) {
            CommandResult known = answers.get(result.commandId());
            if (known == null || result.seq() < known.seq()) {
                answers.put(result.commandId(), result);
            }
        }
    }

    /** The first answer to {@code commandId}, if it was answered. */
    Optional<CommandResult> answer(String commandId) {
        return Optional.ofNullable(answers.get(commandId));
    }

    boolean inProgress(String commandId) {
        return inProgress.contains(commandId);
    }

    /** The command is being carried out; a repeat waits for its answer instead of running it again. */
    void begin(String commandId) {
        if (inProgress.size() >= CAPACITY) {
            // only if answers never come, which the agent does not do; keep the set bounded all the same
            inProgress.clear();
        }
        inProgress.add(commandId);
    }

    /** A command_result was stored. */
    void answered(CommandResult result) {
        inProgress.remove(result.commandId());
        answers.putIfAbsent(result.commandId(), result);
    }

    /** Ids remembered with their answer: at most {@link #CAPACITY}, however many commands came. */
    int answeredCount() {
        return answers.size();
    }

    /** Ids begun and not answered yet: zero whenever the agent is idle, or an answer went missing. */
    int inProgressCount() {
        return inProgress.size();
    }
}
