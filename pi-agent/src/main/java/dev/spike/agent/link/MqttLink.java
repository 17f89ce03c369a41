package dev.spike.agent.link;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.spike.agent.Agent;
import dev.spike.agent.ha.AnnouncedConfigs;
import dev.spike.agent.ha.HomeAssistantDiscovery;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.Scheduler;
import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import io.reactivex.disposables.Disposable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's MQTT link, protocol v1 (docs/protocol.md): publishes every stored event in seq order (store and
 * forward, see {@link Forwarder}), keeps the retained {@code status}, {@code state}, {@code health} and
 * {@code config} current, and takes {@code cmd/spray}, {@code cmd/config}, {@code cmd/history} and {@code sim/set}.
 *
 * <p>The network is the least reliable part, so control never waits for it and nothing is lost because of it. The
 * threads:
 * <ul>
 *   <li>the agent thread sees every stored event (a listener that only hands over), takes the state snapshot and
 *       decides every command;</li>
 *   <li>the link thread ({@code spike-link}) owns the connection state and the forwarder, reads the backlog from
 *       the store and encodes;</li>
 *   <li>the history thread answers {@code cmd/history};</li>
 *   <li>the client's own threads only decode inbound messages and hand over.</li>
 * </ul>
 *
 * <p>The connection: a persistent MQTT 5 session (clean start off, session expiry 1 day) under the stable client id
 * {@code spike-agent-<agentId>}, the offline status as the retained will, and a reconnect after every loss with a
 * backoff of 1, 2, 4 ... s capped at {@link #MAX_RECONNECT_DELAY}. The inbound callback is registered before the
 * first connect: with a persistent session the broker delivers queued commands straight away.
 */
public final class MqttLink implements AutoCloseable {

    /** The broker keeps the agent's session, and the commands queued for it, this long while it is away. */
    static final long SESSION_EXPIRY_S = Duration.ofDays(1).toSeconds();
    static final int KEEP_ALIVE_S = 30;
    static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    /**
     * Told to the broker as this client's maximum packet size: commands are at most 64 KiB, and a broker drops
     * anything over this instead of delivering it. Between the two, a command is answered with its size.
     */
    static final int MAX_INBOUND_PACKET_BYTES = 1024 * 1024;
    static final Duration HEALTH_EVERY = Duration.ofSeconds(60);
    /** How often the state is compared with the last one published, for changes that come with time alone. */
    static final Duration STATE_CHECK_EVERY = Duration.ofSeconds(1);
    /** Answers remembered from the store at start, so a command repeated after a restart is recognised. */
    static final int SEED_ANSWERS = 1_000;
    /**
     * Each step of {@link #close()} waits at most this long for the broker: the whole close must fit the 10 s the
     * shutdown hook gives the agent, with the store still to close after it.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** More unacknowledged events than a decade of readings: a jump in seq, not a count. */
    private static final long SEQ_JUMP = 100_000_000L;
    /** A connection problem that stays the same is logged again after this long, not at every attempt. */
    static final Duration REPEAT_LOG_AFTER = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private final LinkConfig config;
    private final Agent agent;
    private final ResilientEventStore store;
    private final Scheduler scheduler;
    private final String agentId;
    private final String version;
    private final boolean simulated;
    private final Codec codec = new Codec();
    private final Publisher publisher = new ClientPublisher();
    private final Mqtt5AsyncClient client;
    private final ScheduledExecutorService linkThread;
    private final Forwarder forwarder;
    private final HistoryResponder history;
    private final CommandHandler commands;
    private final HealthProbe probe;
    private final Instant startedAt;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    /**
     * The inbound flow. Disposed on close: with a persistent session it would otherwise keep the client's network
     * threads alive after the disconnect, waiting for the session to resume. Replaced by {@link #receive()} when the
     * broker lost the session. Guarded by this.
     */
    private Disposable inbound;

    // link thread
    private boolean connected;
    private ConfigSnapshot latestConfig;
    private AgentState latestState;
    private boolean statePublishing;
    private boolean stateDirty;
    private int connection;
    /** What this agent left retained for Home Assistant; read from the data directory at the first connect. */
    private AnnouncedConfigs announced;
    /** The discovery payloads sent on this connection, by topic, so a rules change re-sends only what changed. */
    private final Map<String, byte[]> discoverySent = new HashMap<>();

    // agent thread
    private AgentState lastStateKey;
    private boolean stateCheckQueued;

    // client threads, one at a time
    private String lastProblem;
    private long lastProblemLoggedNanos;

    /**
     * Builds the link; nothing happens on the network before {@link #start()}.
     *
     * @param simulation the hardware of {@code --simulate}, which {@code sim/set} switches; null on a real agent
     * @param version    the agent's version, as in {@code status} and {@code health}
     */
    public MqttLink(LinkConfig config, Agent agent, ResilientEventStore store, Scheduler scheduler,
            Simulation simulation, String version) {
        this.config = config;
        this.agent = agent;
        this.store = store;
        this.scheduler = scheduler;
        this.agentId = config.agentId();
        this.version = version;
        this.simulated = simulation != null;
        this.startedAt = scheduler.now();
        this.linkThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spike-link");
            thread.setDaemon(true);
            return thread;
        });
        this.forwarder = new Forwarder(store, publisher, linkThread, codec, agentId);
        this.history = new HistoryResponder(store, publisher, codec, agentId);
        this.commands = new CommandHandler(agentId, agent, store, simulation, history, this::repeat, codec,
                scheduler::now);
        this.probe = new HealthProbe(store.file().toAbsolutePath().getParent());
        this.client = buildClient();
    }

    private Mqtt5AsyncClient buildClient() {
        Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
                .identifier(config.clientId())
                .serverHost(config.endpoint().host())
                .serverPort(config.endpoint().port())
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
        if (config.endpoint().tls()) {
            // no hostname verifier of our own: the client then checks the broker's name against its certificate
            builder = builder.sslConfig(config.trust() == null ? MqttClientSslConfig.builder().build()
                    : MqttClientSslConfig.builder().trustManagerFactory(config.trust()).build());
        }
        return builder.buildAsync();
    }

    /** Registers with the agent and connects in the background; returns at once. Call before the agent starts. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the link was started already");
        }
        linkThread.execute(forwarder::start);
        Optional<Event> rules = store.latest(EventType.CONFIG_APPLIED);
        rules.ifPresent(event -> onLinkThread(() -> latestConfig = snapshotOf((ConfigApplied) event)));
        List<CommandResult> answers = store.latest(EventType.COMMAND_RESULT, SEED_ANSWERS).stream()
                .map(CommandResult.class::cast).collect(Collectors.toList());
        agent.execute(() -> commands.seed(answers));
        agent.addListener(this::onEvent);
        every(HEALTH_EVERY, () -> {
            Instant now = scheduler.now();
            onLinkThread(() -> publishHealth(now));
        });
        every(STATE_CHECK_EVERY, this::checkState);
        // before connecting: a resumed session delivers the commands queued for the agent at once
        receive();
        LOG.info("MQTT link: connecting to {}", config);
        // the future is not needed: onConnected takes a success, onDisconnected reports a failure and tries again
        client.connect(connectMessage());
    }

    /**
     * Registers the inbound flow. The client ends it with {@link MqttSessionExpiredException} whenever the broker
     * answers a reconnect without the agent's session (a broker restarted without its persistence file, or after the
     * session expiry): it is registered again at once, else every later command, {@code cmd/history} included, is
     * dropped with a client warning until the agent restarts. Called again from the error callback on the client's
     * event loop, which queues the registration behind the CONNACK it is handling, so it is in place before the
     * publishes of the new session arrive.
     */
    private synchronized void receive() {
        if (closing) {
            return;
        }
        inbound = client.toRx().publishes(MqttGlobalPublishFilter.ALL).subscribe(this::onInbound, error -> {
            if (error instanceof MqttSessionExpiredException && !closing) {
                LOG.info("MQTT link: the broker no longer had the agent's session; listening for commands again");
                receive();
            } else {
                LOG.error("MQTT link: inbound messages stopped: {}", error.toString(), error);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ agent thread

    /** Every stored event, on the agent thread: hand over, never block. */
    private void onEvent(Event event) {
        forwarder.wake();
        if (event instanceof CommandResult) {
            commands.answered((CommandResult) event);
        } else if (event instanceof ConfigApplied) {
            ConfigSnapshot snapshot = snapshotOf((ConfigApplied) event);
            onLinkThread(() -> {
                latestConfig = snapshot;
                publishConfig();
                // the button's duration and the duration number's maximum come from the rules
                publishDiscovery(false);
            });
        }
        if (!stateCheckQueued) {
            stateCheckQueued = true;
            // after the task that stored the event, so the snapshot sees all of its events
            agent.execute(() -> {
                stateCheckQueued = false;
                checkState();
            });
        }
    }

    private void checkState() {
        if (closing || !agent.isRunning()) {
            return;
        }
        AgentState state = agent.snapshot();
        AgentState key = withoutTime(state);
        if (!key.equals(lastStateKey)) {
            lastStateKey = key;
            onLinkThread(() -> {
                latestState = state;
                publishState();
            });
        }
    }

    /** Runs {@code task} every {@code period} of agent time, first at once, until the link closes. */
    private void every(Duration period, Runnable task) {
        scheduler.repeat(Duration.ZERO, () -> period, () -> closing, task,
                e -> LOG.error("MQTT link task failed; it runs again in {} s: {}", period.toSeconds(), e.toString(),
                        e));
    }

    // ------------------------------------------------------------------------------------------- link thread

    private void onLinkThread(Runnable task) {
        try {
            linkThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("MQTT link failed: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: the retained topics were left as the broker has them
        }
    }

    private void connectedOnLinkThread() {
        connected = true;
        connection++;
        statePublishing = false;
        publish(Topic.status(agentId), codec.encode(new Status(true, scheduler.now(), version, simulated)));
        publishConfig();
        publishState();
        publishHealth(scheduler.now());
        discoverySent.clear();
        publishDiscovery(true);
        forwarder.connected();
    }

    /**
     * Home Assistant discovery, retained: with discovery on, the configs for the rules in force (all of them when
     * {@code all}, else only those that changed since this connection last sent them, as after a rules change); and,
     * on or off, an empty retained message on every topic announced before that is no longer announced (discovery
     * switched off, another prefix or agent id, an entity dropped), which removes the entity from Home Assistant.
     */
    private void publishDiscovery(boolean all) {
        if (!connected || closing) {
            return;
        }
        if (announced == null) {
            announced = AnnouncedConfigs.in(store.file().toAbsolutePath().getParent());
        }
        List<HomeAssistantDiscovery.Config> configs = List.of();
        if (config.homeAssistant()) {
            if (latestConfig == null) {
                return; // announced as soon as the rules are known: the button and the numbers depend on them
            }
            configs = HomeAssistantDiscovery.configs(config.homeAssistantPrefix(), agentId, version,
                    latestConfig.rules(), agent.hasTank());
        }
        List<String> current = configs.stream().map(HomeAssistantDiscovery.Config::topic)
                .collect(Collectors.toList());
        List<String> gone = announced.topics();
        gone.removeAll(current);
        // recorded before it is sent: an agent that dies now still knows what to withdraw later
        announced.add(current);
        for (HomeAssistantDiscovery.Config discovery : configs) {
            if (!all && Arrays.equals(discoverySent.get(discovery.topic()), discovery.payload())) {
                continue;
            }
            discoverySent.put(discovery.topic(), discovery.payload());
            publishRetained(discovery.topic(), discovery.payload(), () -> { });
        }
        for (String topic : gone) {
            LOG.info("Home Assistant: withdrawing {}", topic);
            publishRetained(topic, new byte[0], () -> onLinkThread(() -> announced.remove(topic)));
        }
    }

    /** A retained QoS 1 message outside the protocol's topics (discovery); {@code done} runs once acknowledged. */
    private void publishRetained(String topic, byte[] payload, Runnable done) {
        client.publish(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(payload)
                .build()).whenComplete((result, error) -> {
                    if (error == null) {
                        done.run();
                        return;
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof Mqtt5PubAckException) {
                        Publisher.Ack ack = new Publisher.Ack(((Mqtt5PubAckException) cause).getMqttMessage()
                                .getReasonCode().toString());
                        LOG.warn("Home Assistant {}: {}{}", payload.length == 0 ? "withdrawal" : "discovery",
                                ack.describe(topic), payload.length == 0 ? "; or clear it by hand: mosquitto_pub -r"
                                        + " -n -t '" + topic + "'" : "");
                    } else if (!(cause instanceof ConnectionClosedException)) {
                        LOG.warn("Home Assistant discovery on {} failed: {}", topic, cause.toString());
                    }
                });
    }

    private void publishConfig() {
        if (connected && !closing && latestConfig != null) {
            publish(Topic.config(agentId), codec.encode(latestConfig));
        }
    }

    /** One state publish at a time; a change meanwhile is published when it is acknowledged. */
    private void publishState() {
        if (!connected || closing || latestState == null) {
            return;
        }
        if (statePublishing) {
            stateDirty = true;
            return;
        }
        statePublishing = true;
        stateDirty = false;
        int on = connection;
        publisher.publish(Topic.state(agentId), codec.encode(latestState)).whenComplete(
                (ack, error) -> onLinkThread(() -> {
                    if (on != connection) {
                        return;
                    }
                    statePublishing = false;
                    if (stateDirty) {
                        publishState();
                    }
                }));
    }

    private void publishHealth(Instant at) {
        if (!connected || closing) {
            return;
        }
        HealthProbe.Figures figures = probe.measure();
        long uptimeS = Math.max(0, Duration.between(startedAt, at).getSeconds());
        Health health = new Health(at, version, uptimeS, figures.cpuTemperatureC(), figures.load1(),
                figures.memTotalBytes(), figures.memAvailableBytes(), figures.diskFreeBytes(),
                figures.heapUsedBytes(), figures.heapMaxBytes(), store.sizeBytes(), queuedEvents(),
                store.lastError().map(MqttLink::limit500).orElse(null));
        publish(Topic.health(agentId), codec.encode(health));
    }

    /**
     * Events stored but not yet acknowledged by the broker. The store's backlog (events not yet on disk) is part of
     * it already: those events have their seqs. A store that could not open its file numbers its events from the
     * epoch millisecond on; such a jump is no count of events, so then the events are counted (in memory, cheap).
     */
    private long queuedEvents() {
        long unacknowledged = forwarder.unacknowledged();
        return unacknowledged > SEQ_JUMP ? Math.min(unacknowledged, store.count()) : unacknowledged;
    }

    /** Publishes a stored first answer again, for a command repeated with the same id. */
    private void repeat(CommandResult first) {
        byte[] payload = codec.encode(first);
        onLinkThread(() -> publish(Topic.event(agentId, EventType.COMMAND_RESULT), payload));
    }

    /**
     * Publishes if connected. Nothing is published once closing: with a persistent session the client would keep an
     * unsent message, and its threads, until a next connection that never comes.
     */
    private void publish(Topic topic, byte[] payload) {
        if (!connected || closing) {
            return;
        }
        publisher.publish(topic, payload).whenComplete((ack, error) -> {
            if (error != null && !(unwrap(error) instanceof LinkDownException)) {
                LOG.warn("publishing on {} failed: {}", topic, unwrap(error).toString());
            } else if (ack != null && ack.refused()) {
                LOG.warn(ack.describe(topic.toString()));
            }
        });
    }

    // ----------------------------------------------------------------------------------------- client threads

    private void onInbound(Mqtt5Publish publish) {
        if (config.homeAssistant()
                && publish.getTopic().toString().equals(HomeAssistantTopics.status(config.homeAssistantPrefix()))) {
            // Home Assistant (re)started and forgot its entities: announce them again
            if ("online".equals(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8).trim())) {
                onLinkThread(() -> publishDiscovery(true));
            }
            return;
        }
        try {
            commands.onMessage(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.isRetain(),
                    publish.getResponseTopic().map(Object::toString).orElse(null),
                    publish.getCorrelationData().map(MqttLink::bytes).orElse(null));
        } catch (RuntimeException e) {
            // never into the client's thread: one bad message must not stop the others
            LOG.warn("dropped a message on {}: {}", publish.getTopic(), e.toString(), e);
        }
    }

    private void onConnected(MqttClientConnectedContext context) {
        if (closing) {
            client.disconnect();
            return;
        }
        boolean resumed = ((Mqtt5ClientConnectedContext) context).getConnAck().isSessionPresent();
        synchronized (this) {
            lastProblem = null;
        }
        LOG.info("MQTT link: connected to {} ({})", config.endpoint(), resumed ? "session resumed" : "new session");
        subscribe();
        onLinkThread(this::connectedOnLinkThread);
    }

    private void subscribe() {
        List<String> filters = new ArrayList<>(Topic.agentFilters(agentId));
        if (config.homeAssistant()) {
            filters.add(HomeAssistantTopics.status(config.homeAssistantPrefix()));
        }
        Mqtt5SubscribeBuilder.Start builder = Mqtt5Subscribe.builder();
        Mqtt5SubscribeBuilder.Complete complete = null;
        for (String filter : filters) {
            // DO_NOT_SEND: a retained command must never run just because the agent (re)subscribed
            complete = (complete == null ? builder : complete).addSubscription().topicFilter(filter)
                    .qos(MqttQos.AT_LEAST_ONCE).retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).applySubscription();
        }
        client.subscribe(complete.build()).whenComplete((subAck, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof Mqtt5SubAckException) {
                    reportRefusedSubscription(filters, ((Mqtt5SubAckException) cause).getMqttMessage());
                } else if (!(cause instanceof ConnectionClosedException)) {
                    LOG.error("MQTT link: subscribing to the commands failed: {}", cause.toString());
                }
            } else {
                reportRefusedSubscription(filters, subAck);
            }
        });
    }

    private void reportRefusedSubscription(List<String> filters, Mqtt5SubAck subAck) {
        List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
        for (int i = 0; i < codes.size() && i < filters.size(); i++) {
            if (codes.get(i).isError()) {
                LOG.error("MQTT link: the broker refused the subscription to {}: {}; no commands will arrive;"
                        + " let the agent's user read spike/{}/cmd/+ and spike/{}/sim/set in the broker's ACL",
                        filters.get(i), codes.get(i), agentId, agentId);
            }
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        onLinkThread(() -> {
            connected = false;
            forwarder.disconnected();
        });
        if (closing || context.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        Mqtt5ClientDisconnectedContext mqtt5 = (Mqtt5ClientDisconnectedContext) context;
        Duration delay = reconnectDelay(mqtt5.getReconnector().getAttempts(), ThreadLocalRandom.current().nextDouble());
        report(context.getCause(), delay);
        mqtt5.getReconnector()
                .reconnect(true)
                .resubscribeIfSessionExpired(false) // onConnected subscribes on every connection
                .connect(connectMessage())
                .delay(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * 1, 2, 4 ... s after the {@code attempts}-th failed attempt in a row, never more than
     * {@link #MAX_RECONNECT_DELAY}; up to a quarter less at random, so agents that lost the same broker do not all
     * come back in the same millisecond.
     *
     * @param random uniform in [0, 1)
     */
    static Duration reconnectDelay(int attempts, double random) {
        long capMs = MAX_RECONNECT_DELAY.toMillis();
        long ms = attempts >= 15 ? capMs : Math.min(capMs, 1000L << Math.max(0, attempts));
        return Duration.ofMillis(Math.round(ms * (1 - random / 4)));
    }

    /** A log line a person can act on; the same problem again only every {@link #REPEAT_LOG_AFTER}. */
    private synchronized void report(Throwable cause, Duration delay) {
        String problem = describe(cause);
        long now = System.nanoTime();
        boolean repeat = problem.equals(lastProblem) && now - lastProblemLoggedNanos < REPEAT_LOG_AFTER.toNanos();
        String next = String.format("; trying again in %.1f s", delay.toMillis() / 1000.0);
        if (repeat) {
            LOG.debug("MQTT link: {}{}", problem, next);
            return;
        }
        lastProblem = problem;
        lastProblemLoggedNanos = now;
        boolean needsAPerson = cause instanceof Mqtt5ConnAckException || causeOf(cause, SSLException.class) != null;
        String line = "MQTT link: " + problem + next + "; control goes on and every event is kept for later";
        if (needsAPerson) {
            LOG.error(line);
        } else {
            LOG.warn(line);
        }
    }

    private String describe(Throwable cause) {
        String broker = config.endpoint().toString();
        if (cause instanceof Mqtt5ConnAckException) {
            String code = ((Mqtt5ConnAckException) cause).getMqttMessage().getReasonCode().toString();
            if (code.equals("NOT_AUTHORIZED") || code.equals("BAD_USER_NAME_OR_PASSWORD")) {
                return "the broker " + broker + " refused the agent: " + code + "; check the username (--username or"
                        + " mqtt.username) and the password (--password-file, mqtt.passwordFile or "
                        + LinkConfig.PASSWORD_ENV + ") against the broker's password file";
            }
            return "the broker " + broker + " refused the connection: " + code;
        }
        Throwable root = rootCause(cause);
        if (causeOf(cause, SSLException.class) != null) {
            // the root is what a person can act on: "No subject alternative DNS name matching localhost found."
            return "the TLS handshake with " + broker + " failed: " + root.getMessage() + "; check that --ca-file"
                    + " (mqtt.caFile) holds the authority that signed the broker's certificate, and that the"
                    + " certificate names the host " + config.endpoint().host();
        }
        if (cause instanceof ConnectionFailedException) {
            return "cannot reach the broker " + broker + ": " + root.getMessage();
        }
        if (cause instanceof ConnectionClosedException) {
            return "the connection to " + broker + " was lost: " + root.getMessage();
        }
        return "disconnected from " + broker + ": " + cause;
    }

    private Mqtt5Connect connectMessage() {
        byte[] offline = codec.encode(new Status(false, scheduler.now(), version, simulated));
        Mqtt5ConnectBuilder builder = Mqtt5Connect.builder()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_S)
                .keepAlive(KEEP_ALIVE_S)
                .restrictions(Mqtt5ConnectRestrictions.builder().maximumPacketSize(MAX_INBOUND_PACKET_BYTES).build())
                .willPublish(Mqtt5WillPublish.builder()
                        .topic(Topic.status(agentId).toString())
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .payload(offline)
                        .build());
        Mqtt5SimpleAuth auth = config.simpleAuth();
        if (auth != null) {
            builder = builder.simpleAuth(auth);
        }
        return builder.build();
    }

    // ------------------------------------------------------------------------------------------------ close

    /**
     * Publishes the retained offline status, saves how far the broker acknowledged, and disconnects, so the broker
     * does not send the will. Bounded: gives up waiting for the broker after {@link #CLOSE_TIMEOUT}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        // first, so that a page already handed to the client is acknowledged before the offline status
        history.close();
        CompletableFuture<CompletableFuture<Publisher.Ack>> offline = new CompletableFuture<>();
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        try {
            linkThread.execute(() -> {
                forwarder.stop();
                if (!connected) {
                    offline.complete(CompletableFuture.completedFuture(Publisher.Ack.OK));
                    return;
                }
                Status status = new Status(false, scheduler.now(), version, simulated);
                offline.complete(publisher.publish(Topic.status(agentId), codec.encode(status)));
            });
            offline.get(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("MQTT link: the broker did not take the offline status ({}); its will says so once it notices",
                    e instanceof TimeoutException ? "no answer within " + CLOSE_TIMEOUT.toSeconds() + " s"
                            : unwrap(e).toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException e) {
            // already shut down
        }
        try {
            client.disconnect().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(unwrap(e) instanceof MqttClientStateException)) {
                LOG.warn("MQTT link: disconnecting failed: {}", unwrap(e).toString());
            }
        } catch (TimeoutException e) {
            LOG.warn("MQTT link: the broker did not confirm the disconnect within {} s", CLOSE_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (inbound != null) {
                inbound.dispose();
            }
        }
        try {
            linkThread.execute(forwarder::persist);
        } catch (RejectedExecutionException e) {
            // already shut down
        }
        linkThread.shutdown();
        try {
            if (!linkThread.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                linkThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("MQTT link closed; the broker has every event up to #{}", forwarder.acked());
    }

    // ----------------------------------------------------------------------------------------------- for tests

    /** Highest seq the broker acknowledged with all before it. Reads link-thread state: for tests and logs. */
    long ackedSeq() {
        return callOnLinkThread(forwarder::acked);
    }

    boolean isConnected() {
        return callOnLinkThread(() -> connected);
    }

    /** The command dedupe state. Agent thread only: for tests. */
    CommandLedger commandLedger() {
        return commands.ledger();
    }

    private <T> T callOnLinkThread(Callable<T> task) {
        try {
            return linkThread.submit(task).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the link thread did not answer: " + e, e);
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The MQTT client as a {@link Publisher}: maps its outcomes to acks, refusals and {@link LinkDownException}. */
    private final class ClientPublisher implements Publisher {

        @Override
        public CompletableFuture<Ack> publish(Topic topic, byte[] payload) {
            return send(base(topic).retain(topic.kind().retained()).payload(payload).build());
        }

        @Override
        public CompletableFuture<Ack> reply(Topic topic, byte[] payload, byte[] correlationData) {
            Mqtt5PublishBuilder.Complete builder = base(topic).payload(payload);
            if (correlationData != null) {
                builder = builder.correlationData(correlationData);
            }
            return send(builder.build());
        }

        private Mqtt5PublishBuilder.Complete base(Topic topic) {
            return Mqtt5Publish.builder().topic(topic.toString())
                    .qos(topic.kind().qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE);
        }

        private CompletableFuture<Ack> send(Mqtt5Publish message) {
            CompletableFuture<Ack> ack = new CompletableFuture<>();
            try {
                client.publish(message).whenComplete((result, error) -> {
                    if (error == null) {
                        ack.complete(Ack.OK);
                        return;
                    }
                    Throwable cause = unwrap(error);
                    if (cause instanceof Mqtt5PubAckException) {
                        ack.complete(new Ack(((Mqtt5PubAckException) cause).getMqttMessage().getReasonCode()
                                .toString()));
                    } else if (isConnectionProblem(cause)) {
                        ack.completeExceptionally(new LinkDownException(cause.toString(), cause));
                    } else {
                        ack.completeExceptionally(cause);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
            return ack;
        }
    }

    private static boolean isConnectionProblem(Throwable cause) {
        return cause instanceof ConnectionClosedException || cause instanceof ConnectionFailedException
                || cause instanceof MqttClientStateException || cause instanceof MqttSessionExpiredException;
    }

    private static ConfigSnapshot snapshotOf(ConfigApplied applied) {
        return new ConfigSnapshot(applied.at(), applied.rules());
    }

    /** The state with a fixed time: two snapshots that differ only in {@code at} are the same state. */
    static AgentState withoutTime(AgentState s) {
        return new AgentState(Instant.EPOCH, s.lastSeq(), s.humidityPct(), s.temperatureC(), s.readingAt(),
                s.valveOpen(), s.valveCloseAt(), s.mode(), s.lastSprayAt(), s.lastSprayReason(), s.cooldownUntil(),
                s.nextSprayAt(), s.nextSprayReason(), s.activeAlarms())
                .withTank(s.tankLevelL(), s.tankCapacityL(), s.tankDaysLeft());
    }

    private static String limit500(String text) {
        return text.length() <= 500 ? text : text.substring(0, 499) + "…";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The first cause in the chain of {@code error} (itself included) that is a {@code type}, or null. */
    private static Throwable causeOf(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
