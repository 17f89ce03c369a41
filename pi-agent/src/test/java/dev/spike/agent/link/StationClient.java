package dev.spike.agent.link;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import dev.spike.model.codec.Codec;
import dev.spike.model.codec.Decoded;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A station for tests: an MQTT 5 client that subscribes as a station does (Topic.stationFilters), keeps every
 * message it gets, decodes them with the shared codec and sends commands.
 */
final class StationClient implements AutoCloseable {

    /** One message as it arrived. */
    record Message(String topic, byte[] payload, boolean retained, byte[] correlation) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final String stationId;
    private final Mqtt5AsyncClient client;
    private final Codec codec = new Codec();
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    /** A clean session to {@code host:port}. */
    StationClient(String host, int port, String stationId) {
        this(MqttClient.builder().useMqttVersion5().serverHost(host).serverPort(port), stationId, false);
    }

    /**
     * @param persistent a persistent session (clean start off, 1 h expiry) under the id {@code stationId}, with
     *                   automatic reconnect: it gets what was published while it was away
     */
    StationClient(Mqtt5ClientBuilder builder, String stationId, boolean persistent) {
        this.stationId = stationId;
        Mqtt5ClientBuilder configured = builder.identifier("test-" + stationId);
        if (persistent) {
            configured = configured.automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                    .maxDelay(500, TimeUnit.MILLISECONDS).applyAutomaticReconnect();
        }
        client = configured.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::received);
        try {
            client.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send()
                    .get(10, TimeUnit.SECONDS);
            for (String filter : Topic.stationFilters(stationId)) {
                client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                        .get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("station " + stationId + " cannot connect: " + e, e);
        }
    }

    private void received(Mqtt5Publish publish) {
        messages.add(new Message(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.isRetain(),
                publish.getCorrelationData().map(StationClient::bytes).orElse(null)));
    }

    String stationId() {
        return stationId;
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    List<Message> on(Topic topic) {
        String name = topic.toString();
        return messages.stream().filter(m -> m.topic().equals(name)).collect(Collectors.toList());
    }

    Optional<Message> latest(Topic topic) {
        List<Message> on = on(topic);
        return on.isEmpty() ? Optional.empty() : Optional.of(on.get(on.size() - 1));
    }

    /** The latest message on {@code topic}, decoded as {@code type}. */
    <T> Optional<T> latest(Topic topic, Class<T> type) {
        return latest(topic).map(m -> codec.decode(topic, m.payload()).as(type).value());
    }

    /** Every event of {@code agentId} in the order received, duplicates included. */
    List<Event> events(String agentId) {
        String prefix = Topic.ROOT + "/" + agentId + "/" + TopicKind.EVENT.wire() + "/";
        List<Event> events = new ArrayList<>();
        for (Message message : messages) {
            if (message.topic().startsWith(prefix)) {
                Decoded<Event> decoded = codec.decode(message.topic(), message.payload()).as(Event.class);
                events.add(decoded.value());
            }
        }
        return events;
    }

    /** The command_results for {@code commandId}, in the order received. */
    List<CommandResult> results(String agentId, String commandId) {
        return events(agentId).stream().filter(CommandResult.class::isInstance).map(CommandResult.class::cast)
                .filter(r -> r.commandId().equals(commandId)).collect(Collectors.toList());
    }

    /** History pages that came on this station's reply topic from {@code agentId}. */
    List<HistoryPage> pages(String agentId) {
        Topic reply = Topic.reply(agentId, stationId);
        return on(reply).stream().map(m -> codec.decode(reply, m.payload()).as(HistoryPage.class).value())
                .collect(Collectors.toList());
    }

    void publish(Topic topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    void publish(Topic topic, byte[] payload) {
        send(Mqtt5Publish.builder().topic(topic.toString()).qos(MqttQos.AT_LEAST_ONCE).payload(payload));
    }

    /** A message on any topic string, for topics outside the protocol. */
    void publishRaw(String topic, String payload, boolean retain) {
        send(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** A cmd/history as a station sends it: response topic of this station and the given correlation data. */
    void askHistory(String agentId, String json, byte[] correlation) {
        send(Mqtt5Publish.builder().topic(Topic.of(agentId, TopicKind.CMD_HISTORY).toString())
                .qos(MqttQos.AT_LEAST_ONCE).payload(json.getBytes(StandardCharsets.UTF_8))
                .responseTopic(Topic.reply(agentId, stationId).toString()).correlationData(correlation));
    }

    private void send(Mqtt5PublishBuilder.Complete message) {
        try {
            client.publish(message.build()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("station " + stationId + " cannot publish: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the test is over; a broker that is gone already is fine
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
