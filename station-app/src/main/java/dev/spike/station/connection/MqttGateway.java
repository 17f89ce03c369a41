package dev.spike.station.connection;

import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.Topic;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The station's only way to the broker: connect, send the four commands of protocol v1, hear what agents say.
 * Nothing outside the {@code connection} package sees an MQTT client, a topic string or JSON.
 *
 * <p><b>Threads.</b> Listeners are called on one gateway thread, one call at a time, messages in the order they
 * arrived. A listener must not block and must not touch JavaFX state: hand the work to your own thread (the station
 * feed's, or the UI executor).
 *
 * <p><b>Sending.</b> Commands are sent with QoS 1 and only while {@link ConnectionState#isConnected() connected};
 * otherwise the returned future fails at once with an {@link IllegalStateException} saying so. A command is never
 * queued for later: a spray sent minutes late is worse than one refused now. The future completes when the broker
 * acknowledged the message, which says nothing about the agent: its answer is the {@code command_result} event.
 */
public interface MqttGateway extends AutoCloseable {

    /** Decoded messages from the broker: a valid protocol v1 message and the topic it came on. */
    @FunctionalInterface
    interface MessageListener {

        /**
         * @param topic   where it came from; its agent id names the agent
         * @param message a {@code Status}, {@code AgentState}, {@code Health}, {@code ConfigSnapshot}, an
         *                {@code Event} or a {@code HistoryPage} of {@code dev.spike.model}
         */
        void onMessage(Topic topic, Object message);
    }

    /** The id this station uses on the broker: client id {@code spike-station-<stationId>}, its reply topics. */
    String stationId();

    /**
     * Connects to the broker, replacing any earlier connection, and keeps reconnecting until {@link #disconnect()}
     * or a refusal. The future completes when the first connection is up and subscribed, and fails if the first
     * attempt fails (reconnecting goes on unless the broker refused; watch the state).
     */
    CompletableFuture<Void> connect(BrokerSettings settings);

    /** Disconnects and stops reconnecting; the broker keeps the station's session for the next connect. */
    CompletableFuture<Void> disconnect();

    ConnectionState state();

    /** {@code cmd/spray}, with an MQTT 5 message expiry of 30 s so a late delivery never sprays. */
    CompletableFuture<Void> sendSpray(String agentId, SprayCommand command);

    /** {@code cmd/config}: replace the agent's rules. */
    CompletableFuture<Void> sendConfig(String agentId, ConfigCommand command);

    /**
     * {@code cmd/history}, with the response topic {@code spike/<agentId>/reply/<stationId>} and the request id as
     * correlation data. The pages arrive as {@code HistoryPage} messages.
     */
    CompletableFuture<Void> requestHistory(String agentId, HistoryRequest request);

    /** {@code sim/set}: honoured by a simulated agent only. */
    CompletableFuture<Void> sendSimSet(String agentId, SimSetCommand command);

    /** {@code cmd/calibration}: calibrate one of the agent's sensors. */
    CompletableFuture<Void> sendCalibration(String agentId, CalibrationCommand command);

    Registration addMessageListener(MessageListener listener);

    /** Called on every change of {@link #state()}, on the gateway thread. */
    Registration addStateListener(Consumer<ConnectionState> listener);

    /** Disconnects and releases the gateway's thread. */
    @Override
    void close();
}
