package dev.spike.station.connection;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.spike.model.Checks;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttGateway} on the HiveMQ MQTT 5 client.
 *
 * <ul>
 *   <li>Client id {@code spike-station-<stationId>}, clean start off and a session expiry of 7 days: the broker keeps
 *       the subscriptions and queues QoS 1 messages while the station is closed (up to its queue limit; the
 *       station fetches the rest with {@code cmd/history}).</li>
 *   <li>The publish callback is registered before connecting, else the messages the broker queued for the
 *       persistent session would be lost on arrival.</li>
 *   <li>Automatic reconnect, waiting 1 s, then doubling, never more than 30 s, for ever, except after a refusal
 *       (see {@link ConnectionState}).</li>
 *   <li>After every (re)connect it subscribes {@link Topic#stationFilters} again: that costs nothing when the session
 *       survived, restores them when it did not, and makes the broker send the retained status, state, health and
 *       config again, so the station never starts from a queue the broker had to cut short. The state becomes
 *       CONNECTED only then, so a history request sent on CONNECTED has its reply subscription in place.</li>
 * </ul>
 *
 * <p>Inbound messages are decoded and handed to listeners on one thread ({@code spike-mqtt-in}); a message that
 * does not decode is logged and dropped. State changes are delivered on the same thread, in order.
 */
public final class HiveMqGateway implements MqttGateway {

    static final long SESSION_EXPIRY_S = Duration.ofDays(7).toSeconds();
    static final long SPRAY_EXPIRY_S = 30;
    static final int KEEP_ALIVE_S = 30;
    static final long RECONNECT_INITIAL_DELAY_MS = 1_000;
    static final long RECONNECT_MAX_DELAY_S = 30;

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqGateway.class);

    /** CONNACK codes that a retry cannot fix: they need other settings, not patience. */
    private static final Set<Mqtt5ConnAckReasonCode> REFUSALS = EnumSet.of(
            Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
            Mqtt5ConnAckReasonCode.BANNED,
            Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
            Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD,
            Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);

    private static final AtomicInteger NETTY_THREAD_IDS = new AtomicInteger();
    /**
     * The clients' network threads, as daemon threads. HiveMQ's own are not, and with a session expiry the client
     * keeps them after a disconnect until the session would expire (hivemq-mqtt-client issue 498; 7 days here), so
     * the station's JVM did not exit when its window closed. {@link #close()} still waits for the disconnect. One
     * executor for every gateway: the client shares one event loop group per executor, as it does for its own.
     */
    private static final Executor NETTY_THREADS = runnable -> {
        Thread thread = new Thread(runnable, "spike-mqtt-io-" + NETTY_THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    };

    private final String stationId;
    private final Codec codec = new Codec();
    private final ExecutorService inbound;
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    /** The current client; replaced by every connect(). Guarded by {@link #lock}. */
    private Mqtt5AsyncClient client;
    /**
     * Counts connect() and disconnect() calls. Callbacks of a client carry the generation it was built in and are
     * ignored once it is stale, so a replaced client can neither report a state nor reconnect. Guarded by lock.
     */
    private int generation;
    private CompletableFuture<Void> firstConnection = CompletableFuture.completedFuture(null);
    /** Attempts that failed since the last successful connection. Guarded by lock. */
    private int failedAttempts;
    private volatile ConnectionState state = ConnectionState.disconnected();

    public HiveMqGateway(String stationId) {
        this.stationId = Checks.agentId("stationId", stationId);
        this.inbound = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spike-mqtt-in");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String stationId() {
        return stationId;
    }

    /** The MQTT client id: {@code spike-station-<stationId>}, the same on every start. */
    public String clientId() {
        return "spike-station-" + stationId;
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public CompletableFuture<Void> connect(BrokerSettings settings) {
        TrustManagerFactory trust = null;
        if (settings.caFile() != null) {
            try {
                trust = trustManagers(settings.caFile());
            } catch (IOException | GeneralSecurityException e) {
                String reason = "cannot use the CA file " + settings.caFile() + ": " + e.getMessage()
                        + "; choose a PEM file with the broker's certificate authority";
                int gen;
                Mqtt5AsyncClient old;
                synchronized (lock) {
                    gen = ++generation;
                    old = client;
                    client = null;
                }
                disconnectQuietly(old);
                report(gen, ConnectionState.refused(settings.address(), reason));
                return CompletableFuture.failedFuture(new IllegalArgumentException(reason));
            }
        }
        Mqtt5AsyncClient old;
        Mqtt5AsyncClient created;
        CompletableFuture<Void> first = new CompletableFuture<>();
        int gen;
        synchronized (lock) {
            old = client;
            gen = ++generation;
            failedAttempts = 0;
            created = build(settings, trust, gen);
            client = created;
            firstConnection = first;
        }
        disconnectQuietly(old);
        // Before connect: with a persistent session the broker sends what it queued right after CONNACK.
        created.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, inbound);
        LOG.info("connecting to {} as {}", settings, clientId());
        report(gen, ConnectionState.connecting(settings.address()));
        created.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(SESSION_EXPIRY_S)
                .keepAlive(KEEP_ALIVE_S)
                .send()
                .whenComplete((connAck, error) -> {
                    if (error != null) {
                        first.completeExceptionally(error);
                    }
                });
        return first;
    }

    private Mqtt5AsyncClient build(BrokerSettings settings, TrustManagerFactory trust, int gen) {
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(clientId())
                .serverHost(settings.host())
                .serverPort(settings.port())
                .automaticReconnect()
                .initialDelay(RECONNECT_INITIAL_DELAY_MS, TimeUnit.MILLISECONDS)
                .maxDelay(RECONNECT_MAX_DELAY_S, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> onConnected(gen, settings))
                .addDisconnectedListener(context -> onDisconnected(gen, settings, context))
                .executorConfig().nettyExecutor(NETTY_THREADS).applyExecutorConfig();
        if (settings.tls()) {
            builder = trust == null
                    ? builder.sslWithDefaultConfig()
                    : builder.sslConfig().trustManagerFactory(trust).applySslConfig();
        }
        if (settings.username() != null) {
            // On the client, not the CONNECT: reconnects log in again with the same credentials.
            builder = settings.password() == null
                    ? builder.simpleAuth().username(settings.username()).applySimpleAuth()
                    : builder.simpleAuth().username(settings.username())
                            .password(settings.password().getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        }
        return builder.buildAsync();
    }

    private void onConnected(int gen, BrokerSettings settings) {
        Mqtt5AsyncClient current = currentClient(gen);
        if (current == null) {
            return;
        }
        current.subscribe(subscription()).whenComplete((subAck, error) -> {
            if (error != null) {
                // The connection went away while subscribing; the disconnected listener reports it.
                LOG.warn("subscribing at {} failed: {}", settings.address(), error.toString());
                return;
            }
            String refusal = subscribeRefusal(subAck);
            if (refusal != null) {
                LOG.error("{} refused the station's subscriptions: {}", settings.address(), refusal);
                CompletableFuture<Void> first;
                int refusedGen;
                synchronized (lock) {
                    if (gen != generation) {
                        return;
                    }
                    first = firstConnection;
                    refusedGen = ++generation;
                    client = null;
                }
                disconnectQuietly(current);
                report(refusedGen, ConnectionState.refused(settings.address(), refusal));
                first.completeExceptionally(new IllegalStateException(refusal));
                return;
            }
            synchronized (lock) {
                failedAttempts = 0;
            }
            LOG.info("connected to {}, subscribed {}", settings.address(), Topic.stationFilters(stationId));
            report(gen, ConnectionState.connected(settings.address()));
            CompletableFuture<Void> first = firstConnection(gen);
            if (first != null) {
                first.complete(null);
            }
        });
    }

    private void onDisconnected(int gen, BrokerSettings settings, MqttClientDisconnectedContext context) {
        if (currentClient(gen) == null) {
            context.getReconnector().reconnect(false);
            return;
        }
        Throwable cause = context.getCause();
        CompletableFuture<Void> first = firstConnection(gen);
        if (context.getSource() == MqttDisconnectSource.USER) {
            report(gen, ConnectionState.disconnected());
            return;
        }
        String refusal = refusal(cause);
        if (refusal != null) {
            context.getReconnector().reconnect(false);
            LOG.error("{} refused the connection: {}", settings.address(), refusal);
            report(gen, ConnectionState.refused(settings.address(), refusal));
        } else {
            // Counted here: the client's own count starts differently for a first connect and a lost connection.
            int attempt;
            synchronized (lock) {
                attempt = ++failedAttempts;
            }
            String reason = describe(cause);
            LOG.warn("connection to {} failed or lost ({}); reconnect attempt {}", settings.address(), reason,
                    attempt);
            report(gen, ConnectionState.reconnecting(settings.address(), attempt, reason));
        }
        if (first != null) {
            first.completeExceptionally(cause);
        }
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        Mqtt5AsyncClient old;
        int gen;
        synchronized (lock) {
            old = client;
            client = null;
            gen = ++generation;
        }
        report(gen, ConnectionState.disconnected());
        if (old == null) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.info("disconnecting");
        return old.disconnect().handle((ignored, error) -> null);
    }

    @Override
    public CompletableFuture<Void> sendSpray(String agentId, SprayCommand command) {
        return publish(Topic.of(agentId, TopicKind.CMD_SPRAY), command,
                builder -> builder.messageExpiryInterval(SPRAY_EXPIRY_S));
    }

    @Override
    public CompletableFuture<Void> sendConfig(String agentId, ConfigCommand command) {
        return publish(Topic.of(agentId, TopicKind.CMD_CONFIG), command, UnaryOperator.identity());
    }

    @Override
    public CompletableFuture<Void> requestHistory(String agentId, HistoryRequest request) {
        String responseTopic = Topic.reply(agentId, stationId).toString();
        byte[] correlation = request.id().getBytes(StandardCharsets.UTF_8);
        return publish(Topic.of(agentId, TopicKind.CMD_HISTORY), request,
                builder -> builder.responseTopic(responseTopic).correlationData(correlation));
    }

    @Override
    public CompletableFuture<Void> sendSimSet(String agentId, SimSetCommand command) {
        return publish(Topic.of(agentId, TopicKind.SIM_SET), command, UnaryOperator.identity());
    }

    @Override
    public CompletableFuture<Void> sendCalibration(String agentId, CalibrationCommand command) {
        return publish(Topic.of(agentId, TopicKind.CMD_CALIBRATION), command, UnaryOperator.identity());
    }

    private CompletableFuture<Void> publish(Topic topic, Object message,
            UnaryOperator<Mqtt5PublishBuilder.Complete> properties) {
        Mqtt5AsyncClient current;
        synchronized (lock) {
            current = client;
        }
        ConnectionState now = state;
        if (current == null || !now.isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "not sent to " + topic + ": the station is " + now.text()));
        }
        Mqtt5PublishBuilder.Complete builder = Mqtt5Publish.builder()
                .topic(topic.toString())
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(codec.encode(message));
        return current.publish(properties.apply(builder).build()).thenApply(result -> {
            if (result.getError().isPresent()) {
                throw new IllegalStateException("the broker did not accept the message on " + topic + ": "
                        + result.getError().get().getMessage(), result.getError().get());
            }
            return null;
        });
    }

    private void onPublish(Mqtt5Publish publish) {
        String topicName = publish.getTopic().toString();
        Topic topic = Topic.parse(topicName).orElse(null);
        byte[] payload = publish.getPayloadAsBytes();
        if (topic == null) {
            LOG.warn("dropped a message on \"{}\": not a Spike protocol v1 topic", topicName);
            return;
        }
        if (payload.length == 0 && publish.isRetain()) {
            // Somebody cleared a retained topic (e.g. a removed agent); nothing to show.
            LOG.debug("retained {} was cleared", topic);
            return;
        }
        Decoded<Object> decoded = codec.decode(topic, payload);
        if (!decoded.isOk()) {
            LOG.warn("dropped a message on {}: {}", topic, decoded.error());
            return;
        }
        for (MessageListener listener : messageListeners) {
            try {
                listener.onMessage(topic, decoded.value());
            } catch (RuntimeException e) {
                LOG.error("a message listener failed on {}: {}", topic, e.toString(), e);
            }
        }
    }

    @Override
    public Registration addMessageListener(MessageListener listener) {
        messageListeners.add(listener);
        return () -> messageListeners.remove(listener);
    }

    @Override
    public Registration addStateListener(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
        return () -> stateListeners.remove(listener);
    }

    @Override
    public void close() {
        disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(error -> null).join();
        inbound.shutdown();
        try {
            if (!inbound.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the inbound thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sets the state unless {@code gen} is stale, and tells the listeners on the inbound thread. */
    private void report(int gen, ConnectionState next) {
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            state = next;
        }
        try {
            inbound.execute(() -> {
                for (Consumer<ConnectionState> listener : stateListeners) {
                    try {
                        listener.accept(next);
                    } catch (RuntimeException e) {
                        LOG.error("a state listener failed on {}: {}", next, e.toString(), e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("gateway closed; state {} not reported", next);
        }
    }

    private Mqtt5AsyncClient currentClient(int gen) {
        synchronized (lock) {
            return gen == generation ? client : null;
        }
    }

    private CompletableFuture<Void> firstConnection(int gen) {
        synchronized (lock) {
            return gen == generation ? firstConnection : null;
        }
    }

    private Mqtt5Subscribe subscription() {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String filter : Topic.stationFilters(stationId)) {
            subscriptions.add(Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
        }
        return Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build();
    }

    private String subscribeRefusal(Mqtt5SubAck subAck) {
        List<String> filters = Topic.stationFilters(stationId);
        List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).isError()) {
                String filter = i < filters.size() ? filters.get(i) : "#" + i;
                return "not allowed to subscribe to " + filter + " (" + words(codes.get(i).name())
                        + "); grant the station's user read access to spike/#";
            }
        }
        return null;
    }

    /** Why the broker refused, for a person; null if the failure is one to retry. */
    static String refusal(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof Mqtt5ConnAckException) {
                Mqtt5ConnAck connAck = ((Mqtt5ConnAckException) t).getMqttMessage();
                Mqtt5ConnAckReasonCode code = connAck.getReasonCode();
                if (REFUSALS.contains(code)) {
                    String text = words(code.name());
                    if (connAck.getReasonString().isPresent()) {
                        text += " (" + connAck.getReasonString().get() + ")";
                    }
                    return text + hint(code);
                }
                return null;
            }
            if (t instanceof SSLException || t instanceof CertificateException
                    || t instanceof CertPathValidatorException) {
                return "TLS handshake failed: " + t.getMessage()
                        + "; check the CA file and that the broker's certificate names this host";
            }
        }
        return null;
    }

    private static String hint(Mqtt5ConnAckReasonCode code) {
        switch (code) {
            case BAD_USER_NAME_OR_PASSWORD:
            case NOT_AUTHORIZED:
                return "; check the user name and password";
            case UNSUPPORTED_PROTOCOL_VERSION:
                return "; the station needs a broker that speaks MQTT 5";
            default:
                return "";
        }
    }

    /** The root cause's message: "Connection refused: /127.0.0.1:1883". */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "connection lost";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    private static String words(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static void disconnectQuietly(Mqtt5AsyncClient old) {
        if (old != null) {
            old.disconnect().whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.debug("disconnecting the previous client: {}", error.toString());
                }
            });
        }
    }

    static TrustManagerFactory trustManagers(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new CertificateException("no certificate in " + caFile
                    + " (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
