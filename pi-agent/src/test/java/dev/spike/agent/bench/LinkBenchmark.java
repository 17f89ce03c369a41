package dev.spike.agent.bench;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.link.LinkConfig;
import dev.spike.agent.link.MqttLink;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.model.Rules;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Prints the MQTT link's figures for {@code docs/performance.md}, against Debian's mosquitto on loopback, once with
 * mosquitto's defaults and once with {@code set_tcp_nodelay true} and a large {@code max_queued_messages} (see the
 * broker notes in docs/agent.md):
 * <ol>
 *   <li>backlog replay: 100,000 stored events published to a fresh broker, in seq order with QoS 1, until a
 *       subscriber (QoS 1, as a station) has counted every one; target at least 10,000 events/s;</li>
 *   <li>command round trip: a station publishes {@code cmd/spray} and waits for the {@code valve_opened} it causes,
 *       through the broker, the agent's decode, policy, valve, SQLite store and forwarder (p50/p99 over 1,000
 *       sprays); target p99 under 50 ms.</li>
 * </ol>
 * Run: {@code mvn -B -q -pl pi-agent test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.agent.bench.LinkBenchmark}
 */
public final class LinkBenchmark {

    static final int BACKLOG = Integer.getInteger("backlog", 100_000);
    static final int WARMUP_SPRAYS = 100;
    static final int MEASURED_SPRAYS = Integer.getInteger("sprays", 1_000);

    private LinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // per-event INFO lines would measure the console
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.WARN);
        for (List<String> tuning : List.of(List.<String>of(),
                List.of("set_tcp_nodelay true", "max_queued_messages 1000000"))) {
            System.out.println(tuning.isEmpty() ? "mosquitto " + mosquittoVersion() + " with Debian's defaults:"
                    : "mosquitto with " + String.join(", ", tuning) + ":");
            backlogReplay(tuning);
            commandRoundTrip(tuning);
        }
    }

    private static String mosquittoVersion() {
        try {
            Process process = new ProcessBuilder("/usr/sbin/mosquitto", "-h").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("version (\\S+)").matcher(text);
            return m.find() ? m.group(1) : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static void backlogReplay(List<String> tuning) throws Exception {
        String agentId = "bench-replay";
        Path dir = Files.createTempDirectory("spike-bench-link");
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve(agentId + ".db"), agentId)) {
            Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < BACKLOG; i++) {
                Instant at = t0.plusSeconds(5L * i);
                batch.add(i % 2 == 0 ? new HumidityChanged(agentId, 1, at, 60 + (i % 300) / 10.0)
                        : new TemperatureChanged(agentId, 1, at, 24 + (i % 60) / 10.0));
                if (batch.size() == 1_000) {
                    store.appendAll(batch);
                    batch.clear();
                }
            }
        }
        try (MosquittoBroker broker = broker(tuning);
                ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), 1)) {
            Map<Long, Boolean> seen = new ConcurrentHashMap<>();
            AtomicLong lastArrival = new AtomicLong();
            Mqtt5AsyncClient subscriber = broker.clientBuilder().identifier("bench-counter").buildAsync();
            String eventPrefix = Topic.ROOT + "/" + agentId + "/" + TopicKind.EVENT.wire() + "/";
            Codec codec = new Codec();
            subscriber.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                if (publish.getTopic().toString().startsWith(eventPrefix)) {
                    long seq = codec.decode(publish.getTopic().toString(), publish.getPayloadAsBytes())
                            .as(Event.class).value().seq();
                    seen.put(seq, Boolean.TRUE);
                    lastArrival.set(System.nanoTime());
                }
            });
            subscriber.connect().get(10, TimeUnit.SECONDS);
            subscriber.subscribeWith().topicFilter(eventPrefix + "+").qos(MqttQos.AT_LEAST_ONCE).send()
                    .get(10, TimeUnit.SECONDS);

            ResilientEventStore store = ResilientEventStore.open(dir.resolve(agentId + ".db"), agentId);
            Simulation simulation = new Simulation(scheduler, ZoneOffset.UTC, 90, 1);
            AgentConfig config = AgentConfig.defaults().withAgentId(agentId).withDataDir(dir);
            // the agent is built but not started: the backlog is all there is to publish
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "bench");
            MqttLink link = new MqttLink(plain(agentId, broker), agent, store, scheduler, simulation, "bench");
            long start = System.nanoTime();
            link.start();
            long deadline = start + TimeUnit.SECONDS.toNanos(300);
            long ackedAt = 0;
            while ((seen.size() < BACKLOG || ackedAt == 0) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
                if (ackedAt == 0 && store.metaLong("broker_acked_seq", 0) >= BACKLOG) {
                    ackedAt = System.nanoTime();
                }
            }
            double acked = (ackedAt - start) / 1e9;
            double seconds = (lastArrival.get() - start) / 1e9;
            long dropped = broker.log().lines().filter(line -> line.contains("dropped")).count();
            System.out.printf(Locale.ROOT, "  backlog replay: %,d stored events acknowledged by the broker within"
                    + " %.2f s (position saved at most 1 s late) = at least %,.0f events/s; %,d of them received by"
                    + " a QoS 1 subscriber in %.2f s = %,.0f events/s (target >= 10,000)%s%n",
                    BACKLOG, acked, BACKLOG / acked, seen.size(), seconds, seen.size() / seconds,
                    dropped == 0 ? "" : "; the broker logged " + dropped + " lines about dropping messages for the"
                            + " subscriber (max_queued_messages)");
            link.close();
            subscriber.disconnect().get(5, TimeUnit.SECONDS);
            store.close();
        }
    }

    private static void commandRoundTrip(List<String> tuning) throws Exception {
        String agentId = "bench-command";
        Path dir = Files.createTempDirectory("spike-bench-command");
        // time x100: a 1 s spray closes after 10 ms of wall time, so sprays can follow each other quickly
        try (MosquittoBroker broker = broker(tuning);
                ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), 100)) {
            Simulation simulation = new Simulation(scheduler, ZoneOffset.UTC, 90, 1);
            LocalTime evening = LocalTime.now(ZoneOffset.UTC).plusHours(12).truncatedTo(ChronoUnit.MINUTES);
            Rules rules = Rules.defaults(ZoneOffset.UTC).withEveningTime(evening);
            // a runaway budget of the whole hour: the benchmark sprays far more than any terrarium needs
            AgentConfig config = new AgentConfig(agentId, dir, rules, 1, 0x44, 17, false, 3600, 90);
            ResilientEventStore store = ResilientEventStore.open(dir.resolve(agentId + ".db"), agentId);
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "bench");
            MqttLink link = new MqttLink(plain(agentId, broker), agent, store, scheduler, simulation, "bench");
            link.start();
            agent.start();

            Map<String, Long> openedAt = new ConcurrentHashMap<>();
            AtomicLong closedCount = new AtomicLong();
            Codec codec = new Codec();
            Mqtt5AsyncClient station = broker.clientBuilder().identifier("bench-station").buildAsync();
            String eventPrefix = Topic.ROOT + "/" + agentId + "/" + TopicKind.EVENT.wire() + "/";
            station.publishes(MqttGlobalPublishFilter.ALL, publish -> {
                String topic = publish.getTopic().toString();
                if (!topic.startsWith(eventPrefix)) {
                    return;
                }
                Event event = codec.decode(topic, publish.getPayloadAsBytes()).as(Event.class).value();
                if (event instanceof ValveOpened && ((ValveOpened) event).commandId() != null) {
                    openedAt.putIfAbsent(((ValveOpened) event).commandId(), System.nanoTime());
                } else if (event instanceof ValveClosed) {
                    closedCount.incrementAndGet();
                }
            });
            station.connect().get(10, TimeUnit.SECONDS);
            station.subscribeWith().topicFilter(eventPrefix + "+").qos(MqttQos.AT_LEAST_ONCE).send()
                    .get(10, TimeUnit.SECONDS);

            long[] micros = new long[MEASURED_SPRAYS];
            int missed = 0;
            for (int i = 0; i < WARMUP_SPRAYS + MEASURED_SPRAYS; i++) {
                String id = "bench-" + i;
                long closedBefore = closedCount.get();
                long sent = System.nanoTime();
                station.publish(Mqtt5Publish.builder().topic(Topic.of(agentId, TopicKind.CMD_SPRAY).toString())
                        .qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(30)
                        .payload(("{\"id\":\"" + id + "\",\"durationS\":1}").getBytes(StandardCharsets.UTF_8))
                        .build());
                long deadline = sent + TimeUnit.SECONDS.toNanos(5);
                while (!openedAt.containsKey(id) && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Long opened = openedAt.get(id);
                if (opened == null) {
                    missed++;
                } else if (i >= WARMUP_SPRAYS) {
                    micros[i - WARMUP_SPRAYS] = (opened - sent) / 1_000;
                }
                // the next spray only once this one closed: an open valve refuses
                long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (opened != null && closedCount.get() == closedBefore && System.nanoTime() < closeDeadline) {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "  command round trip, cmd/spray published -> valve_opened "
                    + "received (%d sprays): p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 50 ms)%s%n",
                    MEASURED_SPRAYS, micros[MEASURED_SPRAYS / 2] / 1000.0, micros[MEASURED_SPRAYS * 99 / 100] / 1000.0,
                    micros[MEASURED_SPRAYS - 1] / 1000.0, missed == 0 ? "" : "; " + missed + " got no valve_opened");
            agent.close();
            scheduler.runAndWait(() -> { }, Duration.ofSeconds(5));
            link.close();
            station.disconnect().get(5, TimeUnit.SECONDS);
            store.close();
        }
    }

    private static MosquittoBroker broker(List<String> tuning) {
        MosquittoBroker.Builder builder = MosquittoBroker.builder();
        tuning.forEach(builder::configLine);
        return builder.start();
    }

    private static LinkConfig plain(String agentId, MosquittoBroker broker) throws Exception {
        return LinkConfig.resolve(agentId, MqttSettings.NONE.withBroker(broker.uri()), Map.of());
    }
}
