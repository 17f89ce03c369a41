package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import dev.spike.agent.Agent;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.testing.LogCapture;
import dev.spike.agent.testing.Soak;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.agent.valve.Valve;
import dev.spike.model.CommandKind;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.TankLevel;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.Command;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes every inbound topic of the agent through a real broker (embedded HiveMQ) into a whole simulated agent:
 * {@code cmd/spray}, {@code cmd/config}, {@code cmd/history}, {@code sim/set}, command topics protocol v1 does not
 * have (the agent subscribes to {@code cmd/+}) and, with discovery on, Home Assistant's status. Each run sends
 * {@link #PAYLOADS} generated and mutated payloads (see {@link PayloadFuzzer}), to a simulated agent and to a real one
 * (which must refuse every {@code sim/set}), and then proves:
 * <ol>
 *   <li>no crash: the agent thread still runs, a valid spray still opens the valve, and nothing was logged as an
 *       error or as an exception that escaped a handler;</li>
 *   <li>no valve opening but for a payload that the shared codec itself decodes as a valid spray command;</li>
 *   <li>memory bounded: heap after GC grows less than {@link #HEAP_GROWTH_BOUND}, and the command dedupe state
 *       stays within its capacity;</li>
 *   <li>every command id the agent can read gets its {@code command_result} (all of them, counted in the store;
 *       none is dropped, see {@link #MARK_EVERY}), and for a sample of the rejected ones it is the rejection
 *       docs/protocol.md promises, as a station receives it.</li>
 * </ol>
 *
 * <p>The seed is printed; {@code -Dspike.fuzz.seed=N} replays a run. {@code -Dspike.long=true} sends 1,000,000.
 */
class InboundFuzzTest {

    static final int PAYLOADS = Soak.count(100_000, 1_000_000);
    static final long SEED = Long.getLong("spike.fuzz.seed", 20_261_121L);
    static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Flow control: a round of markers (a broken command with a known id on each command topic) follows every
     * {@value} commands with a readable id, and at most {@link #MARKS_AHEAD} rounds may be unanswered. Only such
     * commands wait for the agent thread (the others are dropped on the client thread), so at most
     * 3 * (50 + 4) + 50 = 212 wait, below the {@link CommandHandler#MAX_WAITING} at which the agent drops commands:
     * every command is answered, and counted. A broker keeps the order of the messages on one topic only, hence a
     * marker on each.
     */
    static final int MARK_EVERY = 50;
    static final int MARKS_AHEAD = 3;
    static final List<TopicKind> COMMAND_TOPICS = List.of(TopicKind.CMD_SPRAY, TopicKind.CMD_CONFIG,
            TopicKind.CMD_HISTORY, TopicKind.SIM_SET);
    /**
     * Valid sprays could use up the valve's runaway budget (120 s per hour) so that the final check's spray would be
     * refused: the open time they may ask for, in total, stays below it.
     */
    static final int OPEN_BUDGET_S = 60;
    /** One in this many certain rejections is checked for its reason, as a station receives it. */
    static final int SAMPLE_EVERY = 20;
    /**
     * Over the heap used before the storm, after GC. The agent keeps the latest 10,000 answers by design (~4 MiB
     * measured); the rest is headroom for the broker and client in the same JVM.
     */
    static final long HEAP_GROWTH_BOUND = 32L * 1024 * 1024;
    static final List<String> UNKNOWN_COMMANDS = List.of("cmd/reboot", "cmd/Spray", "cmd/spray ", "cmd/",
            "cmd/history2", "cmd/sim", "cmd/set");
    static final String MARK = "mark-";
    static final AtomicInteger IDS = new AtomicInteger();
    static EmbeddedBroker broker;

    @TempDir
    Path dir;

    final Codec codec = new Codec();
    final List<AutoCloseable> closeables = new ArrayList<>();
    AgentRig rig;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.shared();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void simulatedAgentWithHomeAssistantSurvivesAFuzzStormOnEveryInboundTopic() throws Exception {
        storm(true, true);
    }

    @Test
    void realAgentSurvivesAFuzzStormAndRefusesEverySimSet() throws Exception {
        Storm storm = storm(false, false);
        // sim/set must not have touched the hardware underneath, however valid it was
        assertThat(storm.validSimSets).isPositive();
        assertThat(rig.onAgentThread(() -> rig.simulation.sensor().fault())).isEqualTo(SensorFault.OK);
        assertThat(rig.onAgentThread(() -> rig.simulation.terrarium().tank())).isEqualTo(TankLevel.FULL);
    }

    private Storm storm(boolean simulated, boolean homeAssistant) throws Exception {
        String agent = "fuzz-" + IDS.incrementAndGet();
        LinkConfig link = broker.link(agent);
        rig = new AgentRig(dir, agent, homeAssistant ? link.withHomeAssistantDiscovery() : link, 1, simulated);
        Storm storm = new Storm(agent, simulated, homeAssistant);
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        await().atMost(WAIT).until(() -> storm.watcherSaw(Topic.status(agent)));

        // every class that logs a failure of the agent thread, the link, the store or the valve
        List<LogCapture> logs = new ArrayList<>();
        for (Class<?> source : List.of(Agent.class, MqttLink.class, CommandHandler.class, Forwarder.class,
                HistoryResponder.class, ResilientEventStore.class, ScaledScheduler.class, Valve.class)) {
            LogCapture capture = new LogCapture(source);
            logs.add(capture);
            closeables.add(capture);
        }
        LogCapture linkLog = logs.get(1);
        long heapBefore = usedHeapAfterGc();
        long storeBefore = rig.store.sizeBytes();
        long started = System.nanoTime();
        // The handler's lines (a WARN and an INFO per broken command) and the event journal (a line per
        // command_result) are documented behaviour; 100,000s of them would only flood the build log. Errors still
        // reach the captures.
        Logger handlerLog = (Logger) LoggerFactory.getLogger(CommandHandler.class);
        Logger journal = (Logger) LoggerFactory.getLogger("event");
        Level handlerLevel = handlerLog.getLevel();
        Level journalLevel = journal.getLevel();
        handlerLog.setLevel(Level.ERROR);
        journal.setLevel(Level.WARN);
        try {
            storm.run();
        } finally {
            handlerLog.setLevel(handlerLevel);
            journal.setLevel(journalLevel);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // quiet again: every event out to the broker, the last history pages sent
        await().atMost(WAIT).until(() -> rig.link.ackedSeq() >= rig.store.lastSeq());
        storm.forgetSeenIds();
        long heapAfter = usedHeapAfterGc();
        long storeAfter = rig.store.sizeBytes();
        CommandLedger ledger = rig.link.commandLedger();
        int answered = rig.onAgentThread(ledger::answeredCount);
        int inProgress = rig.onAgentThread(ledger::inProgressCount);

        // (1) no crash: the agent thread runs and a valid spray still opens the valve
        assertThat(rig.onAgentThread(rig.agent::isRunning)).isTrue();
        await().atMost(Duration.ofSeconds(Rules.ABSOLUTE_MAX_SPRAY_S + 5))
                .until(() -> !rig.onAgentThread(() -> rig.agent.snapshot().valveOpen()));
        String finalId = "final-" + agent;
        storm.publishNow(Topic.of(agent, TopicKind.CMD_SPRAY), codec.encode(new SprayCommand(finalId, 1)));
        await().atMost(WAIT).until(() -> storm.answers.containsKey(finalId));
        assertThat(storm.answers.get(finalId).accepted()).as("the final spray's answer: %s",
                storm.answers.get(finalId)).isTrue();
        await().atMost(WAIT).until(() -> valveOpenings(rig.storedEvents()).stream()
                .anyMatch(opened -> finalId.equals(opened.commandId())));
        for (LogCapture capture : logs) {
            assertThat(capture.messages(Level.ERROR)).as("errors logged during the storm").isEmpty();
        }
        // MqttLink.onInbound's last line of defence: what it catches is an exception CommandHandler let out
        assertThat(linkLog.messages(Level.WARN)).as("exceptions that escaped the command handler")
                .noneMatch(line -> line.startsWith("dropped a message on"));
        assertThat(storm.publishFailures).as("publishes the broker did not take, first: %s",
                storm.firstFailure.get()).hasValue(0);

        // (2) every opening of the valve came from a payload the codec decodes as a valid spray command
        List<Event> events = rig.storedEvents();
        List<ValveOpened> openings = valveOpenings(events);
        Set<String> allowed = new HashSet<>(storm.validSprays);
        allowed.add(finalId);
        assertThat(openings).allSatisfy(opened -> {
            assertThat(opened.reason()).isEqualTo(SprayReason.MANUAL);
            assertThat(opened.commandId()).isIn(allowed);
        });
        List<FakeValve.Transition> relay = rig.valveTransitions();
        assertThat(relay.stream().filter(FakeValve.Transition::open).count()).as("relay openings")
                .isEqualTo(openings.size());

        // (3) memory bounded, and so is the dedupe state
        assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(HEAP_GROWTH_BOUND);
        assertThat(storm.freshIds).as("enough distinct ids to fill the ledger").isGreaterThan(CommandLedger.CAPACITY);
        assertThat(answered).isEqualTo(CommandLedger.CAPACITY);
        assertThat(inProgress).as("commands begun but never answered").isZero();

        // (4) every command id was answered (an id repeated after the ledger forgot it may be answered again);
        // sampled rejections say what the protocol promises, as a station receives them
        Map<String, Long> resultsPerId = events.stream().filter(CommandResult.class::isInstance)
                .map(event -> ((CommandResult) event).commandId())
                .filter(id -> !id.startsWith(MARK) && !id.equals(finalId))
                .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        if (resultsPerId.size() != storm.freshIds) {
            Set<String> sent = storm.sentIds();
            Set<String> answeredOnly = new HashSet<>(resultsPerId.keySet());
            answeredOnly.removeAll(sent);
            Set<String> sentOnly = new HashSet<>(sent);
            sentOnly.removeAll(resultsPerId.keySet());
            List<String> handlerLines = new ArrayList<>();
            for (Level level : List.of(Level.WARN, Level.INFO)) {
                logs.get(2).messages(level).stream()
                        .filter(line -> answeredOnly.stream().anyMatch(line::contains)
                                || sentOnly.stream().anyMatch(line::contains))
                        .limit(20).forEach(line -> handlerLines.add(level + " " + line));
            }
            throw new AssertionError("distinct command ids answered: " + resultsPerId.size() + ", sent: "
                    + storm.freshIds + "; answered, never sent: " + quoted(answeredOnly.stream())
                    + "; sent, never answered: " + quoted(sentOnly.stream()) + "; CommandHandler on them: "
                    + quoted(handlerLines.stream()));
        }
        assertThat(storm.samples).hasSizeGreaterThan(PAYLOADS / 200);
        await().atMost(WAIT).until(() -> storm.answers.keySet().containsAll(storm.samples.keySet()));
        storm.samples.forEach((id, expected) -> {
            CommandResult result = storm.answers.get(id);
            assertThat(result.accepted()).as("accepted: %s", id).isFalse();
            assertThat(result.command()).as("command of %s", id).isEqualTo(expected.kind());
            if (expected.exact()) {
                assertThat(result.reason()).as("reason of %s", id).isEqualTo(expected.reason());
            } else {
                assertThat(result.reason()).as("reason of %s", id).startsWith(expected.reason());
            }
        });

        System.out.printf("InboundFuzzTest %s agent%s: %d payloads in %.1f s (%.0f/s), seed %d; %s; %d command"
                + " ids answered (%d rejections sampled and checked), %d re-rolled as able to spray, %d valve"
                + " openings (all from valid sprays); heap after GC %d -> %d MiB; ledger %d/%d; store %d -> %d KiB"
                + " (%d bytes per answer)%n",
                simulated ? "simulated" : "real", homeAssistant ? " with Home Assistant" : "", storm.sent, seconds,
                storm.sent / seconds, SEED, storm.perTopicSummary(), storm.freshIds, storm.samples.size(),
                storm.rerolled, openings.size(), heapBefore >> 20, heapAfter >> 20, answered,
                CommandLedger.CAPACITY, storeBefore >> 10, storeAfter >> 10,
                (storeAfter - storeBefore) / Math.max(1, storm.freshIds));
        return storm;
    }

    // ------------------------------------------------------------------------------------------------ storm

    /** A reason a rejection must carry: the exact text, or how it starts. */
    record Expected(CommandKind kind, String reason, boolean exact) {
    }

    /** Where a payload goes. */
    enum Route {
        SPRAY(TopicKind.CMD_SPRAY), CONFIG(TopicKind.CMD_CONFIG), HISTORY(TopicKind.CMD_HISTORY),
        SIM_SET(TopicKind.SIM_SET), UNKNOWN_COMMAND(null), HOME_ASSISTANT(null);

        final TopicKind kind;

        Route(TopicKind kind) {
            this.kind = kind;
        }
    }

    /** Tallies of one topic, for the summary line. */
    static final class Tally {
        int sent;
        int valid;
        int brokenWithId;
        int withoutId;
    }

    /** Ids as Java string literals, every char that is not printable ASCII escaped, at most 20. */
    static String quoted(Stream<String> ids) {
        return ids.limit(20).map(id -> {
            StringBuilder out = new StringBuilder("\"");
            id.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
                    ? String.valueOf((char) c) : String.format("\\u%04x", c)));
            return out.append('"').toString();
        }).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * One fuzzing station and one listening station against one agent. The sender is single-threaded and owns the
     * tallies; the listener's callbacks fill the concurrent maps.
     */
    private final class Storm {

        final String agent;
        final boolean simulated;
        final boolean homeAssistant;
        final PayloadFuzzer fuzzer;
        final Random random;
        final Mqtt5AsyncClient sender;
        final Mqtt5AsyncClient watcher;
        final Semaphore marks = new Semaphore(MARKS_AHEAD);
        final Set<String> marksAnswered = ConcurrentHashMap.newKeySet();
        final Map<String, AtomicInteger> roundsAnswered = new ConcurrentHashMap<>();
        final Set<String> watcherTopics = ConcurrentHashMap.newKeySet();
        /** The answers a station receives for the sampled ids and the final spray, first one each. */
        final Map<String, CommandResult> answers = new ConcurrentHashMap<>();
        final Map<String, Expected> samples = new ConcurrentHashMap<>();
        final AtomicInteger publishFailures = new AtomicInteger();
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        final Map<String, Tally> tallies = new LinkedHashMap<>();
        final Set<String> validSprays = new HashSet<>();
        /** Ids sent on a command topic so far: only a first one is carried out and answered by the agent. */
        Set<String> seen = new HashSet<>();
        int sent;
        int freshIds;
        int rerolled;
        int certainRejections;
        int validSimSets;
        int openBudgetUsedS;
        int marksSent;
        /** Commands with a readable id sent since the last marker. */
        int sinceMark;

        Storm(String agent, boolean simulated, boolean homeAssistant) throws Exception {
            this.agent = agent;
            this.simulated = simulated;
            this.homeAssistant = homeAssistant;
            this.fuzzer = new PayloadFuzzer(SEED, rig.scheduler::now);
            this.random = fuzzer.random();
            this.watcher = client("fuzz-watch-" + agent);
            watcher.publishes(MqttGlobalPublishFilter.ALL, this::received);
            watcher.connect().get(10, TimeUnit.SECONDS);
            watcher.subscribeWith().topicFilter(Topic.event(agent, EventType.COMMAND_RESULT).toString())
                    .qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
            watcher.subscribeWith().topicFilter(Topic.status(agent).toString()).qos(MqttQos.AT_LEAST_ONCE).send()
                    .get(10, TimeUnit.SECONDS);
            this.sender = client("fuzz-send-" + agent);
            sender.connect().get(10, TimeUnit.SECONDS);
        }

        private Mqtt5AsyncClient client(String id) {
            Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(id)
                    .serverHost(EmbeddedBroker.HOST).serverPort(broker.port()).buildAsync();
            closeables.add(() -> client.disconnect().get(5, TimeUnit.SECONDS));
            return client;
        }

        boolean watcherSaw(Topic topic) {
            return watcherTopics.contains(topic.toString());
        }

        private void received(Mqtt5Publish publish) {
            String topic = publish.getTopic().toString();
            watcherTopics.add(topic);
            Decoded<CommandResult> decoded = codec.decode(topic, publish.getPayloadAsBytes())
                    .as(CommandResult.class);
            if (!decoded.isOk()) {
                return;
            }
            String id = decoded.value().commandId();
            if (id.startsWith(MARK)) {
                // the forwarder may publish an event twice (after a reconnect); a round frees one slot, once
                String round = id.substring(0, id.indexOf('/'));
                if (marksAnswered.add(id) && roundsAnswered.computeIfAbsent(round, key -> new AtomicInteger())
                        .incrementAndGet() == COMMAND_TOPICS.size()) {
                    marks.release();
                }
            } else if (samples.containsKey(id) || id.startsWith("final-")) {
                answers.putIfAbsent(id, decoded.value());
            }
        }

        void run() throws InterruptedException {
            System.out.printf("InboundFuzzTest: seed %d (replay with -Dspike.fuzz.seed=%d), %d payloads%n", SEED,
                    SEED, PAYLOADS);
            for (int i = 0; i < PAYLOADS; i++) {
                if (sinceMark >= MARK_EVERY) {
                    mark(i);
                }
                Route route = route();
                switch (route) {
                    case HOME_ASSISTANT:
                        send(tally(HomeAssistantTopics.STATUS), HomeAssistantTopics.STATUS,
                                fuzzer.homeAssistantStatus(), MqttQos.AT_MOST_ONCE, null, null);
                        break;
                    case UNKNOWN_COMMAND: {
                        String suffix = UNKNOWN_COMMANDS.get(random.nextInt(UNKNOWN_COMMANDS.size()));
                        String topic = Topic.ROOT + "/" + agent + "/" + suffix;
                        send(tally("unknown cmd/*"), topic, fuzzer.payload(TopicKind.CMD_SPRAY),
                                MqttQos.AT_MOST_ONCE, null, null);
                        break;
                    }
                    default:
                        command(route.kind);
                }
            }
            // every marker answered: the agent has taken every payload before the last one
            mark(PAYLOADS);
            if (!marks.tryAcquire(MARKS_AHEAD, WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the agent did not answer the last markers within " + WAIT);
            }
            marks.release(MARKS_AHEAD);
        }

        private Route route() {
            int roll = random.nextInt(100);
            if (roll < 25) {
                return Route.SPRAY;
            }
            if (roll < 45) {
                return Route.CONFIG;
            }
            if (roll < 60) {
                return Route.HISTORY;
            }
            if (roll < 80) {
                return Route.SIM_SET;
            }
            if (roll < 90 || !homeAssistant) {
                return Route.UNKNOWN_COMMAND;
            }
            return Route.HOME_ASSISTANT;
        }

        private void command(TopicKind kind) {
            Topic topic = Topic.of(agent, kind);
            byte[] payload;
            Decoded<Object> decoded;
            while (true) {
                payload = fuzzer.payload(kind);
                decoded = codec.decode(topic, payload);
                if (!decoded.isOk() || quiet((Command) decoded.value())) {
                    break;
                }
                rerolled++;
            }
            String responseTopic = null;
            byte[] correlation = null;
            if (kind == TopicKind.CMD_HISTORY) {
                int roll = random.nextInt(100);
                if (roll < 5) {
                    // the pages go to a station nobody runs: the broker drops them, the agent still sends them all
                    responseTopic = Topic.reply(agent, "fuzz-station").toString();
                } else if (roll < 10) {
                    responseTopic = List.of("spike/" + agent + "/reply", "spike/other-agent/reply/x",
                            "spike/" + agent + "/status", "elsewhere").get(random.nextInt(4));
                }
                if (responseTopic != null) {
                    correlation = new byte[random.nextInt(20)];
                    random.nextBytes(correlation);
                }
            }
            Tally tally = tally(kind.wire());
            classify(kind, tally, payload, decoded, responseTopic);
            send(tally, topic.toString(), payload, MqttQos.AT_LEAST_ONCE, responseTopic, correlation);
        }

        /**
         * Whether a command the codec decodes as valid leaves the agent unable to spray by itself, so that every
         * valve opening can be traced to a spray command. A valid cmd/config that could make the rules spray (humid
         * threshold, an evening spray within hours, slower sensor reads that make the last reading stale) or a
         * sim/set that breaks the simulated sensor (sensor-down mode sprays at once) is drawn again: what such rules
         * do is SprayPolicyTest's business, not a fuzzer's. Sprays stay within the runaway budget, so the final
         * check can spray.
         */
        private boolean quiet(Command command) {
            if (command instanceof ConfigCommand) {
                return quietRules(((ConfigCommand) command).rules(), rig.scheduler.now());
            }
            if (command instanceof SimSetCommand) {
                SensorFault sensor = ((SimSetCommand) command).sensor();
                return !simulated || sensor == null || sensor == SensorFault.OK;
            }
            if (command instanceof SprayCommand) {
                SprayCommand spray = (SprayCommand) command;
                return spray.durationS() > 30 || openBudgetUsedS + spray.durationS() <= OPEN_BUDGET_S;
            }
            return true;
        }

        private void classify(TopicKind kind, Tally tally, byte[] payload, Decoded<Object> decoded,
                String responseTopic) {
            Optional<String> id = decoded.isOk() ? Optional.of(((Command) decoded.value()).id())
                    : codec.peekCommandId(payload);
            if (id.isPresent()) {
                sinceMark++;
            }
            if (decoded.isOk()) {
                tally.valid++;
            } else if (id.isPresent()) {
                tally.brokenWithId++;
            } else {
                tally.withoutId++;
            }
            Object command = decoded.isOk() ? decoded.value() : null;
            if (command instanceof SprayCommand) {
                // a repeated id as well: once the ledger forgot its first answer, the agent carries it out again
                SprayCommand spray = (SprayCommand) command;
                validSprays.add(spray.id());
                // the agent's maxSprayS is at most 30 under quiet rules: longer sprays are refused, never opened
                openBudgetUsedS += spray.durationS() <= 30 ? spray.durationS() : 0;
            }
            if (id.isEmpty() || !seen.add(id.get())) {
                return;
            }
            freshIds++;
            if (command instanceof SimSetCommand) {
                validSimSets++;
            }
            Expected expected = expectedRejection(kind, decoded, responseTopic);
            if (expected != null && ++certainRejections % SAMPLE_EVERY == 0) {
                samples.put(id.get(), expected);
            }
        }

        /** The rejection docs/protocol.md promises for this command, or null if the outcome is not certain. */
        private Expected expectedRejection(TopicKind kind, Decoded<Object> decoded, String responseTopic) {
            CommandKind commandKind = kind.commandKind();
            if (!decoded.isOk()) {
                // "A payload that does not decode is rejected with the decode error as the reason"
                String reason = decoded.error().toString();
                return new Expected(commandKind, reason.length() <= 500 ? reason : reason.substring(0, 499) + "…",
                        true);
            }
            if (kind == TopicKind.SIM_SET && !simulated) {
                return new Expected(commandKind, "sim/set is only for a simulated agent", false);
            }
            if (kind == TopicKind.CMD_HISTORY && responseTopic == null) {
                return new Expected(commandKind, "cmd/history needs an MQTT 5 response topic", false);
            }
            if (kind == TopicKind.CMD_HISTORY && !responseTopic.startsWith("spike/" + agent + "/reply/")) {
                return new Expected(commandKind, "the response topic must be spike/" + agent + "/reply/", false);
            }
            return null;
        }

        private void mark(int index) throws InterruptedException {
            if (!marks.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the agent stopped answering: no answer to marker " + (marksSent
                        - MARKS_AHEAD) + " within " + WAIT + " (at payload " + index + ")");
            }
            sinceMark = 0;
            String round = MARK + marksSent++;
            for (TopicKind kind : COMMAND_TOPICS) {
                // {"id":"mark-7/cmd/spray"} misses its other fields on every command topic: a certain rejection
                String id = round + "/" + kind.wire();
                seen.add(id);
                publishNow(Topic.of(agent, kind), PayloadFuzzer.bytes("{\"id\":\"" + id + "\"}"));
            }
        }

        void publishNow(Topic topic, byte[] payload) {
            send(null, topic.toString(), payload, MqttQos.AT_LEAST_ONCE, null, null);
        }

        private void send(Tally tally, String topic, byte[] payload, MqttQos qos, String responseTopic,
                byte[] correlation) {
            if (tally != null) {
                tally.sent++;
                sent++;
            }
            Mqtt5PublishBuilder.Complete message = Mqtt5Publish.builder().topic(topic).qos(qos).payload(payload);
            if (responseTopic != null) {
                message = message.responseTopic(responseTopic);
                if (correlation != null) {
                    message = message.correlationData(correlation);
                }
            }
            sender.publish(message.build()).whenComplete((result, error) -> {
                if (error != null) {
                    publishFailures.incrementAndGet();
                    firstFailure.compareAndSet(null, error);
                }
            });
        }

        private Tally tally(String topic) {
            return tallies.computeIfAbsent(topic, name -> new Tally());
        }

        /**
         * The sender's bookkeeping of every id is no part of the agent's memory: dropped before the heap count, and
         * kept in a file to name the ids that differ if the agent answered others.
         */
        void forgetSeenIds() throws IOException {
            try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(seenFile()))) {
                out.writeObject(seen);
            }
            seen = null;
        }

        /** The ids sent with a readable id, markers aside, back from the file {@link #forgetSeenIds} wrote. */
        Set<String> sentIds() throws IOException, ClassNotFoundException {
            Set<String> sent;
            try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(seenFile()))) {
                @SuppressWarnings("unchecked")
                Set<String> read = (Set<String>) in.readObject();
                sent = read;
            }
            sent.removeIf(id -> id.startsWith(MARK));
            return sent;
        }

        private Path seenFile() {
            return dir.resolve("seen-ids-" + agent + ".ser");
        }

        String perTopicSummary() {
            return tallies.entrySet().stream().map(entry -> {
                Tally t = entry.getValue();
                return entry.getKey() + " " + t.sent + (t.valid + t.brokenWithId + t.withoutId == 0 ? ""
                        : " (valid " + t.valid + ", broken with id " + t.brokenWithId + ", without id "
                                + t.withoutId + ")");
            }).collect(Collectors.joining(", "));
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** See {@link Storm#quiet}: rules that cannot make the humid, healthy terrarium spray within the next hours. */
    static boolean quietRules(Rules rules, Instant now) {
        if (rules.lowHumidityPct() >= 70 || rules.readIntervalS() < 10 || rules.maxSprayS() > 30) {
            return false;
        }
        ZonedDateTime local = now.atZone(rules.timeZone());
        for (int day = -1; day <= 1; day++) {
            Instant evening = local.toLocalDate().plusDays(day).atTime(rules.eveningTime())
                    .atZone(rules.timeZone()).toInstant();
            // an evening in the past within the catch-up hour sprays too
            if (Duration.between(now, evening).abs().compareTo(Duration.ofHours(2)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static List<ValveOpened> valveOpenings(List<Event> events) {
        return events.stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
