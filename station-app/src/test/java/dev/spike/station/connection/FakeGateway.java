package dev.spike.station.connection;

import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.Command;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An {@link MqttGateway} without a broker that behaves like {@link HiveMqGateway} where the station can tell:
 * states move CONNECTING → CONNECTED (or REFUSED), commands fail at once unless connected, every message in either
 * direction goes through the protocol codec (so what would not survive the wire does not survive here), a message
 * that does not decode is dropped, and listeners are called one at a time. Unlike the real one it calls listeners on
 * the caller's thread: tests stay synchronous.
 *
 * <p>Fake agents hook in with {@link #onCommand}; tests drive the connection with {@link #dropConnection} and
 * {@link #restoreConnection}.
 */
public final class FakeGateway implements MqttGateway {

    /** A command as it left the station, with its MQTT 5 properties. */
    public record Sent(String agentId, Topic topic, Command command, Long messageExpiryS, String responseTopic,
            String correlationData) {
    }

    private final String stationId;
    private final Codec codec = new Codec();
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Sent>> commandHandlers = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile ConnectionState state = ConnectionState.disconnected();
    private volatile String refusal;
    private volatile String publishFailure;
    private volatile String broker = "tcp://fake:1883";

    public FakeGateway() {
        this("station-test");
    }

    public FakeGateway(String stationId) {
        this.stationId = stationId;
    }

    /** The next connect is refused with this reason (null: accepted). */
    public void refuseNextConnect(String reason) {
        this.refusal = reason;
    }

    /** The next command is not accepted by the broker (e.g. the connection broke while sending). */
    public void failNextPublish(String reason) {
        this.publishFailure = reason;
    }

    @Override
    public String stationId() {
        return stationId;
    }

    @Override
    public synchronized CompletableFuture<Void> connect(BrokerSettings settings) {
        broker = settings.address();
        setState(ConnectionState.connecting(broker));
        if (refusal != null) {
            String reason = refusal;
            refusal = null;
            setState(ConnectionState.refused(broker, reason));
            return CompletableFuture.failedFuture(new IllegalStateException(reason));
        }
        setState(ConnectionState.connected(broker));
        return CompletableFuture.completedFuture(null);
    }

    /** Connects to a made-up broker. */
    public void connect() {
        connect(BrokerSettings.parse("tcp://fake:1883", null, null, null));
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        setState(ConnectionState.disconnected());
        return CompletableFuture.completedFuture(null);
    }

    /** The connection is lost; the client is on its {@code attempt}th reconnect. */
    public void dropConnection(int attempt) {
        setState(ConnectionState.reconnecting(broker, attempt, "Connection refused"));
    }

    public void dropConnection() {
        dropConnection(1);
    }

    /** A reconnect succeeded. */
    public void restoreConnection() {
        setState(ConnectionState.connected(broker));
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    private void setState(ConnectionState next) {
        state = next;
        for (Consumer<ConnectionState> listener : stateListeners) {
            listener.accept(next);
        }
    }

    @Override
    public CompletableFuture<Void> sendSpray(String agentId, SprayCommand command) {
        return publish(agentId, TopicKind.CMD_SPRAY, command, 30L, null, null);
    }

    @Override
    public CompletableFuture<Void> sendConfig(String agentId, ConfigCommand command) {
        return publish(agentId, TopicKind.CMD_CONFIG, command, null, null, null);
    }

    @Override
    public CompletableFuture<Void> requestHistory(String agentId, HistoryRequest request) {
        return publish(agentId, TopicKind.CMD_HISTORY, request, null, Topic.reply(agentId, stationId).toString(),
                request.id());
    }

    @Override
    public CompletableFuture<Void> sendSimSet(String agentId, SimSetCommand command) {
        return publish(agentId, TopicKind.SIM_SET, command, null, null, null);
    }

    @Override
    public CompletableFuture<Void> sendCalibration(String agentId, CalibrationCommand command) {
        return publish(agentId, TopicKind.CMD_CALIBRATION, command, null, null, null);
    }

    private CompletableFuture<Void> publish(String agentId, TopicKind kind, Command command, Long expiry,
            String responseTopic, String correlation) {
        Topic topic = Topic.of(agentId, kind);
        if (!state.isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "not sent to " + topic + ": the station is " + state.text()));
        }
        if (publishFailure != null) {
            String reason = publishFailure;
            publishFailure = null;
            return CompletableFuture.failedFuture(new IllegalStateException(reason));
        }
        Decoded<Object> wire = codec.decode(topic, codec.encode(command));
        if (!wire.isOk()) {
            throw new AssertionError("the station sent a command the agent cannot read: " + wire.error());
        }
        Sent record = new Sent(agentId, topic, (Command) wire.value(), expiry, responseTopic, correlation);
        sent.add(record);
        for (Consumer<Sent> handler : commandHandlers) {
            handler.accept(record);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A fake agent's ear: called for every command sent, after it is recorded. */
    public void onCommand(Consumer<Sent> handler) {
        commandHandlers.add(handler);
    }

    /** The broker delivers a message: through the codec, like the real gateway. Only while connected. */
    public void receive(Topic topic, Object message) {
        if (!state.isConnected()) {
            return;
        }
        Decoded<Object> decoded = codec.decode(topic, codec.encode(message));
        if (!decoded.isOk()) {
            throw new AssertionError("a fake agent sent what the codec rejects: " + decoded.error());
        }
        deliver(topic, decoded.value());
    }

    /** The broker delivers raw bytes; like the real gateway, what does not decode is dropped. */
    public void receiveRaw(String topicName, byte[] payload) {
        Topic topic = Topic.parse(topicName).orElse(null);
        if (topic == null || !state.isConnected()) {
            return;
        }
        Decoded<Object> decoded = codec.decode(topic, payload);
        if (decoded.isOk()) {
            deliver(topic, decoded.value());
        }
    }

    private synchronized void deliver(Topic topic, Object message) {
        for (MessageListener listener : messageListeners) {
            listener.onMessage(topic, message);
        }
    }

    /** Every command sent, oldest first. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The commands of one type sent, oldest first. */
    public <T extends Command> List<T> sent(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Sent s : sent) {
            if (type.isInstance(s.command())) {
                found.add(type.cast(s.command()));
            }
        }
        return found;
    }

    public void clearSent() {
        sent.clear();
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
        disconnect();
    }
}
