package dev.spike.station.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Payloads and topics for the station's inbound side, from one seeded {@link Random}: valid messages built with the
 * model classes and {@link Codec#encode}, then mutated in their JSON tree (missing, renamed, retyped, huge or odd
 * values, deep nesting, long strings) or in their bytes (bit flips, inserts, deletes, truncation, invalid UTF-8,
 * empty, over the codec's size limits); random JSON objects made of the right field names; and odd topics (unknown
 * kinds and event types, agent ids the protocol forbids, extra levels). It only makes bytes: whether a payload is
 * valid is the codec's verdict, which the test asks for each one.
 */
final class InboundFuzzer {

    /** The topic kinds a station subscribes to ({@link Topic#stationFilters}). */
    static final List<TopicKind> INBOUND = List.of(TopicKind.STATUS, TopicKind.EVENT, TopicKind.STATE,
            TopicKind.HEALTH, TopicKind.CONFIG, TopicKind.REPLY);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FIELD_NAMES = List.of("seq", "at", "type", "online", "version", "simulated",
            "humidityPct", "temperatureC", "thresholdPct", "durationS", "reason", "commandId", "openMs", "trigger",
            "nextAllowedAt", "error", "consecutiveFailures", "downForS", "mode", "kind", "message", "command",
            "accepted", "rules", "lastSeq", "readingAt", "valveOpen", "valveCloseAt", "lastSprayAt",
            "lastSprayReason", "cooldownUntil", "nextSprayAt", "nextSprayReason", "activeAlarms", "uptimeS",
            "cpuTemperatureC", "load1", "memTotalBytes", "memAvailableBytes", "diskFreeBytes", "heapUsedBytes",
            "heapMaxBytes", "storeBytes", "queuedEvents", "storeError", "requestId", "agentId", "events", "last",
            "lowHumidityPct", "sprayDurationS", "minIntervalMin", "eveningTime", "timeZone", "maxSprayS",
            "readIntervalS", "alarmLowPct", "alarmHighPct");
    /** Times the codec may accept but a careless consumer cannot turn into epoch milliseconds or a date. */
    private static final List<String> ODD_TIMES = List.of("+1000000000-12-31T23:59:59.999999999Z",
            "-1000000000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "+292278994-08-17T07:12:55.808Z",
            "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
            "2026-05-01T18:00:00+02:00", "2026-02-30T00:00:00Z", "2026-05-01 18:00:00", "NaN", "", "now");
    private static final List<String> ODD_TEXTS = List.of("", " ", "NaN", "Infinity", "-Infinity", "null", "\u0000",
            "\uFFFF", "\uD800", "e\u0301", "🦎🌧️", "' OR 1=1 --", "<script>", "%s%n", "\\u0000", "ÿ");
    private static final List<String> ODD_NUMBERS = List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400",
            "1e-400", "-0", "-0.0", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "1" + "0".repeat(70), "0x10", "01", "+1", ".5", "1.", "1e", "--1");
    private static final List<String> ODD_AGENT_IDS = List.of("", "Terra-1", "-terra", "terra_1", "terra.1",
            "térrarium", "🦎", "a b", "a".repeat(33), "a".repeat(4000), "\u200Bterra", "terra-1\u0000", "..",
            "$sys", "ünïcødé-ágent", "TERRA");
    private static final List<String> ODD_KINDS = List.of("statuz", "Status", "STATUS", "stat", "events",
            "state ", "healthy", "conf", "cmd", "reply", "sim", "", "event", "🦎");

    private final Random random;
    private final Codec codec;
    private final String stationId;
    private final List<String> agents;
    private final Instant t0;
    private long fresh;

    InboundFuzzer(Random random, Codec codec, String stationId, List<String> agents, Instant t0) {
        this.random = random;
        this.codec = codec;
        this.stationId = stationId;
        this.agents = agents;
        this.t0 = t0;
    }

    /** One publish: the topic as a string (it may be no protocol topic at all) and the payload. */
    record Message(String topic, byte[] payload, boolean retain) {
    }

    // ---------------------------------------------------------------------------------------------- topics

    /**
     * A message on a well-formed topic of {@code kind}: mostly one of the known agents, sometimes a new agent id the
     * protocol allows (a stream of made-up agents), whose payload is then nearly always broken.
     */
    Message next(TopicKind kind) {
        boolean newAgent = random.nextInt(10) == 0;
        String agentId = newAgent ? "ghost-" + (++fresh) : agents.get(random.nextInt(agents.size()));
        Object message = validMessage(kind, agentId);
        Topic topic = topicFor(kind, agentId, message);
        if (random.nextInt(200) == 0 && kind.retained() && !newAgent) {
            // clearing a retained topic, as an operator removing an agent does
            return new Message(topic.toString(), new byte[0], true);
        }
        int mutations = newAgent ? 1 + random.nextInt(3) : random.nextInt(4);
        return new Message(topic.toString(), mutate(kind, message, mutations), false);
    }

    /** A message on a topic that is odd in itself: unknown kinds and types, forbidden agent ids, extra levels. */
    Message nextOddTopic() {
        TopicKind kind = INBOUND.get(random.nextInt(INBOUND.size()));
        String agentId = agents.get(random.nextInt(agents.size()));
        Object message = validMessage(kind, agentId);
        String good = topicFor(kind, agentId, message).toString();
        String topic;
        switch (random.nextInt(7)) {
            case 0:
                topic = good.replace("/" + agentId + "/", "/" + pick(ODD_AGENT_IDS) + "/");
                break;
            case 1:
                topic = Topic.ROOT + "/" + agentId + "/" + pick(ODD_KINDS);
                break;
            case 2:
                topic = Topic.ROOT + "/" + agentId + "/event/" + pick(List.of("unknown", "VALVE_OPENED",
                        "valve-opened", "", "humidity_changed ", "🦎", "x".repeat(300)));
                break;
            case 3:
                topic = good + "/" + pick(List.of("extra", "", "status", "a/b"));
                break;
            case 4:
                topic = Topic.ROOT + "/" + agentId + "/reply/" + pick(List.of("other-station", stationId + "x",
                        "", "Station"));
                break;
            case 5:
                // an event on the topic of another type: the codec must refuse the mismatch
                topic = Topic.event(agentId, pick(Arrays.asList(EventType.values()))).toString();
                message = validMessage(TopicKind.EVENT, agentId);
                break;
            default:
                topic = pick(List.of("SPIKE", "spike ", "spiky", "")) + good.substring(Topic.ROOT.length());
                break;
        }
        return new Message(topic, mutate(kind, message, random.nextInt(3)), false);
    }

    private Topic topicFor(TopicKind kind, String agentId, Object message) {
        switch (kind) {
            case EVENT:
                return Topic.event(agentId, ((Event) message).type());
            case REPLY:
                return Topic.reply(agentId, stationId);
            default:
                return Topic.of(agentId, kind);
        }
    }

    // ---------------------------------------------------------------------------------------------- valid messages

    Object validMessage(TopicKind kind, String agentId) {
        switch (kind) {
            case STATUS:
                return new Status(random.nextBoolean(), time(), text(1, 64), random.nextBoolean());
            case EVENT:
                return event(agentId, seq());
            case STATE:
                return state();
            case HEALTH:
                return new Health(time(), text(1, 64), random.nextInt(1_000_000),
                        random.nextBoolean() ? null : -40 + random.nextDouble() * 190, random.nextDouble() * 8,
                        random.nextInt(Integer.MAX_VALUE), random.nextInt(Integer.MAX_VALUE),
                        random.nextInt(Integer.MAX_VALUE), random.nextInt(1 << 28), 1 << 28,
                        random.nextInt(1 << 26), random.nextInt(10_000), random.nextBoolean() ? null : text(1, 500));
            case CONFIG:
                return new ConfigSnapshot(time(), rules());
            case REPLY:
                return page(agentId);
            default:
                throw new IllegalArgumentException("not inbound to a station: " + kind);
        }
    }

    private HistoryPage page(String agentId) {
        // now and then a page of another agent on this agent's topic: valid JSON the station must still drop
        String pageAgent = random.nextInt(20) == 0 ? agents.get(random.nextInt(agents.size())) : agentId;
        int size = random.nextInt(50) == 0 ? random.nextInt(HistoryPage.MAX_EVENTS / 10) : random.nextInt(12);
        long from = Math.min(seq(), Long.MAX_VALUE - size);
        List<Event> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            events.add(event(pageAgent, from + i));
        }
        return new HistoryPage(text(1, 64), pageAgent, events, random.nextBoolean());
    }

    private Event event(String agentId, long seq) {
        Instant at = time();
        EventType type = pick(Arrays.asList(EventType.values()));
        switch (type) {
            case AGENT_STARTED:
                return new AgentStarted(agentId, seq, at, text(1, 64));
            case HUMIDITY_CHANGED:
                // now and then with each sensor's values, which the station stores whole
                return random.nextBoolean() ? new HumidityChanged(agentId, seq, at, random.nextDouble() * 100)
                        : new HumidityChanged(agentId, seq, at, random.nextDouble() * 100, maybePct(), maybePct(),
                                maybePct(), maybePct());
            case TEMPERATURE_CHANGED:
                return new TemperatureChanged(agentId, seq, at, -40 + random.nextDouble() * 165);
            case LOW_HUMIDITY:
                return new LowHumidity(agentId, seq, at, random.nextDouble() * 100, random.nextDouble() * 100);
            case VALVE_OPENED:
                return new ValveOpened(agentId, seq, at, 1 + random.nextInt(30),
                        pick(Arrays.asList(SprayReason.values())), random.nextBoolean() ? null : text(1, 64));
            case VALVE_CLOSED:
                return new ValveClosed(agentId, seq, at, random.nextInt(60_000));
            case SPRAY_SKIPPED:
                return new SpraySkipped(agentId, seq, at, pick(Arrays.asList(SprayTrigger.values())), text(1, 500),
                        random.nextBoolean() ? null : time());
            case SENSOR_ERROR:
                return new SensorError(agentId, seq, at, text(1, 500), 1 + random.nextInt(Integer.MAX_VALUE - 1));
            case SENSOR_RECOVERED:
                return new SensorRecovered(agentId, seq, at, random.nextInt(Integer.MAX_VALUE));
            case MODE_CHANGED:
                return new ModeChanged(agentId, seq, at, pick(Arrays.asList(Mode.values())));
            case HUMIDITY_ALARM:
                return new HumidityAlarm(agentId, seq, at, pick(Arrays.asList(AlarmKind.values())),
                        random.nextBoolean() ? null : random.nextDouble() * 100, text(1, 500));
            case HUMIDITY_ALARM_CLEARED:
                return new HumidityAlarmCleared(agentId, seq, at, pick(Arrays.asList(AlarmKind.values())));
            case COMMAND_RESULT:
                boolean accepted = random.nextBoolean();
                // a rejection must say why
                return new CommandResult(agentId, seq, at, text(1, 64), pick(Arrays.asList(CommandKind.values())),
                        accepted, accepted && random.nextBoolean() ? null : text(1, 500));
            case CONFIG_APPLIED:
                return new ConfigApplied(agentId, seq, at, rules());
            case CALIBRATION_APPLIED:
                return new CalibrationApplied(agentId, seq, at, 1 + random.nextInt(2), 0.5 + random.nextDouble() * 1.5,
                        -50 + random.nextDouble() * 100, -10 + random.nextDouble() * 20,
                        random.nextBoolean() ? null : text(1, 64), random.nextBoolean());
            default:
                throw new IllegalStateException("no generator for " + type);
        }
    }

    private Double maybePct() {
        return random.nextBoolean() ? null : random.nextDouble() * 100;
    }

    private AgentState state() {
        boolean reading = random.nextBoolean();
        boolean open = random.nextInt(4) == 0;
        List<AlarmKind> alarms = new ArrayList<>();
        for (AlarmKind kind : AlarmKind.values()) {
            if (random.nextInt(4) == 0) {
                alarms.add(kind);
            }
        }
        return new AgentState(time(), random.nextInt(50) == 0 ? Long.MAX_VALUE - random.nextInt(10) : seq(),
                reading ? random.nextDouble() * 100 : null, reading ? -40 + random.nextDouble() * 165 : null,
                reading ? time() : null, open, open ? time() : null, pick(Arrays.asList(Mode.values())),
                random.nextBoolean() ? time() : null, random.nextBoolean() ? pick(Arrays.asList(SprayReason.values()))
                : null, random.nextBoolean() ? time() : null, null, null, alarms);
    }

    private Rules rules() {
        if (random.nextBoolean()) {
            return Rules.defaults(ZoneId.of(pick(List.of("UTC", "Europe/Berlin", "Pacific/Kiritimati"))));
        }
        return new Rules(10 + random.nextInt(80), 1 + random.nextInt(30), 1 + random.nextInt(600),
                1 + random.nextInt(48), 1 + random.nextInt(20), LocalTime.of(random.nextInt(24), random.nextInt(60)),
                random.nextInt(600), ZoneId.of("UTC"), 30, 1 + random.nextInt(600), 5, 99);
    }

    /** Seqs of the known agents stay in a small range, so repeats test the deduplication; a few are huge. */
    private long seq() {
        int roll = random.nextInt(100);
        if (roll == 0) {
            return Long.MAX_VALUE - random.nextInt(1_000);
        }
        return 1 + random.nextInt(roll < 5 ? 1_000_000 : 3_000);
    }

    /** Mostly around the test's now; sometimes far away, up to the ends of what {@link Instant} holds. */
    private Instant time() {
        int roll = random.nextInt(100);
        if (roll == 0) {
            return pick(List.of(Instant.MAX, Instant.MIN, Instant.EPOCH, Instant.parse("+292278994-08-17T07:12:56Z"),
                    Instant.parse("9999-12-31T23:59:59.999999999Z")));
        }
        if (roll < 5) {
            return t0.plusSeconds(random.nextInt(Integer.MAX_VALUE) - (long) Integer.MAX_VALUE / 2);
        }
        return t0.plusMillis(random.nextInt(86_400_000) - 43_200_000L);
    }

    private String text(int min, int max) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return pick(List.of("x".repeat(max), "🦎".repeat(max / 2), "\u0000\u0001\u007F", "e\u0301"));
        }
        int length = min + random.nextInt(Math.min(max, 24) - min + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (roll == 1 ? random.nextInt(0xD7FF) : 'a' + random.nextInt(26)));
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------- mutations

    /** The message's JSON with {@code count} mutations, in its tree or in its bytes. */
    byte[] mutate(TopicKind kind, Object message, int count) {
        if (count > 0 && random.nextInt(8) == 0) {
            return serialize(randomTree(kind));
        }
        ObjectNode tree = codec.toJson(message);
        List<byte[]> byteLevel = new ArrayList<>();
        int treeMutations = 0;
        for (int i = 0; i < count; i++) {
            if (random.nextInt(3) == 0) {
                byteLevel.add(null);
            } else {
                treeMutations++;
            }
        }
        for (int i = 0; i < treeMutations; i++) {
            mutateTree(tree);
        }
        byte[] bytes = serialize(tree);
        for (int i = 0; i < byteLevel.size(); i++) {
            bytes = mutateBytes(kind, bytes);
        }
        return bytes;
    }

    private void mutateTree(ObjectNode root) {
        ObjectNode target = randomObject(root);
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() ? pick(FIELD_NAMES) : pick(names);
        switch (random.nextInt(10)) {
            case 0:
                target.remove(name);
                break;
            case 1:
                target.set(name, NODES.nullNode());
                break;
            case 2:
                target.set(name, randomValue(3));
                break;
            case 3:
                target.set(name, oddNumber());
                break;
            case 4:
                target.put(name, pick(ODD_TIMES));
                break;
            case 5:
                // now and then a string longer than any payload the codec takes (only a reply may carry it)
                target.put(name, pick(ODD_TEXTS) + (random.nextInt(50) == 0 ? "x".repeat(random.nextInt(70_000))
                        : "x".repeat(random.nextInt(600))));
                break;
            case 6:
                target.set(name, deep(10 + random.nextInt(30)));
                break;
            case 7:
                JsonNode value = target.remove(name);
                target.set(random.nextBoolean() ? name.toUpperCase() : name + "_", value);
                break;
            case 8:
                target.set(pick(FIELD_NAMES), randomValue(2));
                break;
            default:
                // a wrong enum value: the type, mode, reason... of another kind
                target.put(name, pick(List.of("valve_opened", "VALVE_OPENED", "humidity_changed", "normal",
                        "sensor_down", "low_humidity", "manual", "spray", "high", "low")));
                break;
        }
    }

    /** The root or one of the objects inside it (rules, page events), so nested fields get mutated too. */
    private ObjectNode randomObject(ObjectNode root) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        return objects.get(random.nextInt(objects.size()));
    }

    private static void collect(JsonNode node, List<ObjectNode> into) {
        if (node.isObject()) {
            into.add((ObjectNode) node);
        }
        if (into.size() > 50) {
            return;
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            collect(it.next(), into);
        }
    }

    private byte[] mutateBytes(TopicKind kind, byte[] bytes) {
        int limit = kind == TopicKind.REPLY ? Codec.MAX_REPLY_BYTES : Codec.MAX_PAYLOAD_BYTES;
        switch (random.nextInt(12)) {
            case 0:
            case 1:
                if (bytes.length > 0) {
                    bytes = bytes.clone();
                    int i = random.nextInt(bytes.length);
                    bytes[i] = (byte) (bytes[i] ^ (1 << random.nextInt(8)));
                }
                return bytes;
            case 2:
                return insert(bytes, random.nextInt(bytes.length + 1), new byte[] {(byte) random.nextInt(256)});
            case 3:
                if (bytes.length == 0) {
                    return bytes;
                }
                int at = random.nextInt(bytes.length);
                byte[] shorter = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, shorter, 0, at);
                System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                return shorter;
            case 4:
                return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 5:
                // invalid UTF-8: a lone continuation byte, an overlong form, a truncated sequence, 0xFF
                byte[][] invalid = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82},
                        {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
                return insert(bytes, quoteInside(bytes), invalid[random.nextInt(invalid.length)]);
            case 6:
                return new byte[0];
            case 7:
                if (random.nextInt(kind == TopicKind.REPLY ? 200 : 20) != 0) {
                    // rare: every one costs the broker and the station the limit's size in bytes
                    return Arrays.copyOf(bytes, bytes.length / 2);
                }
                // valid JSON padded with whitespace just over the codec's limit: only the size is wrong
                byte[] big = Arrays.copyOf(bytes, Math.max(bytes.length, limit + 1));
                Arrays.fill(big, bytes.length, big.length, (byte) ' ');
                return big;
            case 8:
                byte[] twice = Arrays.copyOf(bytes, bytes.length * 2);
                System.arraycopy(bytes, 0, twice, bytes.length, bytes.length);
                return twice;
            case 9:
                // a duplicated field, which Jackson's tree model would silently merge
                return insert(bytes, Math.min(1, bytes.length),
                        ("\"" + pick(FIELD_NAMES) + "\":1,").getBytes(StandardCharsets.UTF_8));
            case 10:
                return (pick(List.of("[", "\"", "null", "{\"a\":", "{}", "[]", "true", "1", "NaN", "\uFEFF")))
                        .getBytes(StandardCharsets.UTF_8);
            default:
                return insert(bytes, random.nextInt(bytes.length + 1),
                        pick(ODD_NUMBERS).getBytes(StandardCharsets.UTF_8));
        }
    }

    private int quoteInside(byte[] bytes) {
        for (int tries = 0; tries < 20 && bytes.length > 0; tries++) {
            int i = random.nextInt(bytes.length);
            if (bytes[i] == '"') {
                return i + 1;
            }
        }
        return random.nextInt(bytes.length + 1);
    }

    private static byte[] insert(byte[] bytes, int at, byte[] what) {
        byte[] out = new byte[bytes.length + what.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(bytes, at, out, at + what.length, bytes.length - at);
        return out;
    }

    /** A JSON object of the protocol's field names with values of random type and shape. */
    private ObjectNode randomTree(TopicKind kind) {
        ObjectNode root = NODES.objectNode();
        int fields = random.nextInt(12);
        for (int i = 0; i < fields; i++) {
            root.set(pick(FIELD_NAMES), randomValue(3));
        }
        if (kind == TopicKind.REPLY && random.nextBoolean()) {
            ArrayNode events = root.putArray("events");
            for (int i = random.nextInt(5); i > 0; i--) {
                events.add(randomTree(TopicKind.EVENT));
            }
        }
        return root;
    }

    private JsonNode randomValue(int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.booleanNode(random.nextBoolean());
            case 2:
                return NODES.numberNode(random.nextLong());
            case 3:
                return NODES.numberNode(random.nextGaussian() * 1e6);
            case 4:
                return oddNumber();
            case 5:
                return NODES.textNode(pick(ODD_TIMES));
            case 6:
                return NODES.textNode(text(0, 80));
            case 7: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(pick(FIELD_NAMES), randomValue(depth - 1));
                }
                return object;
            }
        }
    }

    private JsonNode oddNumber() {
        switch (random.nextInt(8)) {
            case 0:
                return NODES.numberNode(Long.MAX_VALUE);
            case 1:
                return NODES.numberNode(Long.MIN_VALUE);
            case 2:
                return NODES.numberNode(-1);
            case 3:
                return NODES.numberNode(0);
            case 4:
                return NODES.numberNode(Double.MAX_VALUE);
            case 5:
                return NODES.numberNode(new java.math.BigInteger("1" + "0".repeat(40)));
            case 6:
                return NODES.numberNode(-0.0);
            default:
                return NODES.textNode(pick(ODD_NUMBERS));
        }
    }

    private static JsonNode deep(int depth) {
        JsonNode node = NODES.numberNode(1);
        for (int i = 0; i < depth; i++) {
            node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    private byte[] serialize(JsonNode tree) {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
