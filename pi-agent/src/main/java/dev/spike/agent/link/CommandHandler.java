package dev.spike.agent.link;

import dev.spike.agent.Agent;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.CommandKind;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.Command;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.RulesCommand;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.rules.Input;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands from the broker: {@code cmd/spray}, {@code cmd/config}, {@code cmd/history} and {@code sim/set}.
 *
 * <p>On the client thread a message is checked and decoded, tolerantly: nothing in it can throw, block or touch
 * agent state. What can be answered is handed to the agent thread, which decides: a repeated id gets the first
 * answer again, a new one is carried out (through the policy for sprays and rules, so the valve's guards apply) or
 * rejected, always with a {@code command_result} a person understands. What cannot be answered (no readable id, a
 * topic that is not a command) becomes a WARN line and is dropped.
 */
final class CommandHandler {

    /** Commands waiting for the agent thread at most; more are dropped, so a flood cannot exhaust memory. */
    static final int MAX_WAITING = 256;
    /**
     * A spray press whose id carries its time ({@code ha-<epoch ms>}, as Home Assistant's button sends it) is refused
     * when older than this: the button cannot set cmd/spray's 30 s message expiry, so the agent enforces it.
     */
    static final Duration PRESS_EXPIRY = Duration.ofSeconds(30);
    /** {@code ha-} and the epoch milliseconds (13 digits until the year 2286) of the press. */
    private static final Pattern TIMED_ID = Pattern.compile("ha-(\\d{13})");
    /** Reasons are at most this long in a command_result. */
    private static final int MAX_REASON = 500;

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final String agentId;
    private final Agent agent;
    private final ResilientEventStore store;
    private final Simulation simulation;
    private final HistoryResponder history;
    private final Consumer<CommandResult> repeat;
    private final Codec codec;
    private final Supplier<Instant> clock;
    private final CommandLedger ledger = new CommandLedger();
    private final AtomicInteger waiting = new AtomicInteger();

    /** A command as handed to the agent thread. */
    private sealed interface Inbound permits Rejected, Run, History {
        String id();
    }

    /** Broken or impossible: the answer is already known. */
    private record Rejected(String id, CommandKind kind, String reason) implements Inbound {
    }

    private record Run(Command command) implements Inbound {
        @Override
        public String id() {
            return command.id();
        }
    }

    private record History(HistoryRequest request, Topic replyTo, byte[] correlation) implements Inbound {
        @Override
        public String id() {
            return request.id();
        }
    }

    /**
     * @param simulation the simulated hardware that {@code sim/set} switches, or null on a real agent
     * @param repeat     publishes a stored first answer again, for a repeated command id
     */
    CommandHandler(String agentId, Agent agent, ResilientEventStore store, Simulation simulation,
            HistoryResponder history, Consumer<CommandResult> repeat, Codec codec, Supplier<Instant> clock) {
        this.agentId = agentId;
        this.agent = agent;
        this.store = store;
        this.simulation = simulation;
        this.history = history;
        this.repeat = repeat;
        this.codec = codec;
        this.clock = clock;
    }

    /** The answers stored before this start, so repeats across a restart are recognised. Agent thread. */
    void seed(List<CommandResult> stored) {
        ledger.seed(stored);
    }

    /** A command_result was stored. Agent thread. */
    void answered(CommandResult result) {
        ledger.answered(result);
    }

    /** The dedupe state, for tests that check it stays bounded. Agent thread. */
    CommandLedger ledger() {
        return ledger;
    }

    // --------------------------------------------------------------------------------------- client thread

    /**
     * A message from the broker. Never throws, never blocks.
     *
     * @param responseTopic the MQTT 5 response topic, or null
     * @param correlation   the MQTT 5 correlation data, or null
     */
    void onMessage(String topicName, byte[] payload, boolean retained, String responseTopic, byte[] correlation) {
        Optional<Topic> parsed = Topic.parse(topicName);
        if (parsed.isEmpty() || !parsed.get().agentId().equals(agentId) || !parsed.get().kind().isCommand()) {
            LOG.warn("ignored a message on \"{}\": not a command of agent {} (protocol v1 has cmd/spray, cmd/config,"
                    + " cmd/rules, cmd/history and sim/set)", shorten(topicName), agentId);
            return;
        }
        Topic topic = parsed.get();
        if (retained) {
            LOG.warn("ignored a retained command on {}: it would run again at every reconnect; clear it by"
                    + " publishing an empty retained message on that topic", topic);
            return;
        }
        Inbound inbound = decode(topic, payload, responseTopic, correlation);
        if (inbound == null) {
            return;
        }
        if (waiting.incrementAndGet() > MAX_WAITING) {
            waiting.decrementAndGet();
            LOG.warn("dropped command {} on {}: {} commands are already waiting for the agent", inbound.id(), topic,
                    MAX_WAITING);
            return;
        }
        agent.execute(() -> {
            waiting.decrementAndGet();
            handle(inbound);
        });
    }

    private Inbound decode(Topic topic, byte[] payload, String responseTopic, byte[] correlation) {
        CommandKind kind = topic.kind().commandKind();
        Decoded<Object> decoded = codec.decode(topic, payload);
        if (!decoded.isOk()) {
            Optional<String> id = codec.peekCommandId(payload);
            if (id.isEmpty()) {
                LOG.warn("dropped a command on {} without a readable id, so nobody can be answered: {}", topic,
                        decoded.error());
                return null;
            }
            LOG.warn("command {} on {} is broken: {}", id.get(), topic, decoded.error());
            return new Rejected(id.get(), kind, decoded.error().toString());
        }
        Command command = (Command) decoded.value();
        if (!(command instanceof HistoryRequest)) {
            return new Run(command);
        }
        HistoryRequest request = (HistoryRequest) command;
        if (responseTopic == null) {
            return new Rejected(request.id(), kind, "cmd/history needs an MQTT 5 response topic ("
                    + "spike/" + agentId + "/reply/<stationId>) for the pages, and it had none");
        }
        Optional<Topic> replyTo = Topic.parse(responseTopic);
        if (replyTo.isEmpty() || replyTo.get().kind() != TopicKind.REPLY || !replyTo.get().agentId().equals(agentId)) {
            return new Rejected(request.id(), kind, "the response topic must be spike/" + agentId
                    + "/reply/<stationId>, was \"" + shorten(responseTopic) + "\"");
        }
        return new History(request, replyTo.get(), correlation);
    }

    // ---------------------------------------------------------------------------------------- agent thread

    private void handle(Inbound inbound) {
        if (!agent.isRunning()) {
            LOG.info("command {} arrived while the agent is not running; not answered", inbound.id());
            return;
        }
        String id = inbound.id();
        Optional<CommandResult> first = ledger.answer(id);
        if (first.isPresent()) {
            LOG.info("command {} was answered before (#{}); repeating that answer", id, first.get().seq());
            repeat.accept(first.get());
            return;
        }
        if (ledger.inProgress(id)) {
            LOG.info("command {} arrived again while it is carried out; its answer follows", id);
            return;
        }
        ledger.begin(id);
        if (inbound instanceof Rejected) {
            Rejected rejected = (Rejected) inbound;
            reject(id, rejected.kind(), rejected.reason());
        } else if (inbound instanceof History) {
            history((History) inbound);
        } else {
            run(((Run) inbound).command());
        }
    }

    private void run(Command command) {
        if (command instanceof SprayCommand) {
            SprayCommand spray = (SprayCommand) command;
            Optional<String> late = lateness(spray.id(), clock.get());
            if (late.isPresent()) {
                reject(spray.id(), CommandKind.SPRAY, late.get());
                return;
            }
            LOG.info("command {}: spray {} s", spray.id(), spray.durationS());
            // through the policy, so maxSprayS, an open valve and the runaway guard can refuse it
            agent.submit(new Input.ManualSpray(spray.id(), spray.durationS()));
        } else if (command instanceof ConfigCommand) {
            ConfigCommand change = (ConfigCommand) command;
            LOG.info("command {}: new rules", change.id());
            agent.submit(new Input.RulesChange(change.id(), change.rules()));
        } else if (command instanceof RulesCommand) {
            RulesCommand change = (RulesCommand) command;
            LOG.info("command {}: change {}", change.id(), String.join(", ", change.rules().changed()));
            // merged and validated by the policy, over the rules in force when it takes the command
            agent.submit(new Input.RulesPatchChange(change.id(), change.rules()));
        } else if (command instanceof CalibrationCommand) {
            // the agent answers it: it knows whether there is a second sensor and what calibration is in force
            agent.calibrate((CalibrationCommand) command);
        } else {
            simSet((SimSetCommand) command);
        }
    }

    /**
     * Why a press is too old to carry out, if its id says when it was made and that was more than
     * {@link #PRESS_EXPIRY} before {@code now}: a press queued in the broker while the agent was away. A press
     * from the future (a clock ahead of the agent's) is carried out.
     */
    static Optional<String> lateness(String id, Instant now) {
        Matcher timed = TIMED_ID.matcher(id);
        if (!timed.matches()) {
            return Optional.empty();
        }
        Instant pressed = Instant.ofEpochMilli(Long.parseLong(timed.group(1)));
        Duration age = Duration.between(pressed, now);
        if (age.compareTo(PRESS_EXPIRY) <= 0) {
            return Optional.empty();
        }
        return Optional.of("expired: pressed at " + pressed + ", " + String.format(Locale.ROOT, "%.1f",
                age.toMillis() / 1000.0) + " s ago, more than " + PRESS_EXPIRY.getSeconds()
                + " s; a late press never sprays (was the agent away?)");
    }

    private void simSet(SimSetCommand command) {
        if (simulation == null) {
            reject(command.id(), CommandKind.SIM_SET, "sim/set is only for a simulated agent (started with"
                    + " --simulate); this agent drives real hardware");
            return;
        }
        if (command.sensor() != null) {
            if (command.targetSensor() == 2 && !agent.hasSecondSensor()) {
                reject(command.id(), CommandKind.SIM_SET, "this simulated agent reads one sensor; sensorNumber 2"
                        + " needs a second one");
                return;
            }
            simulation.setSensorFault(command.targetSensor(), command.sensor());
        }
        if (command.tank() != null) {
            simulation.setTank(command.tank());
        }
        LOG.info("command {}: simulation set to sensor {} {}, tank {}", command.id(), command.targetSensor(),
                command.sensor() == null ? "unchanged" : command.sensor().wire(),
                command.tank() == null ? "unchanged" : command.tank().wire());
        agent.recordCommandResult(command.id(), CommandKind.SIM_SET, true, null);
    }

    private void history(History ask) {
        HistoryRequest request = ask.request();
        // the answer ends at what is stored now: a range that keeps growing would never end
        long upTo = store.lastSeq();
        if (!history.offer(new HistoryResponder.Job(request, ask.replyTo(), ask.correlation(), upTo))) {
            reject(request.id(), CommandKind.HISTORY, "busy: " + history.busy() + " history requests are being"
                    + " answered; ask again in a minute");
            return;
        }
        LOG.info("command {}: history of up to {} events from #{} to {}", request.id(), request.limit(),
                request.fromSeq(), ask.replyTo());
        agent.recordCommandResult(request.id(), CommandKind.HISTORY, true, null);
    }

    private void reject(String id, CommandKind kind, String reason) {
        String text = reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
        LOG.info("command {} rejected: {}", id, text);
        agent.recordCommandResult(id, kind, false, text);
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
