package dev.spike.model.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Mode;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.RulesPatch;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.Status;
import dev.spike.model.TankLevel;
import dev.spike.model.WireName;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.RulesCommand;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * JSON for every message of protocol v1 (see {@code docs/protocol.md}).
 *
 * <p>{@link #encode} is strict: it takes only valid values (their constructors saw to that). {@code decode} is
 * lenient: it never throws and never returns null; bad bytes give a {@link DecodeError} naming the field and the
 * reason. Unknown fields are ignored. The field mapping is written out by hand, on Jackson's tree model, so that a
 * wrong type is an error rather than a silent coercion ("6" is not 6) and every error can name its field.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Codec {

    /** Largest payload accepted on any topic but a history reply. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /**
     * Largest history page accepted. A page holds up to 5,000 events (~100 bytes each), which cannot fit the general
     * 64 KiB limit; replies come only from agents, on a topic only the asking station reads.
     */
    public static final int MAX_REPLY_BYTES = 2 * 1024 * 1024;
    /** Deeper JSON is refused while parsing, before it costs stack or memory. */
    public static final int MAX_DEPTH = 16;
    /**
     * Largest payload {@link #peekCommandId} reads, to answer a command that is too big; an agent tells its broker
     * this as its maximum packet size, so bigger ones never reach it.
     */
    public static final int MAX_PEEK_BYTES = 1024 * 1024;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    public Codec() {
        // No field-name canonicalization: Jackson's byte parser looks a name up in a table of the names its factory
        // read before, by four-byte groups padded with 0xFF, and a name it finds there is never checked as UTF-8.
        // So the same bytes read differently after different earlier payloads (a raw 0xFF in "du-ation\xffS" made
        // it "du-ationS" or an error; "\xff\xffid" became "id"), and a table filled by colliding names makes later
        // valid payloads fail. Without the table a payload's reading depends on its bytes alone.
        JsonFactory factory = JsonFactory.builder()
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(64)
                        .maxStringLength(MAX_REPLY_BYTES)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    // ---------------------------------------------------------------------------------------------- encoding

    /**
     * The JSON bytes of any message: an {@link Event}, a command, {@link Status}, {@link AgentState},
     * {@link Health}, {@link ConfigSnapshot} or {@link HistoryPage}.
     */
    public byte[] encode(Object message) {
        try {
            return mapper.writeValueAsBytes(toJson(message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    /** The message as a JSON tree; used by {@link #encode} and by tests that compare with golden files. */
    public ObjectNode toJson(Object message) {
        if (message instanceof Event) {
            return writeEvent((Event) message);
        }
        if (message instanceof SprayCommand) {
            SprayCommand c = (SprayCommand) message;
            return NODES.objectNode().put("id", c.id()).put("durationS", c.durationS());
        }
        if (message instanceof ConfigCommand) {
            ConfigCommand c = (ConfigCommand) message;
            ObjectNode out = NODES.objectNode().put("id", c.id());
            out.set("rules", writeRules(c.rules()));
            return out;
        }
        if (message instanceof RulesCommand) {
            RulesCommand c = (RulesCommand) message;
            ObjectNode out = NODES.objectNode().put("id", c.id());
            out.set("rules", writeRulesPatch(c.rules()));
            return out;
        }
        if (message instanceof HistoryRequest) {
            HistoryRequest c = (HistoryRequest) message;
            return NODES.objectNode().put("id", c.id()).put("fromSeq", c.fromSeq()).put("limit", c.limit());
        }
        if (message instanceof SimSetCommand) {
            SimSetCommand c = (SimSetCommand) message;
            ObjectNode out = NODES.objectNode().put("id", c.id());
            putWire(out, "sensor", c.sensor());
            putWire(out, "tank", c.tank());
            putInt(out, "sensorNumber", c.sensorNumber());
            return out;
        }
        if (message instanceof CalibrationCommand) {
            CalibrationCommand c = (CalibrationCommand) message;
            ObjectNode out = NODES.objectNode().put("id", c.id()).put("sensorNumber", c.sensorNumber());
            putOptionalNumber(out, "humidityOffsetPct", c.humidityOffsetPct());
            putOptionalNumber(out, "rawAtNaClPct", c.rawAtNaClPct());
            putOptionalNumber(out, "rawAtMgCl2Pct", c.rawAtMgCl2Pct());
            putOptionalNumber(out, "temperatureOffsetC", c.temperatureOffsetC());
            return c.reset() ? out.put("reset", true) : out;
        }
        if (message instanceof Status) {
            Status s = (Status) message;
            return NODES.objectNode().put("online", s.online()).put("at", s.at().toString())
                    .put("version", s.version()).put("simulated", s.simulated());
        }
        if (message instanceof AgentState) {
            return writeState((AgentState) message);
        }
        if (message instanceof Health) {
            return writeHealth((Health) message);
        }
        if (message instanceof ConfigSnapshot) {
            ConfigSnapshot c = (ConfigSnapshot) message;
            ObjectNode out = NODES.objectNode().put("at", c.at().toString());
            out.set("rules", writeRules(c.rules()));
            return out;
        }
        if (message instanceof HistoryPage) {
            HistoryPage page = (HistoryPage) message;
            ObjectNode out = NODES.objectNode().put("requestId", page.requestId()).put("agentId", page.agentId())
                    .put("last", page.last());
            ArrayNode events = out.putArray("events");
            page.events().forEach(event -> events.add(writeEvent(event)));
            return out;
        }
        throw new IllegalArgumentException("not a protocol v1 message: " + message.getClass().getName());
    }

    private ObjectNode writeEvent(Event event) {
        ObjectNode out = NODES.objectNode()
                .put("seq", event.seq())
                .put("at", event.at().toString())
                .put("type", event.type().wire());
        switch (event.type()) {
            case AGENT_STARTED:
                return out.put("version", ((AgentStarted) event).version());
            case HUMIDITY_CHANGED: {
                HumidityChanged e = (HumidityChanged) event;
                putNumber(out, "humidityPct", e.humidityPct());
                putOptionalNumber(out, "humidity1Pct", e.humidity1Pct());
                putOptionalNumber(out, "rawHumidity1Pct", e.rawHumidity1Pct());
                putOptionalNumber(out, "humidity2Pct", e.humidity2Pct());
                return putOptionalNumber(out, "rawHumidity2Pct", e.rawHumidity2Pct());
            }
            case TEMPERATURE_CHANGED: {
                TemperatureChanged e = (TemperatureChanged) event;
                putNumber(out, "temperatureC", e.temperatureC());
                putOptionalNumber(out, "temperature1C", e.temperature1C());
                putOptionalNumber(out, "rawTemperature1C", e.rawTemperature1C());
                putOptionalNumber(out, "temperature2C", e.temperature2C());
                return putOptionalNumber(out, "rawTemperature2C", e.rawTemperature2C());
            }
            case LOW_HUMIDITY: {
                LowHumidity e = (LowHumidity) event;
                putNumber(out, "humidityPct", e.humidityPct());
                return putNumber(out, "thresholdPct", e.thresholdPct());
            }
            case VALVE_OPENED: {
                ValveOpened e = (ValveOpened) event;
                out.put("durationS", e.durationS()).put("reason", e.reason().wire());
                return putOptional(out, "commandId", e.commandId());
            }
            case VALVE_CLOSED:
                return out.put("openMs", ((ValveClosed) event).openMs());
            case SPRAY_SKIPPED: {
                SpraySkipped e = (SpraySkipped) event;
                out.put("trigger", e.trigger().wire()).put("reason", e.reason());
                return putOptional(out, "nextAllowedAt", e.nextAllowedAt());
            }
            case SENSOR_ERROR: {
                SensorError e = (SensorError) event;
                return out.put("error", e.error()).put("consecutiveFailures", e.consecutiveFailures());
            }
            case SENSOR_RECOVERED:
                return out.put("downForS", ((SensorRecovered) event).downForS());
            case MODE_CHANGED:
                return out.put("mode", ((ModeChanged) event).mode().wire());
            case HUMIDITY_ALARM: {
                HumidityAlarm e = (HumidityAlarm) event;
                out.put("kind", e.kind().wire());
                if (e.humidityPct() != null) {
                    putNumber(out, "humidityPct", e.humidityPct());
                }
                return out.put("message", e.message());
            }
            case HUMIDITY_ALARM_CLEARED:
                return out.put("kind", ((HumidityAlarmCleared) event).kind().wire());
            case COMMAND_RESULT: {
                CommandResult e = (CommandResult) event;
                out.put("commandId", e.commandId()).put("command", e.command().wire()).put("accepted", e.accepted());
                return putOptional(out, "reason", e.reason());
            }
            case CONFIG_APPLIED:
                out.set("rules", writeRules(((ConfigApplied) event).rules()));
                return out;
            case CALIBRATION_APPLIED: {
                CalibrationApplied e = (CalibrationApplied) event;
                out.put("sensorNumber", e.sensorNumber());
                putNumber(out, "humidityGain", e.humidityGain());
                putNumber(out, "humidityOffsetPct", e.humidityOffsetPct());
                putNumber(out, "temperatureOffsetC", e.temperatureOffsetC());
                putOptional(out, "commandId", e.commandId());
                return e.reset() ? out.put("reset", true) : out;
            }
            default:
                throw new IllegalArgumentException("unknown event type " + event.type());
        }
    }

    private ObjectNode writeRules(Rules r) {
        ObjectNode out = NODES.objectNode();
        putNumber(out, "lowHumidityPct", r.lowHumidityPct());
        out.put("sprayDurationS", r.sprayDurationS())
                .put("minIntervalMin", r.minIntervalMin())
                .put("sensorDownSprayEveryH", r.sensorDownSprayEveryH())
                .put("sensorDownAfterFailures", r.sensorDownAfterFailures())
                .put("eveningTime", r.eveningTime().format(Fields.HH_MM))
                .put("eveningSkipIfSprayedWithinMin", r.eveningSkipIfSprayedWithinMin())
                .put("timeZone", r.timeZone().getId())
                .put("maxSprayS", r.maxSprayS())
                .put("readIntervalS", r.readIntervalS());
        putNumber(out, "alarmLowPct", r.alarmLowPct());
        putNumber(out, "alarmHighPct", r.alarmHighPct());
        if (!r.program().isEmpty()) {
            // absent when empty: rules without a program stay byte for byte what an agent without programs sends
            out.set("program", writeProgram(r.program()));
        }
        return out;
    }

    private ArrayNode writeProgram(Program program) {
        ArrayNode out = NODES.arrayNode();
        for (Program.Period period : program.periods()) {
            ObjectNode node = out.addObject()
                    .put("from", period.from().format(Fields.HH_MM))
                    .put("to", period.to().format(Fields.HH_MM));
            putNumber(node, "lowHumidityPct", period.lowHumidityPct());
            putInt(node, "minIntervalMin", period.minIntervalMin());
        }
        return out;
    }

    private ObjectNode writeRulesPatch(RulesPatch r) {
        ObjectNode out = NODES.objectNode();
        if (r.lowHumidityPct() != null) {
            putNumber(out, "lowHumidityPct", r.lowHumidityPct());
        }
        putInt(out, "sprayDurationS", r.sprayDurationS());
        putInt(out, "minIntervalMin", r.minIntervalMin());
        putInt(out, "sensorDownSprayEveryH", r.sensorDownSprayEveryH());
        putInt(out, "sensorDownAfterFailures", r.sensorDownAfterFailures());
        if (r.eveningTime() != null) {
            out.put("eveningTime", r.eveningTime().format(Fields.HH_MM));
        }
        putInt(out, "eveningSkipIfSprayedWithinMin", r.eveningSkipIfSprayedWithinMin());
        if (r.timeZone() != null) {
            out.put("timeZone", r.timeZone().getId());
        }
        putInt(out, "maxSprayS", r.maxSprayS());
        putInt(out, "readIntervalS", r.readIntervalS());
        if (r.alarmLowPct() != null) {
            putNumber(out, "alarmLowPct", r.alarmLowPct());
        }
        if (r.alarmHighPct() != null) {
            putNumber(out, "alarmHighPct", r.alarmHighPct());
        }
        if (r.program() != null) {
            // an empty array is meaningful here: it removes the program in force
            out.set("program", writeProgram(r.program()));
        }
        return out;
    }

    private static void putInt(ObjectNode out, String name, Integer value) {
        if (value != null) {
            out.put(name, value.intValue());
        }
    }

    private ObjectNode writeState(AgentState s) {
        ObjectNode out = NODES.objectNode().put("at", s.at().toString()).put("lastSeq", s.lastSeq());
        if (s.humidityPct() != null) {
            putNumber(out, "humidityPct", s.humidityPct());
        }
        if (s.temperatureC() != null) {
            putNumber(out, "temperatureC", s.temperatureC());
        }
        putOptional(out, "readingAt", s.readingAt());
        out.put("valveOpen", s.valveOpen());
        putOptional(out, "valveCloseAt", s.valveCloseAt());
        out.put("mode", s.mode().wire());
        putOptional(out, "lastSprayAt", s.lastSprayAt());
        putWire(out, "lastSprayReason", s.lastSprayReason());
        putOptional(out, "cooldownUntil", s.cooldownUntil());
        putOptional(out, "nextSprayAt", s.nextSprayAt());
        putWire(out, "nextSprayReason", s.nextSprayReason());
        ArrayNode alarms = out.putArray("activeAlarms");
        s.activeAlarms().forEach(kind -> alarms.add(kind.wire()));
        return out;
    }

    private ObjectNode writeHealth(Health h) {
        ObjectNode out = NODES.objectNode().put("at", h.at().toString()).put("version", h.version())
                .put("uptimeS", h.uptimeS());
        if (h.cpuTemperatureC() != null) {
            putNumber(out, "cpuTemperatureC", h.cpuTemperatureC());
        }
        putNumber(out, "load1", h.load1());
        out.put("memTotalBytes", h.memTotalBytes())
                .put("memAvailableBytes", h.memAvailableBytes())
                .put("diskFreeBytes", h.diskFreeBytes())
                .put("heapUsedBytes", h.heapUsedBytes())
                .put("heapMaxBytes", h.heapMaxBytes())
                .put("storeBytes", h.storeBytes())
                .put("queuedEvents", h.queuedEvents());
        return putOptional(out, "storeError", h.storeError());
    }

    /** 75.0 is written as 75, the way a person writes it; readers accept both. */
    private static ObjectNode putNumber(ObjectNode out, String name, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return out.put(name, (long) value);
        }
        return out.put(name, value);
    }

    private static ObjectNode putOptionalNumber(ObjectNode out, String name, Double value) {
        return value == null ? out : putNumber(out, name, value);
    }

    private static ObjectNode putOptional(ObjectNode out, String name, Object value) {
        return value == null ? out : out.put(name, value.toString());
    }

    private static ObjectNode putWire(ObjectNode out, String name, WireName value) {
        return value == null ? out : out.put(name, value.wire());
    }

    // ---------------------------------------------------------------------------------------------- decoding

    /** Decodes a message that arrived on {@code topic}; a topic outside protocol v1 is an error too. */
    public Decoded<Object> decode(String topic, byte[] payload) {
        Optional<Topic> parsed = Topic.parse(topic);
        if (parsed.isEmpty()) {
            return Decoded.failed("topic", "is not a Spike protocol v1 topic: \"" + shorten(topic) + "\"");
        }
        return decode(parsed.get(), payload);
    }

    /** Decodes a message that arrived on {@code topic}. Never throws, never returns null. */
    public Decoded<Object> decode(Topic topic, byte[] payload) {
        if (topic == null) {
            return Decoded.failed("topic", "is required");
        }
        int limit = topic.kind() == TopicKind.REPLY ? MAX_REPLY_BYTES : MAX_PAYLOAD_BYTES;
        return parse(payload, limit, root -> readMessage(topic, root));
    }

    /** Decodes one event as stored or published by {@code agentId}. */
    public Decoded<Event> decodeEvent(String agentId, byte[] payload) {
        return parse(payload, MAX_PAYLOAD_BYTES, root -> root.build(() -> readEvent(agentId, root, null)));
    }

    /**
     * The command id of a payload that may be otherwise broken, so a rejection can name the command it answers.
     * Empty if the payload is not one valid JSON object in UTF-8 with a textual {@code id} of 1..64 characters at
     * its top level, or is over {@link #MAX_PEEK_BYTES}; it reads the id exactly as {@code decode} does. A payload
     * over the size limit is read too: its sender gets a rejection that says the payload is too big.
     */
    public Optional<String> peekCommandId(byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length > MAX_PEEK_BYTES) {
            return Optional.empty();
        }
        if (firstInvalidUtf8(payload) >= 0) {
            return Optional.empty();
        }
        // streamed, not a tree: an oversize payload costs a scan, never its tree in memory
        try (JsonParser parser = mapper.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String id = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(name)) {
                    id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                // still parsed: broken JSON anywhere, a duplicate key or too deep nesting means no readable id
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
            return id != null && !id.isEmpty() && id.length() <= 64 ? Optional.of(id) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private interface Reader<T> {
        T read(Fields root);
    }

    private <T> Decoded<T> parse(byte[] payload, int limit, Reader<T> reader) {
        if (payload == null || payload.length == 0) {
            return Decoded.failed(DecodeError.PAYLOAD, "is empty");
        }
        if (payload.length > limit) {
            return Decoded.failed(DecodeError.PAYLOAD, "is " + payload.length + " bytes, the limit is " + limit);
        }
        int invalid = firstInvalidUtf8(payload);
        if (invalid >= 0) {
            return Decoded.failed(DecodeError.PAYLOAD, String.format(Locale.ROOT,
                    "is not valid UTF-8: byte 0x%02x at offset %d", payload[invalid] & 0xff, invalid));
        }
        JsonNode root;
        try {
            // FAIL_ON_TRAILING_TOKENS makes "{} {}" an error here too
            root = mapper.readTree(payload);
        } catch (IOException | RuntimeException e) {
            return Decoded.failed(DecodeError.PAYLOAD, "is not valid JSON: " + firstLine(e.getMessage()));
        }
        try {
            return Decoded.ok(reader.read(Fields.root(root)));
        } catch (InvalidFieldException e) {
            return Decoded.failed(e.field(), e.reason());
        } catch (RuntimeException e) {
            // A bug in a reader must not reach the MQTT thread; report it as a decode error with its cause.
            return Decoded.failed(DecodeError.PAYLOAD, "could not be read: " + e);
        }
    }

    /**
     * The offset of the first byte that is not part of well-formed UTF-8, or -1. Checked before Jackson reads a
     * byte, for decode and {@link #peekCommandId} alike: Jackson does not check field names without canonicalization
     * (see the constructor), and it takes overlong forms ("/" as C0 AF) in string values. Java's decoder refuses
     * those, encoded surrogates, cut sequences and 0xF5..0xFF. Decoded in slices, so a 1 MiB peek never holds its
     * text.
     */
    private static int firstInvalidUtf8(byte[] payload) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(payload);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    private Object readMessage(Topic topic, Fields root) {
        switch (topic.kind()) {
            case STATUS:
                return root.build(() -> new Status(root.bool("online"), root.instant("at"), root.text("version"),
                        root.optionalBool("simulated", false)));
            case EVENT:
                return root.build(() -> readEvent(topic.agentId(), root, topic.eventType()));
            case STATE:
                return root.build(() -> readState(root));
            case HEALTH:
                return root.build(() -> readHealth(root));
            case CONFIG:
                return root.build(() -> new ConfigSnapshot(root.instant("at"), readRules(root.object("rules"))));
            case CMD_SPRAY:
                return root.build(() -> new SprayCommand(root.text("id"), root.int32("durationS")));
            case CMD_CONFIG:
                return root.build(() -> new ConfigCommand(root.text("id"), readRules(root.object("rules"))));
            case CMD_RULES:
                return root.build(() -> new RulesCommand(root.text("id"), readRulesPatch(root.object("rules"))));
            case CMD_HISTORY:
                return root.build(() -> new HistoryRequest(root.text("id"), root.int64("fromSeq"),
                        root.int32("limit")));
            case SIM_SET:
                return root.build(() -> new SimSetCommand(root.text("id"),
                        root.optionalEnum("sensor", SensorFault.class), root.optionalEnum("tank", TankLevel.class),
                        root.optionalInt32("sensorNumber")));
            case CMD_CALIBRATION:
                return root.build(() -> new CalibrationCommand(root.text("id"), root.int32("sensorNumber"),
                        root.optionalNumber("humidityOffsetPct"), root.optionalNumber("rawAtNaClPct"),
                        root.optionalNumber("rawAtMgCl2Pct"), root.optionalNumber("temperatureOffsetC"),
                        root.optionalBool("reset", false)));
            case REPLY:
                return readPage(root);
            default:
                throw new InvalidFieldException("topic", "has no payload format: " + topic);
        }
    }

    private HistoryPage readPage(Fields root) {
        String agentId = root.text("agentId");
        ArrayNode array = root.array("events");
        List<Event> events = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Fields element = root.element("events", i, array.get(i));
            events.add(element.build(() -> readEvent(agentId, element, null)));
        }
        return root.build(() -> new HistoryPage(root.text("requestId"), agentId, events, root.bool("last")));
    }

    /** Reads an event; {@code expected} is the type named by the topic, or null when there is none. */
    private Event readEvent(String agentId, Fields f, EventType expected) {
        EventType type = f.enumValue("type", EventType.class);
        if (expected != null && type != expected) {
            throw new InvalidFieldException(f.path("type"), "must match the topic's " + expected.wire()
                    + ", was \"" + type.wire() + "\"");
        }
        long seq = f.int64("seq");
        Instant at = f.instant("at");
        switch (type) {
            case AGENT_STARTED:
                return new AgentStarted(agentId, seq, at, f.text("version"));
            case HUMIDITY_CHANGED:
                return new HumidityChanged(agentId, seq, at, f.number("humidityPct"), f.optionalNumber("humidity1Pct"),
                        f.optionalNumber("rawHumidity1Pct"), f.optionalNumber("humidity2Pct"),
                        f.optionalNumber("rawHumidity2Pct"));
            case TEMPERATURE_CHANGED:
                return new TemperatureChanged(agentId, seq, at, f.number("temperatureC"),
                        f.optionalNumber("temperature1C"), f.optionalNumber("rawTemperature1C"),
                        f.optionalNumber("temperature2C"), f.optionalNumber("rawTemperature2C"));
            case LOW_HUMIDITY:
                return new LowHumidity(agentId, seq, at, f.number("humidityPct"), f.number("thresholdPct"));
            case VALVE_OPENED:
                return new ValveOpened(agentId, seq, at, f.int32("durationS"),
                        f.enumValue("reason", SprayReason.class), f.optionalText("commandId"));
            case VALVE_CLOSED:
                return new ValveClosed(agentId, seq, at, f.int64("openMs"));
            case SPRAY_SKIPPED:
                return new SpraySkipped(agentId, seq, at, f.enumValue("trigger", SprayTrigger.class),
                        f.text("reason"), f.optionalInstant("nextAllowedAt"));
            case SENSOR_ERROR:
                return new SensorError(agentId, seq, at, f.text("error"), f.int32("consecutiveFailures"));
            case SENSOR_RECOVERED:
                return new SensorRecovered(agentId, seq, at, f.int64("downForS"));
            case MODE_CHANGED:
                return new ModeChanged(agentId, seq, at, f.enumValue("mode", Mode.class));
            case HUMIDITY_ALARM:
                return new HumidityAlarm(agentId, seq, at, f.enumValue("kind", AlarmKind.class),
                        f.optionalNumber("humidityPct"), f.text("message"));
            case HUMIDITY_ALARM_CLEARED:
                return new HumidityAlarmCleared(agentId, seq, at, f.enumValue("kind", AlarmKind.class));
            case COMMAND_RESULT:
                return new CommandResult(agentId, seq, at, f.text("commandId"),
                        f.enumValue("command", CommandKind.class), f.bool("accepted"), f.optionalText("reason"));
            case CONFIG_APPLIED:
                return new ConfigApplied(agentId, seq, at, readRules(f.object("rules")));
            case CALIBRATION_APPLIED:
                return new CalibrationApplied(agentId, seq, at, f.int32("sensorNumber"), f.number("humidityGain"),
                        f.number("humidityOffsetPct"), f.number("temperatureOffsetC"), f.optionalText("commandId"),
                        f.optionalBool("reset", false));
            default:
                throw new InvalidFieldException(f.path("type"), "is not supported: " + type.wire());
        }
    }

    private static Rules readRules(Fields f) {
        return f.build(() -> new Rules(
                f.number("lowHumidityPct"),
                f.int32("sprayDurationS"),
                f.int32("minIntervalMin"),
                f.int32("sensorDownSprayEveryH"),
                f.int32("sensorDownAfterFailures"),
                f.localTime("eveningTime"),
                f.int32("eveningSkipIfSprayedWithinMin"),
                f.zone("timeZone"),
                f.int32("maxSprayS"),
                f.int32("readIntervalS"),
                f.number("alarmLowPct"),
                f.number("alarmHighPct"),
                f.has("program") ? readProgram(f) : Program.NONE));
    }

    private static Program readProgram(Fields f) {
        ArrayNode array = f.array("program");
        List<Program.Period> periods = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            Fields period = f.element("program", i, array.get(i));
            periods.add(period.build(() -> new Program.Period(
                    period.localTime("from"),
                    period.localTime("to"),
                    period.number("lowHumidityPct"),
                    period.optionalInt32("minIntervalMin"))));
        }
        return new Program(periods);
    }

    /** Only the rules' own names: a misspelt one would otherwise be ignored and the command change nothing. */
    private static RulesPatch readRulesPatch(Fields f) {
        for (String name : f.names()) {
            if (!RulesPatch.FIELDS.contains(name)) {
                throw new InvalidFieldException(f.path(name), "is not a rule; rules are "
                        + String.join(", ", RulesPatch.FIELDS));
            }
        }
        return f.build(() -> new RulesPatch(
                f.optionalNumber("lowHumidityPct"),
                f.optionalInt32("sprayDurationS"),
                f.optionalInt32("minIntervalMin"),
                f.optionalInt32("sensorDownSprayEveryH"),
                f.optionalInt32("sensorDownAfterFailures"),
                f.has("eveningTime") ? f.localTime("eveningTime") : null,
                f.optionalInt32("eveningSkipIfSprayedWithinMin"),
                f.has("timeZone") ? f.zone("timeZone") : null,
                f.optionalInt32("maxSprayS"),
                f.optionalInt32("readIntervalS"),
                f.optionalNumber("alarmLowPct"),
                f.optionalNumber("alarmHighPct"),
                f.has("program") ? readProgram(f) : null));
    }

    private static AgentState readState(Fields f) {
        ArrayNode array = f.array("activeAlarms");
        List<AlarmKind> alarms = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String text = element.isTextual() ? element.textValue() : null;
            String path = f.path("activeAlarms") + "[" + i + "]";
            if (text == null) {
                throw new InvalidFieldException(path, "must be one of " + WireName.choices(AlarmKind.class)
                        + ", was " + Fields.kind(element));
            }
            // a kind from a later version is skipped: the rest of the state is still worth showing
            WireName.parse(AlarmKind.class, text).ifPresent(alarms::add);
        }
        return new AgentState(
                f.instant("at"),
                f.int64("lastSeq"),
                f.optionalNumber("humidityPct"),
                f.optionalNumber("temperatureC"),
                f.optionalInstant("readingAt"),
                f.bool("valveOpen"),
                f.optionalInstant("valveCloseAt"),
                f.enumValue("mode", Mode.class),
                f.optionalInstant("lastSprayAt"),
                f.optionalEnum("lastSprayReason", SprayReason.class),
                f.optionalInstant("cooldownUntil"),
                f.optionalInstant("nextSprayAt"),
                f.optionalEnum("nextSprayReason", SprayReason.class),
                alarms);
    }

    private static Health readHealth(Fields f) {
        return new Health(
                f.instant("at"),
                f.text("version"),
                f.int64("uptimeS"),
                f.optionalNumber("cpuTemperatureC"),
                f.number("load1"),
                f.int64("memTotalBytes"),
                f.int64("memAvailableBytes"),
                f.int64("diskFreeBytes"),
                f.int64("heapUsedBytes"),
                f.int64("heapMaxBytes"),
                f.int64("storeBytes"),
                f.int64("queuedEvents"),
                f.optionalText("storeError"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return shorten(newline < 0 ? message : message.substring(0, newline));
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
