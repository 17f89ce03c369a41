package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.store.EventStore;
import dev.spike.agent.testing.Soak;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.Event;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: a simulated agent process is killed with SIGKILL in the middle of a spray, again and again, and
 * restarted on the same data directory, as systemd would. The simulated relay line lives in a file and outlives the
 * process, as a real GPIO line does.
 *
 * <p>Every restart must close the valve before anything else, record the cut-off spray, keep the cooldown (the
 * simulated terrarium starts dry, so the first reading after a restart wants a spray at once), and never carry out
 * a command twice, although the broker delivers a command again that the killed agent had not acknowledged.
 */
class KilledMidSprayTest {

    private static final String AGENT = "killed-mid-spray";
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final int MANUAL_S = 10;

    @TempDir
    Path dir;

    private final Codec codec = new Codec();

    @Test
    void aRestartClosesTheValveFirstKeepsTheCooldownAndNeverSpraysTwice() throws Exception {
        int kills = Soak.count(4, 40);
        Path data = dir.resolve("data");
        Path line = data.resolve("sim-relay-line");
        Path config = config();
        Random random = new Random(20261121);
        List<String> commands = new ArrayList<>();
        long lastSeq = 0;
        try (StationClient station = EmbeddedBroker.shared().station("station-" + AGENT)) {
            for (int restart = 0; restart <= kills; restart++) {
                Path log = dir.resolve("agent-" + restart + ".log");
                Process agent = start(config, data, log);
                try {
                    long after = lastSeq;
                    AgentStarted started = awaitEvent(station, agent, log, AgentStarted.class, e -> e.seq() > after);
                    if (restart > 0) {
                        // no spray can have started yet: the cooldown holds the automatic one, no command was sent
                        assertThat(Files.readString(line)).as("relay line when agent #%d announced itself", restart)
                                .isEqualTo("0");
                        // the dry terrarium asks for a spray at the first reading, and the cooldown answers
                        SpraySkipped skipped = awaitEvent(station, agent, log, SpraySkipped.class,
                                e -> e.seq() > started.seq() && e.trigger() == SprayTrigger.LOW_HUMIDITY);
                        assertThat(skipped.reason()).startsWith("cooldown until");
                    }
                    if (restart == kills) {
                        agent.destroy(); // SIGTERM: a clean stop ends the run
                        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
                        break;
                    }

                    ValveOpened spray;
                    if (restart == 0) {
                        // the terrarium starts dry: the first reading sprays by the rules
                        spray = awaitEvent(station, agent, log, ValveOpened.class, e -> e.seq() > started.seq());
                        assertThat(spray.reason()).isEqualTo(SprayReason.LOW_HUMIDITY);
                    } else {
                        String id = "kill-" + restart;
                        commands.add(id);
                        station.publish(Topic.of(AGENT, TopicKind.CMD_SPRAY), codec.encode(new SprayCommand(id, MANUAL_S)));
                        spray = awaitEvent(station, agent, log, ValveOpened.class,
                                e -> id.equals(e.commandId()));
                    }

                    // SIGKILL at a random moment of the spray, at least a second before it would end by itself
                    long killAt = System.nanoTime()
                            + TimeUnit.MILLISECONDS.toNanos(random.nextInt(spray.durationS() * 1000 - 1000));
                    await().pollInterval(Duration.ofMillis(5)).until(() -> System.nanoTime() >= killAt);
                    agent.destroyForcibly();
                    assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
                    assertThat(Files.readString(line)).as("the killed agent left the relay open").isEqualTo("1");
                    lastSeq = station.events(AGENT).stream().mapToLong(Event::seq).max().orElse(lastSeq);
                } finally {
                    if (agent.isAlive()) {
                        agent.destroyForcibly();
                    }
                }
            }
        }

        List<Event> events;
        try (EventStore store = EventStore.open(data.resolve(AGENT + ".db"), AGENT)) {
            events = store.read(1, 1_000_000);
        }
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq without a gap").isEqualTo(i + 1);
        }
        assertThat(events).filteredOn(AgentStarted.class::isInstance).hasSize(kills + 1);

        // Every spray is closed in the record exactly once. One cut off by SIGKILL is closed by the restart, right
        // before agent_started and at its time, with how long it can have been open at most (until the restart).
        List<ValveOpened> sprays = new ArrayList<>();
        ValveOpened open = null;
        int closedByRestart = 0;
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event instanceof ValveOpened) {
                assertThat(open).as("a spray opened while #%d was still open", open == null ? 0 : open.seq())
                        .isNull();
                open = (ValveOpened) event;
                sprays.add(open);
            } else if (event instanceof ValveClosed) {
                assertThat(open).as("valve_closed #%d without an open spray", event.seq()).isNotNull();
                assertThat(((ValveClosed) event).openMs()).isBetween(0L, open.durationS() * 1000L);
                Event next = i + 1 < events.size() ? events.get(i + 1) : null;
                if (next instanceof AgentStarted && next.at().equals(event.at())) {
                    closedByRestart++;
                }
                open = null;
            }
        }
        assertThat(open).as("the last spray is closed").isNull();
        assertThat(closedByRestart).as("sprays cut off by SIGKILL, closed by the restart").isEqualTo(kills);

        // one automatic spray, the first; after each restart the dry terrarium meets the cooldown instead
        assertThat(sprays).filteredOn(s -> s.reason() != SprayReason.MANUAL).hasSize(1);
        assertThat(events).filteredOn(SpraySkipped.class::isInstance).map(SpraySkipped.class::cast)
                .filteredOn(s -> s.trigger() == SprayTrigger.LOW_HUMIDITY && s.reason().startsWith("cooldown"))
                .hasSizeGreaterThanOrEqualTo(kills);
        // each command carried out exactly once, redelivered or not
        assertThat(sprays.stream().filter(s -> s.reason() == SprayReason.MANUAL).map(ValveOpened::commandId)
                .collect(Collectors.toList())).containsExactlyElementsOf(commands);
        assertThat(Files.readString(line)).isEqualTo("0");
        System.out.printf("killed mid-spray %d times: %d events, %d sprays, each closed once%n", kills,
                events.size(), sprays.size());
    }

    /** The evening spray 12 hours away, so that every spray in the run comes from the dry start or a command. */
    private Path config() throws IOException {
        String evening = LocalTime.now(ZoneOffset.UTC).plusHours(12).format(DateTimeFormatter.ofPattern("HH:mm"));
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "rules.timeZone=UTC\nrules.eveningTime=" + evening + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static Process start(Path config, Path data, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.spike.agent.AgentMain",
                "--simulate", "--config", config.toString(), "--agent-id", AGENT, "--data-dir", data.toString(),
                "--broker", "tcp://127.0.0.1:" + EmbeddedBroker.shared().port())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static <T extends Event> T awaitEvent(StationClient station, Process agent, Path log, Class<T> type,
            Predicate<T> match) throws IOException {
        await().atMost(START_WAIT).until(() -> find(station, type, match).isPresent() || !agent.isAlive());
        assertThat(agent.isAlive()).as("agent output:%n%s", Files.readString(log)).isTrue();
        return find(station, type, match).orElseThrow();
    }

    private static <T extends Event> Optional<T> find(StationClient station, Class<T> type, Predicate<T> match) {
        return station.events(AGENT).stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
    }
}
