package dev.spike.station.app;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5WillPublish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.station.log.EventTexts;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated agent of the {@link LoadRig}: its own MQTT client, speaking protocol v1 the way the real agent's
 * link does (docs/protocol.md): client id {@code spike-agent-<id>}, the offline status as the retained will, the
 * retained status, config, state and health, and events with contiguous seqs from 1, QoS 1, in seq order.
 *
 * <p>Each {@link #tick} is one second of the agent: a {@code humidity_changed} and a {@code temperature_changed},
 * every minute a spray ({@code valve_opened}, {@code valve_closed} 6 s later), every five minutes a high-humidity
 * alarm raised and cleared a minute later, the state after every tick (the real agent republishes it on every
 * reading) and the health once a minute. The agents' phases differ, so their sprays and alarms do not line up.
 *
 * <p>It never answers {@code cmd/history}: every event has to reach the station live. It counts the history
 * requests it gets, which the station only sends when it sees a gap.
 *
 * <p>{@link #tick} runs on one thread at a time (the rig's ticker); the counters may be read from any thread.
 */
final class LoadAgent {

    static final String VERSION = "0.1.0-load";
    static final int SPRAY_EVERY_S = 60;
    static final int SPRAY_S = 6;
    static final int ALARM_EVERY_S = 300;
    static final int ALARM_FOR_S = 60;
    static final int HEALTH_EVERY_S = 60;

    private final String agentId;
    private final int phase;
    private final Codec codec;
    private final ZoneId zone;
    private final Mqtt5AsyncClient client;
    private final Instant startedAt;
    private final AtomicLong historyRequests = new AtomicLong();
    private final AtomicLong failedPublishes = new AtomicLong();
    private volatile long publishedSeq;
    private volatile String lastReadingText = "";
    /** The last publish; they complete in order, so once it is acknowledged, all are. */
    private volatile CompletableFuture<?> lastPublish = CompletableFuture.completedFuture(null);

    // ticker thread only
    private long second;
    private long seq;
    private long openedAtSecond = -1;
    private long alarmAtSecond = -1;
    private Instant lastSprayAt;

    LoadAgent(String agentId, int phase, int brokerPort, Codec codec, ZoneId zone) {
        this.agentId = agentId;
        this.phase = phase;
        this.codec = codec;
        this.zone = zone;
        this.startedAt = Instant.now();
        this.client = Mqtt5Client.builder()
                .identifier("spike-agent-" + agentId)
                .serverHost("127.0.0.1")
                .serverPort(brokerPort)
                .buildAsync();
    }

    /** "load-07": the ids sort in the order they were made. */
    static String id(int index) {
        return String.format(Locale.ROOT, "load-%02d", index + 1);
    }

    String agentId() {
        return agentId;
    }

    /** Connects, subscribes to its commands and publishes the retained topics, as the link does on connect. */
    void connect(Instant now) throws Exception {
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> historyRequests.incrementAndGet());
        client.connectWith()
                .cleanStart(true)
                .keepAlive(30)
                .willPublish(Mqtt5WillPublish.builder()
                        .topic(Topic.status(agentId).toString())
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .payload(codec.encode(new Status(false, now, VERSION, true)))
                        .build())
                .send().get(30, TimeUnit.SECONDS);
        List<Mqtt5Subscription> filters = new ArrayList<>();
        for (String filter : Topic.agentFilters(agentId)) {
            filters.add(Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
        }
        client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(filters).build()).get(30, TimeUnit.SECONDS);
        publish(Topic.status(agentId), new Status(true, now, VERSION, true));
        publish(Topic.config(agentId), new ConfigSnapshot(now, rules()));
        publish(Topic.state(agentId), state(now, null, null, null));
        publish(Topic.health(agentId), health(now));
    }

    /** Rules with a read interval of 1 s, so the station's "no reading" check expects what this agent does. */
    private Rules rules() {
        return new Rules(75, SPRAY_S, 10, 6, 3, LocalTime.of(20, 0), 60, zone, 30, 1, 60, 95);
    }

    /** One second of the agent's life. */
    void tick(Instant now) {
        second++;
        double humidity = round(70 + 10 * Math.sin((second + phase) / 40.0));
        double temperature = round(24 + 2 * Math.sin((second + 3 * phase) / 90.0));
        event(new HumidityChanged(agentId, ++seq, now, humidity));
        event(new TemperatureChanged(agentId, ++seq, now, temperature));
        if ((second + phase) % SPRAY_EVERY_S == 0) {
            event(new ValveOpened(agentId, ++seq, now, SPRAY_S, SprayReason.LOW_HUMIDITY, null));
            openedAtSecond = second;
            lastSprayAt = now;
        } else if (openedAtSecond >= 0 && second == openedAtSecond + SPRAY_S) {
            event(new ValveClosed(agentId, ++seq, now, SPRAY_S * 1000L));
            openedAtSecond = -1;
        }
        if ((second + 5L * phase) % ALARM_EVERY_S == 0) {
            event(new HumidityAlarm(agentId, ++seq, now, AlarmKind.HIGH, humidity,
                    "above 95 % for 60 min (load rig)"));
            alarmAtSecond = second;
        } else if (alarmAtSecond >= 0 && second == alarmAtSecond + ALARM_FOR_S) {
            event(new HumidityAlarmCleared(agentId, ++seq, now, AlarmKind.HIGH));
            alarmAtSecond = -1;
        }
        publish(Topic.state(agentId), state(now, humidity, temperature, now));
        if (second % HEALTH_EVERY_S == 0) {
            publish(Topic.health(agentId), health(now));
        }
        publishedSeq = seq;
        lastReadingText = readingText(humidity, temperature);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The sidebar's summary of a reading while the agent is online. */
    static String readingText(double humidity, double temperature) {
        return EventTexts.percent(humidity) + " · " + EventTexts.celsius(temperature);
    }

    private AgentState state(Instant now, Double humidity, Double temperature, Instant readingAt) {
        boolean open = openedAtSecond >= 0;
        return new AgentState(now, seq, humidity, temperature, readingAt, open,
                open ? lastSprayAt.plusSeconds(SPRAY_S) : null, Mode.NORMAL, lastSprayAt,
                lastSprayAt == null ? null : SprayReason.LOW_HUMIDITY, null, null, null,
                alarmAtSecond >= 0 ? List.of(AlarmKind.HIGH) : List.of());
    }

    private Health health(Instant now) {
        return new Health(now, VERSION, Math.max(0, now.getEpochSecond() - startedAt.getEpochSecond()), null, 0.1,
                4_026_531_840L, 3_221_225_472L, 25_769_803_776L, 21_000_000, 67_108_864, seq * 60, 0, null);
    }

    private void event(Event event) {
        publish(Topic.event(agentId, event.type()), event);
    }

    private void publish(Topic topic, Object message) {
        Mqtt5Publish publish = Mqtt5Publish.builder()
                .topic(topic.toString())
                .qos(topic.kind().qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .retain(topic.kind().retained())
                .payload(codec.encode(message))
                .build();
        lastPublish = client.publish(publish).whenComplete((result, error) -> {
            if (error != null || result.getError().isPresent()) {
                failedPublishes.incrementAndGet();
            }
        });
    }

    /** Waits until the broker acknowledged everything published so far. */
    void flush() throws Exception {
        lastPublish.get(60, TimeUnit.SECONDS);
    }

    /** The highest seq published: the events are 1..this. */
    long publishedSeq() {
        return publishedSeq;
    }

    /** The sidebar text of the last reading published. */
    String lastReadingText() {
        return lastReadingText;
    }

    long historyRequests() {
        return historyRequests.get();
    }

    long failedPublishes() {
        return failedPublishes.get();
    }

    void disconnect() {
        client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(error -> null).join();
    }
}
