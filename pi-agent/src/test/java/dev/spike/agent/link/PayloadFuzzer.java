package dev.spike.agent.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Payloads for the agent's inbound topics, from one seeded {@link Random} so that a failing run replays exactly:
 * valid commands built with the model and {@link Codec#encode}, then broken on the byte level (bit flips, inserted,
 * deleted and cut bytes, invalid UTF-8) or on the JSON level (fields missing, doubled or of another type, huge and
 * negative numbers, NaN, deep nesting, long strings), random JSON trees that use the protocol's field names, and
 * the edge cases a codec must survive (empty, over 64 KiB, not an object).
 *
 * <p>Not thread-safe: one storm, one fuzzer.
 */
final class PayloadFuzzer {

    /** Every field name of the commands and the rules, so random trees hit the codec's readers, not just its parser. */
    static final List<String> FIELD_NAMES = List.of("id", "durationS", "rules", "fromSeq", "limit", "sensor", "tank",
            "lowHumidityPct", "sprayDurationS", "minIntervalMin", "sensorDownSprayEveryH", "sensorDownAfterFailures",
            "eveningTime", "eveningSkipIfSprayedWithinMin", "timeZone", "maxSprayS", "readIntervalS", "alarmLowPct",
            "alarmHighPct");
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo",
            "Pacific/Kiritimati", "Australia/Adelaide");
    private static final List<String> ODD_TEXTS = List.of("", " ", "null", "NaN", "Infinity", "-Infinity", "6",
            "ok", "OK", "absent", "empty", "full", "20:00", "25:61", "20:00:30", "Europe/Berlin", "Mars/Olympus",
            "\u0000", "\uD83D\uDCA6", "\u202Ereversed", "a\nb", "\\u0000", "{\"id\":\"x\"}");
    private static final String[] NUMBER_TEXTS = {"NaN", "Infinity", "-Infinity", "+6", "06", "6.", ".5", "1e400",
        "-1e400", "1E2", "-0", "0x10", "99999999999999999999999999999", "9223372036854775808", "-9223372036854775809",
        "2147483648", "-2147483649", "1" + "0".repeat(70)};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;
    private final Codec codec = new Codec();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Supplier<Instant> clock;
    private long ids;

    /** @param clock now, for rules whose evening spray must stay far away (see {@link #safeRules()}) */
    PayloadFuzzer(long seed, Supplier<Instant> clock) {
        this.random = new Random(seed);
        this.clock = clock;
    }

    Random random() {
        return random;
    }

    /** A fresh id; unique within the storm unless a mutation changes it. */
    String freshId() {
        return "fz-" + Long.toString(++ids, 36);
    }

    // ------------------------------------------------------------------------------------------- payloads

    /** A payload for a command topic of {@code kind}; null kind means a topic that has no payload format. */
    byte[] payload(TopicKind kind) {
        int roll = random.nextInt(100);
        if (roll < 10) {
            return valid(kind);
        }
        if (roll < 45) {
            return mutateBytes(valid(kind));
        }
        if (roll < 75) {
            return mutateTree(validTree(kind));
        }
        if (roll < 90) {
            return write(randomObject(0));
        }
        return special(kind);
    }

    /** What Home Assistant says on its status topic, or something like it. */
    byte[] homeAssistantStatus() {
        int roll = random.nextInt(100);
        if (roll < 15) {
            return bytes(random.nextBoolean() ? "online" : "offline");
        }
        if (roll < 25) {
            return bytes(random.nextBoolean() ? " online\n" : "ONLINE");
        }
        if (roll < 60) {
            return mutateBytes(bytes(random.nextBoolean() ? "online" : "offline"));
        }
        return payload(TopicKind.values()[random.nextInt(TopicKind.values().length)]);
    }

    byte[] valid(TopicKind kind) {
        return codec.encode(command(kind));
    }

    private ObjectNode validTree(TopicKind kind) {
        return codec.toJson(command(kind));
    }

    private Object command(TopicKind kind) {
        String id = freshId();
        switch (kind == null ? TopicKind.CMD_SPRAY : kind) {
            case CMD_CONFIG:
                return new ConfigCommand(id, safeRules());
            case CMD_HISTORY:
                // a long answer now and then: each one streams the whole store while the storm goes on
                return new HistoryRequest(id, 1 + (long) random.nextInt(random.nextBoolean() ? 50 : 2_000_000),
                        random.nextInt(100) == 0 ? 1 + random.nextInt(HistoryRequest.MAX_LIMIT)
                                : 1 + random.nextInt(500));
            case SIM_SET: {
                SensorFault sensor = random.nextInt(3) == 0 ? null : pick(SensorFault.values());
                TankLevel tank = sensor == null || random.nextBoolean() ? pick(TankLevel.values()) : null;
                return new SimSetCommand(id, sensor, tank);
            }
            default:
                // mostly short sprays: every opening counts against the valve's hourly runaway budget
                int roll = random.nextInt(10);
                int durationS = roll < 7 ? 1 + random.nextInt(3)
                        : roll < 9 ? 31 + random.nextInt(Rules.ABSOLUTE_MAX_SPRAY_S - 30) : 1 + random.nextInt(30);
                return new SprayCommand(id, durationS);
        }
    }

    /**
     * Rules under which the agent cannot spray by itself during a storm (see InboundFuzzTest#quiet): the terrarium
     * starts at 92 %RH and needs about half an hour to dry below 70, the sensor is read at least as often as before,
     * and the evening spray is hours away in the rules' own zone.
     */
    Rules safeRules() {
        ZoneId zone = ZoneId.of(pick(ZONES));
        int maxSprayS = 1 + random.nextInt(30);
        double alarmLow = random.nextInt(90);
        return new Rules(1 + random.nextInt(68) + random.nextInt(10) / 10.0, 1 + random.nextInt(maxSprayS),
                1 + random.nextInt(24 * 60), 1 + random.nextInt(48), 1 + random.nextInt(100),
                clock.get().atZone(zone).toLocalTime().plusHours(3 + random.nextInt(18)).withSecond(0).withNano(0),
                random.nextInt(24 * 60 + 1), zone, maxSprayS, 10 + random.nextInt(3591), alarmLow,
                alarmLow + 1 + random.nextInt((int) (100 - alarmLow)));
    }

    // ------------------------------------------------------------------------------------ byte mutations

    byte[] mutateBytes(byte[] original) {
        byte[] bytes = original;
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            bytes = mutateOnce(bytes);
        }
        return bytes;
    }

    private byte[] mutateOnce(byte[] bytes) {
        if (bytes.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(bytes.length);
        switch (random.nextInt(7)) {
            case 0: { // bit flip
                byte[] out = bytes.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: { // insert a random byte
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                return out;
            }
            case 2: { // delete a byte
                byte[] out = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
                return out;
            }
            case 3: // truncate
                return Arrays.copyOf(bytes, at);
            case 4: { // a JSON-significant character
                byte[] out = bytes.clone();
                String significant = "{}[]\":,\\ 0-.eE";
                out[at] = (byte) significant.charAt(random.nextInt(significant.length()));
                return out;
            }
            case 5: { // invalid UTF-8: a lone continuation byte, an overlong form, a cut multi-byte sequence
                byte[][] broken = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE2, (byte) 0x82},
                    {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
                byte[] insert = broken[random.nextInt(broken.length)];
                byte[] out = new byte[bytes.length + insert.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(insert, 0, out, at, insert.length);
                System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
                return out;
            }
            default: { // a slice repeated: duplicated keys and values
                int end = at + random.nextInt(bytes.length - at) + 1;
                byte[] slice = Arrays.copyOfRange(bytes, at, end);
                byte[] out = new byte[bytes.length + slice.length];
                System.arraycopy(bytes, 0, out, 0, end);
                System.arraycopy(slice, 0, out, end, slice.length);
                System.arraycopy(bytes, end, out, end + slice.length, bytes.length - end);
                return out;
            }
        }
    }

    // ------------------------------------------------------------------------------------ tree mutations

    byte[] mutateTree(ObjectNode root) {
        ObjectNode target = root;
        if (root.has("rules") && random.nextBoolean()) {
            target = (ObjectNode) root.get("rules");
        }
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String name = names.isEmpty() || random.nextInt(8) == 0 ? pick(FIELD_NAMES) : names.get(
                random.nextInt(names.size()));
        switch (random.nextInt(10)) {
            case 0:
                target.remove(name);
                return write(root);
            case 1: // the same key twice: STRICT_DUPLICATE_DETECTION must refuse it
                return spliceAfterBrace(write(root), "\"" + name + "\":" + write(randomValue(2)) + ",");
            case 2: // a raw token JSON does not have, or a number no field can hold
                return replaceValue(root, target, name, pickText(NUMBER_TEXTS));
            case 3:
                target.set(name, nest(target.path(name), 1 + random.nextInt(40)));
                return write(root);
            case 4:
                target.put(name, longString());
                return write(root);
            case 5:
                target.put(name, pick(ODD_TEXTS));
                return write(root);
            case 6: // the id at and past its limits
                root.put("id", random.nextBoolean() ? "i".repeat(64 + random.nextInt(2))
                        : random.nextBoolean() ? "" : pick(ODD_TEXTS));
                return write(root);
            case 7:
                for (int i = random.nextInt(5); i >= 0; i--) {
                    target.set(random.nextBoolean() ? pick(FIELD_NAMES) : "x" + random.nextInt(1000),
                            randomValue(3));
                }
                return write(root);
            case 8: // another type: "6" for 6, 6.0 for 6, true, null, [], {}
                target.set(name, otherType(target.get(name)));
                return write(root);
            default: // invalid UTF-8 inside a string value
                byte[] valid = write(root);
                int quote = indexOf(valid, (byte) '"', random.nextInt(valid.length));
                if (quote < 0) {
                    return valid;
                }
                byte[] out = new byte[valid.length + 1];
                System.arraycopy(valid, 0, out, 0, quote + 1);
                out[quote + 1] = (byte) (0x80 + random.nextInt(0x80));
                System.arraycopy(valid, quote + 1, out, quote + 2, valid.length - quote - 1);
                return out;
        }
    }

    private JsonNode otherType(JsonNode value) {
        if (value != null && value.isIntegralNumber()) {
            switch (random.nextInt(4)) {
                case 0:
                    return NODES.textNode(value.asText());
                case 1:
                    return NODES.numberNode(value.asDouble());
                case 2:
                    return NODES.numberNode(-value.asLong());
                default:
                    return NODES.numberNode(BigInteger.valueOf(value.asLong()).shiftLeft(32 + random.nextInt(64)));
            }
        }
        if (value != null && value.isTextual() && random.nextBoolean()) {
            return NODES.numberNode(random.nextInt());
        }
        return randomValue(2);
    }

    private JsonNode nest(JsonNode inner, int depth) {
        JsonNode node = inner.isMissingNode() ? NODES.numberNode(6) : inner;
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                ArrayNode array = NODES.arrayNode();
                array.add(node);
                node = array;
            } else {
                ObjectNode object = NODES.objectNode();
                object.set(pick(FIELD_NAMES), node);
                node = object;
            }
        }
        return node;
    }

    private String longString() {
        // mostly past the id's 64 characters; now and then past the payload limit on its own
        int length = random.nextInt(20) == 0 ? Codec.MAX_PAYLOAD_BYTES + random.nextInt(4096)
                : 65 + random.nextInt(4000);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(10) == 0 ? 0x80 + random.nextInt(0x700) : 'a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private byte[] replaceValue(ObjectNode root, ObjectNode target, String name, String raw) {
        String marker = "\"\u0001" + random.nextInt(1_000_000) + "\u0001\"";
        target.put(name, marker.substring(1, marker.length() - 1));
        String json = new String(write(root), StandardCharsets.UTF_8);
        return bytes(json.replace(marker.replace("\u0001", "\\u0001"), raw));
    }

    // ------------------------------------------------------------------------------------- random trees

    /** An object of protocol field names and random values, sometimes nested past the codec's depth limit. */
    ObjectNode randomObject(int depth) {
        ObjectNode object = NODES.objectNode();
        if (random.nextInt(4) != 0) {
            object.put("id", random.nextInt(5) == 0 ? pick(ODD_TEXTS) : freshId());
        }
        for (int i = random.nextInt(6); i > 0; i--) {
            String name = random.nextInt(6) == 0 ? "f" + random.nextInt(100) : pick(FIELD_NAMES);
            object.set(name, name.equals("rules") ? randomObject(depth + 1) : randomValue(depth + 1));
        }
        return object;
    }

    private JsonNode randomValue(int depth) {
        int kinds = depth > 18 ? 6 : 8;
        switch (random.nextInt(kinds)) {
            case 0:
                return NODES.numberNode(random.nextInt(200) - 50);
            case 1:
                return NODES.numberNode(random.nextBoolean() ? random.nextLong() : random.nextDouble() * 1e6);
            case 2:
                return NODES.textNode(random.nextBoolean() ? pick(ODD_TEXTS) : freshId());
            case 3:
                return NODES.booleanNode(random.nextBoolean());
            case 4:
                return NODES.nullNode();
            case 5:
                return NODES.textNode(LocalTime.of(random.nextInt(24), random.nextInt(60)).toString());
            case 6: {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(depth + 1));
                }
                return array;
            }
            default:
                return randomObject(depth + 1);
        }
    }

    // ------------------------------------------------------------------------------------------ specials

    private byte[] special(TopicKind kind) {
        switch (random.nextInt(12)) {
            case 0:
                return new byte[0];
            case 1:
                return bytes(pickText(new String[] {"null", "[]", "{}", "\"spray\"", "6", "true", " ", "{", "}",
                    "[{\"id\":\"a\",\"durationS\":6}]"}));
            case 2: { // over the codec's 64 KiB, with a readable id: the sender hears how big it was
                ObjectNode tree = validTree(kind);
                tree.put("padding", "p".repeat(Codec.MAX_PAYLOAD_BYTES + random.nextInt(64 * 1024)));
                return write(tree);
            }
            case 3: { // just over the limit, by whitespace only
                byte[] valid = valid(kind);
                byte[] out = Arrays.copyOf(valid, Codec.MAX_PAYLOAD_BYTES + 1 + random.nextInt(16));
                Arrays.fill(out, valid.length - 1, out.length - 1, (byte) ' ');
                out[out.length - 1] = '}';
                return out;
            }
            case 4: // two objects in one payload
                return concat(valid(kind), valid(kind));
            case 5: // a byte order mark, which JSON does not allow here
                return concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, valid(kind));
            case 6: // UTF-16
                return new String(valid(kind), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            case 7: { // nesting far past the depth limit, in one piece
                int depth = 17 + random.nextInt(2_000);
                return bytes("{\"id\":\"" + freshId() + "\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            }
            case 8: { // random bytes
                byte[] out = new byte[random.nextInt(300)];
                random.nextBytes(out);
                return out;
            }
            case 9: // comments and single quotes, which strict JSON refuses
                return bytes("{'id':'" + freshId() + "', /* spray */ \"durationS\": 6}");
            case 10: { // a trailing comma
                String json = new String(valid(kind), StandardCharsets.UTF_8);
                return bytes(json.substring(0, json.length() - 1) + ",}");
            }
            default: // a random tree, deeper than allowed at times
                return write(nest(randomObject(0), random.nextInt(20)));
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private String pickText(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private byte[] write(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] spliceAfterBrace(byte[] json, String insert) {
        byte[] extra = bytes(insert);
        byte[] out = new byte[json.length + extra.length];
        out[0] = json[0];
        System.arraycopy(extra, 0, out, 1, extra.length);
        System.arraycopy(json, 1, out, 1 + extra.length, json.length - 1);
        return out;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
