package dev.spike.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CodecErrorsTest {

    private final Codec codec = new Codec();

    private static final String RULES = "{\"lowHumidityPct\":75,\"sprayDurationS\":6,\"minIntervalMin\":10,"
            + "\"sensorDownSprayEveryH\":6,\"sensorDownAfterFailures\":3,\"eveningTime\":\"20:00\","
            + "\"eveningSkipIfSprayedWithinMin\":60,\"timeZone\":\"UTC\",\"maxSprayS\":30,\"readIntervalS\":10,"
            + "\"alarmLowPct\":60,\"alarmHighPct\":95}";

    private DecodeError error(String topic, String json) {
        Decoded<Object> decoded = codec.decode(topic, json.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.isOk()).as("decoding %s on %s should fail", json, topic).isFalse();
        return decoded.error();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"id\":\"a\"}`                              | cmd/spray  | durationS | is required",
        "`{\"id\":\"a\",\"durationS\":\"6\"}`          | cmd/spray  | durationS | must be a whole number, was a string",
        "`{\"id\":\"a\",\"durationS\":6.5}`            | cmd/spray  | durationS | must be a whole number, was 6.5",
        "`{\"id\":\"a\",\"durationS\":90}`             | cmd/spray  | durationS | must be 1..60, was 90",
        "`{\"id\":\"a\",\"durationS\":99999999999}`    | cmd/spray  | durationS | is out of range, was 99999999999",
        "`{\"id\":\"\",\"durationS\":6}`               | cmd/spray  | id        | must be 1..64 characters, was 0",
        "`{\"id\":7,\"durationS\":6}`                  | cmd/spray  | id        | must be a string, was 7",
        "`[1,2]`                                       | cmd/spray  | payload   | must be a JSON object, was an array",
        "`{\"id\":\"h\",\"fromSeq\":0,\"limit\":10}`   | cmd/history | fromSeq  | must be >= 1, was 0",
        "`{\"id\":\"s\"}`                              | sim/set    | sensor    | or tank is required",
        "`{\"id\":\"s\",\"sensor\":\"melted\"}`        | sim/set    | sensor    | must be one of ok, nack, crc, stuck, absent, was \"melted\"",
        "`{\"online\":true,\"at\":\"yesterday\",\"version\":\"1\"}` | status | at | must be an ISO-8601 UTC time such as 2026-05-01T12:00:00Z, was \"yesterday\"",
        "`{\"online\":true,\"at\":\"+1000000000-12-31T23:59:59Z\",\"version\":\"1\"}` | status | at | must be in the years 0000..9999, was \"+1000000000-12-31T23:59:59Z\"",
        "`{\"seq\":1,\"at\":\"+292278994-08-17T07:12:56Z\",\"type\":\"valve_closed\",\"openMs\":5}` | event/valve_closed | at | must be in the years 0000..9999, was \"+292278994-08-17T07:12:56Z\"",
        "`{\"seq\":1,\"at\":\"-0001-12-31T23:59:59Z\",\"type\":\"valve_closed\",\"openMs\":5}` | event/valve_closed | at | must be in the years 0000..9999, was \"-0001-12-31T23:59:59Z\"",
        "`{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":1e400}` | event/humidity_changed | humidityPct | is out of range, was Infinity",
        "`{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":101}` | event/humidity_changed | humidityPct | must be 0..100, was 101",
        "`{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"valve_closed\",\"openMs\":5}` | event/humidity_changed | type | must match the topic's humidity_changed, was \"valve_closed\"",
    })
    void namesTheFieldAndTheReason(String json, String suffix, String field, String reason) {
        DecodeError error = error("spike/terrarium-1/" + suffix, json);

        assertThat(error).isEqualTo(new DecodeError(field, reason));
    }

    @Test
    void namesNestedRuleFieldsWithTheirPath() {
        String json = "{\"id\":\"c\",\"rules\":" + RULES.replace("\"sprayDurationS\":6", "\"sprayDurationS\":45")
                + "}";

        assertThat(error("spike/terrarium-1/cmd/config", json))
                .isEqualTo(new DecodeError("rules.sprayDurationS", "must be 1..30, was 45"));
    }

    @Test
    void rejectsRulesWhoseAlarmsCross() {
        String json = "{\"id\":\"c\",\"rules\":" + RULES.replace("\"alarmLowPct\":60", "\"alarmLowPct\":97") + "}";

        assertThat(error("spike/terrarium-1/cmd/config", json))
                .isEqualTo(new DecodeError("rules.alarmLowPct", "must be below alarmHighPct (95), was 97"));
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        Decoded<Object> decoded = codec.decode("spike/terrarium-1/cmd/spray",
                "{\"id\":\"a\",\"durationS\":6,\"priority\":\"high\",\"extra\":{\"x\":[1,2]}}"
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
    }

    @Test
    void rejectsNaNAndInfinityTokens() {
        assertThat(error("spike/terrarium-1/event/humidity_changed",
                "{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":NaN}")
                .field()).isEqualTo("payload");
        assertThat(error("spike/terrarium-1/event/humidity_changed",
                "{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":Infinity}")
                .reason()).startsWith("is not valid JSON");
    }

    @Test
    void rejectsPayloadsOver64KiB() {
        String padding = "x".repeat(Codec.MAX_PAYLOAD_BYTES);
        DecodeError error = error("spike/terrarium-1/cmd/spray", "{\"id\":\"a\",\"durationS\":6,\"pad\":\"" + padding + "\"}");

        assertThat(error.field()).isEqualTo("payload");
        assertThat(error.reason()).endsWith("the limit is 65536");
    }

    @Test
    void rejectsDeepNestingBeforeReadingIt() {
        String deep = "{\"id\":\"a\",\"durationS\":6,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThat(error("spike/terrarium-1/cmd/spray", deep).reason()).startsWith("is not valid JSON");
    }

    @Test
    void rejectsDuplicateKeysAndTrailingContent() {
        assertThat(error("spike/terrarium-1/cmd/spray", "{\"id\":\"a\",\"durationS\":6,\"durationS\":60}").reason())
                .contains("Duplicate field");
        assertThat(error("spike/terrarium-1/cmd/spray", "{\"id\":\"a\",\"durationS\":6} {}").field())
                .isEqualTo("payload");
    }

    @Test
    void rejectsEmptyPayloadsSuchAsARetainedMessageBeingCleared() {
        assertThat(codec.decode(Topic.status("terrarium-1"), new byte[0]).error())
                .isEqualTo(new DecodeError("payload", "is empty"));
    }

    @Test
    void rejectsTopicsOutsideTheProtocol() {
        assertThat(error("spike/Terrarium/cmd/spray", "{}").field()).isEqualTo("topic");
        assertThat(error("other/terrarium-1/status", "{}").field()).isEqualTo("topic");
    }

    @Test
    void readsTheCommandIdOfAnOtherwiseBrokenCommand() {
        assertThat(codec.peekCommandId("{\"id\":\"abc\",\"durationS\":\"six\"}".getBytes(StandardCharsets.UTF_8)))
                .contains("abc");
        assertThat(codec.peekCommandId("{\"id\":\"abc\",".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(codec.peekCommandId(null)).isEmpty();
        assertThat(codec.peekCommandId("{\"id\":\"abc\",\"id\":\"xyz\"}".getBytes(StandardCharsets.UTF_8)))
                .as("a duplicate key makes the payload invalid").isEmpty();
        assertThat(codec.peekCommandId("{\"id\":\"abc\"} {}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(codec.peekCommandId("{\"nested\":{\"id\":\"abc\"}}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(codec.peekCommandId("{\"id\":7}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    /**
     * The payloads of InboundFuzzTest's long run (seed 20261121, payloads 398779, 399875 and 713964) that the agent
     * and the fuzzing station read differently: a raw 0xFF in a field name. Jackson pads the last four-byte group of a
     * name with 0xFF bytes before it looks the name up among the names it has read before, so "du-ation\xffS" was
     * found as "du-ationS" (and read without its UTF-8 checked) by a codec that had read "du-ationS" before, and was
     * "Invalid UTF-8" for one that had not. Two receivers gave one command two readings, and so two ids.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "7b226964223a22667a2d68343270222c2264752d6174696f6eff53223a337d, du-ationS, 25",
        "7b226964223a22667a2d396b667438222c226475726174693a6eff53223a327d, durati:nS, 26",
        "7b226964223a22667a2d396c6537222c226430726174696f6eff53223a337d, d0rationS, 25",
    })
    void readsInvalidUtf8InAFieldNameAlikeWhateverItReadBefore(String hex, String validLookalike, int offset) {
        byte[] payload = hex(hex);
        Topic spray = Topic.of("terrarium-1", TopicKind.CMD_SPRAY);
        Decoded<Object> fresh = codec.decode(spray, payload);
        Optional<String> freshId = codec.peekCommandId(payload);

        // the name the broken one collides with, read once, as an earlier payload may have had it
        codec.decode(spray, ("{\"id\":\"x\",\"" + validLookalike + "\":3}").getBytes(StandardCharsets.UTF_8));
        Decoded<Object> later = codec.decode(spray, payload);

        assertThat(later.error()).isEqualTo(fresh.error());
        assertThat(codec.peekCommandId(payload)).isEqualTo(freshId).isEmpty();
        assertThat(fresh.error()).isEqualTo(new DecodeError(DecodeError.PAYLOAD,
                "is not valid UTF-8: byte 0xff at offset " + offset));
        assertThat(new Codec().decode(spray, payload).error()).isEqualTo(fresh.error());
    }

    @Test
    void neverReadsAnIdFromAFieldNameWithInvalidUtf8() {
        // "\xff\xffid" is "id" padded the way Jackson pads it: it was read as "id" once "id" had been read
        byte[] payload = hex("7b22ffff6964223a2265766c222c226475726174696f6e53223a337d"); // {"\xff\xffid":"evl",...}
        codec.decode(Topic.of("terrarium-1", TopicKind.CMD_SPRAY), "{\"id\":\"a\",\"durationS\":6}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(codec.decode(Topic.of("terrarium-1", TopicKind.CMD_SPRAY), payload).error())
                .isEqualTo(new DecodeError(DecodeError.PAYLOAD, "is not valid UTF-8: byte 0xff at offset 2"));
        assertThat(codec.peekCommandId(payload)).isEmpty();
    }

    @Test
    void rejectsEveryKindOfInvalidUtf8AndNamesWhere() {
        String[][] cases = {
            {"7b226964223a2261c0af227d", "0xc0 at offset 8"}, // an overlong "/"
            {"7b226964223a2261eda080227d", "0xed at offset 8"}, // an encoded surrogate
            {"7b226964223a226180227d", "0x80 at offset 8"}, // a lone continuation byte
            {"7b226964223a2261e282", "0xe2 at offset 8"}, // cut inside a character
        };
        for (String[] c : cases) {
            assertThat(codec.decode(Topic.of("terrarium-1", TopicKind.CMD_SPRAY), hex(c[0])).error())
                    .as(c[0]).isEqualTo(new DecodeError(DecodeError.PAYLOAD, "is not valid UTF-8: byte " + c[1]));
        }
        assertThat(codec.decode(Topic.of("terrarium-1", TopicKind.CMD_SPRAY),
                "{\"id\":\"\uD83D\uDCA6\u00e9\",\"durationS\":6}".getBytes(StandardCharsets.UTF_8)).isOk())
                .as("valid multi-byte characters").isTrue();
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    @Test
    void readsTheCommandIdOfAnOversizePayloadSoItsSenderCanBeTold() {
        String padding = "x".repeat(Codec.MAX_PAYLOAD_BYTES);
        byte[] oversize = ("{\"pad\":\"" + padding + "\",\"id\":\"big-1\",\"durationS\":6}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(codec.decode(Topic.of("terrarium-1", TopicKind.CMD_SPRAY), oversize).error().toString())
                .isEqualTo("payload is " + oversize.length + " bytes, the limit is 65536");
        assertThat(codec.peekCommandId(oversize)).contains("big-1");
        assertThat(codec.peekCommandId(("{\"id\":\"huge\",\"pad\":\"" + "x".repeat(Codec.MAX_PEEK_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void acceptsLargeHistoryPagesOnlyOnReplyTopics() {
        Topic reply = Topic.reply("terrarium-1", "station-1");
        StringBuilder events = new StringBuilder();
        for (int seq = 1; seq <= 2000; seq++) {
            events.append(seq == 1 ? "" : ",").append("{\"seq\":").append(seq)
                    .append(",\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":70.5}");
        }
        String page = "{\"requestId\":\"h\",\"agentId\":\"terrarium-1\",\"last\":true,\"events\":[" + events + "]}";
        assertThat(page.length()).isGreaterThan(Codec.MAX_PAYLOAD_BYTES);

        Decoded<Object> decoded = codec.decode(reply, page.getBytes(StandardCharsets.UTF_8));

        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        assertThat(codec.decode(Topic.of("terrarium-1", TopicKind.STATE), page.getBytes(StandardCharsets.UTF_8))
                .error().reason()).contains("the limit is 65536");
    }

    @Test
    void skipsAnAlarmKindOfALaterVersionInTheStateButNotANonString() {
        String state = "{\"at\":\"2026-05-01T18:00:16Z\",\"lastSeq\":6,\"valveOpen\":false,\"mode\":\"normal\","
                + "\"activeAlarms\":[%s]}";
        Topic topic = Topic.of("terrarium-1", TopicKind.STATE);

        Decoded<Object> later = codec.decode(topic, String.format(state, "\"low\",\"tank_on_fire\",\"sensor_failed\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(later.isOk()).as("%s", later).isTrue();
        assertThat(((dev.spike.model.AgentState) later.value()).activeAlarms()).containsExactly(
                dev.spike.model.AlarmKind.LOW, dev.spike.model.AlarmKind.SENSOR_FAILED);

        assertThat(codec.decode(topic, String.format(state, "\"low\",7").getBytes(StandardCharsets.UTF_8)).error())
                .hasToString("activeAlarms[1] must be one of "
                        + dev.spike.model.WireName.choices(dev.spike.model.AlarmKind.class) + ", was 7");
    }

    @Test
    void reportsTheEventIndexOfABadEventInAPage() {
        String page = "{\"requestId\":\"h\",\"agentId\":\"terrarium-1\",\"last\":true,\"events\":["
                + "{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"valve_closed\",\"openMs\":5},"
                + "{\"seq\":2,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"valve_closed\",\"openMs\":-5}]}";

        assertThat(error("spike/terrarium-1/reply/station-1", page))
                .isEqualTo(new DecodeError("events[1].openMs", "must be >= 0, was -5"));
    }
}
