package dev.spike.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.spike.model.Checks;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Rules;
import dev.spike.model.WireName;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code docs/protocol.md} is what people read when they write a client of their own, so it must say what the code
 * does. This test reads the page and holds it to the code: the examples are the golden files and decode to the
 * {@link Samples}, the topics parse, the topic table has the QoS and retention of {@link TopicKind}, the field tables
 * list exactly the fields, types and ranges of their records, the rules table the defaults and ranges of
 * {@link Rules}, and the decode error examples are what the codec says.
 *
 * <p>The page's conventions this test relies on: an example is a line {@code <!-- golden: NAME.json on TOPIC -->}
 * followed by a {@code ```json} block; every table starts with a header row; a field table's header starts with
 * {@code Field} and has {@code Type} and {@code Range} columns; placeholders in topics are {@code <agentId>},
 * {@code <stationId>} and {@code <type>}.
 */
class ProtocolDocTest {

    private static final String AGENT = Samples.AGENT;
    private static final String STATION = "station-1";
    private static final String COMMON_EVENT_FIELDS = "Fields of every event";
    private static final String RULES_SECTION = "Rules";
    private static final String PROGRAM_SECTION = "Program";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern NUMBER_RANGE =
            Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\.\\.(-?\\d+(?:\\.\\d+)?)(?=$|[\\s,;])(.*)");
    private static final Pattern AT_LEAST = Pattern.compile(">= (-?\\d+)(?=$|[\\s,;]).*");

    /** The types as the page spells them; enums are "one of `a`, `b`" and lists "array ...". */
    private static final Map<Class<?>, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(int.class, "int32"),
            Map.entry(long.class, "int64"),
            Map.entry(double.class, "number"),
            Map.entry(Double.class, "number"),
            Map.entry(Integer.class, "int32"),
            Map.entry(dev.spike.model.Program.class, "array of periods"),
            Map.entry(boolean.class, "boolean"),
            Map.entry(String.class, "string"),
            Map.entry(Instant.class, "time"),
            Map.entry(LocalTime.class, "time of day"),
            Map.entry(ZoneId.class, "time zone"),
            Map.entry(Rules.class, "object"),
            Map.entry(dev.spike.model.RulesPatch.class, "object"));

    private static ProtocolDoc doc;

    private final Codec codec = new Codec();

    @BeforeAll
    static void readTheDoc() throws IOException {
        Path file = Path.of(System.getProperty("spike.docs.dir", "../docs")).resolve("protocol.md");
        assertThat(file).as("the protocol documentation").isRegularFile();
        doc = ProtocolDoc.parse(file);
    }

    @Test
    void isWellFormedForThisTestToRead() {
        assertThat(doc.problems).as("problems in %s", doc.file).isEmpty();
        assertThat(doc.examples).as("golden examples in %s", doc.file).isNotEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsItsGoldenFileAndDecodesToItsSample() {
        return doc.examples.stream().map(example -> dynamicTest(example.golden + " on " + example.topic, () -> {
            String where = doc.file.getFileName() + " line " + example.line;
            Path golden = GoldenFilesTest.GOLDEN.resolve(example.golden);
            assertThat(golden).as("%s: golden file", where).isRegularFile();
            assertThat(JSON.readTree(example.json)).as("%s: the example must equal %s", where, golden)
                    .isEqualTo(JSON.readTree(Files.readString(golden)));

            Samples.Sample sample = Samples.all().get(baseName(example.golden));
            assertThat(sample).as("%s: Samples has no entry %s", where, baseName(example.golden)).isNotNull();
            assertThat(Topic.parse(example.topic)).as("%s: topic", where).contains(sample.topic());

            Decoded<Object> decoded = codec.decode(example.topic, example.json.getBytes(StandardCharsets.UTF_8));
            assertThat(decoded.isOk()).as("%s: %s", where, decoded).isTrue();
            assertThat(decoded.value()).as("%s: decoded example", where).isEqualTo(sample.message());
        }));
    }

    @Test
    void showsEveryGoldenFileAndEverySampleExactlyOnce() throws IOException {
        List<String> shown = doc.examples.stream().map(example -> example.golden).collect(Collectors.toList());
        List<String> files;
        try (Stream<Path> list = Files.list(GoldenFilesTest.GOLDEN)) {
            files = list.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .sorted().collect(Collectors.toList());
        }
        List<String> samples = Samples.all().keySet().stream().map(name -> name + ".json")
                .collect(Collectors.toList());

        assertThat(shown).as("golden examples in the doc").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(files)
                .containsExactlyInAnyOrderElementsOf(samples);
    }

    @Test
    void everyTopicInTheDocIsAProtocolTopicOrASubscriptionFilterOfTheCode() {
        Set<String> filters = codeFilters();
        List<CodeSpan> topics = doc.topicSpans();
        assertThat(topics).as("topics written in the doc").isNotEmpty();

        SoftAssertions soft = new SoftAssertions();
        for (CodeSpan span : topics) {
            for (String topic : expand(span.text)) {
                if (topic.contains("+") || topic.contains("#")) {
                    soft.assertThat(filters).as("line %d: `%s` is a filter, but not one the code subscribes to",
                            span.line, span.text).contains(topic);
                } else {
                    soft.assertThat(Topic.parse(topic)).as("line %d: `%s` as %s", span.line, span.text, topic)
                            .isPresent();
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void namesEverySubscriptionFilterOfBothSides() {
        Set<String> written = doc.topicSpans().stream().flatMap(span -> expand(span.text).stream())
                .collect(Collectors.toSet());

        assertThat(written).as("topics and filters written in the doc").containsAll(codeFilters());
    }

    @Test
    void topicTableHasEveryKindWithItsSenderQosAndRetention() {
        Table table = doc.tableWithHeader("Topic", "Sender", "QoS", "Retained", "Payload");
        Map<TopicKind, String> rowOf = new LinkedHashMap<>();

        SoftAssertions soft = new SoftAssertions();
        for (List<String> row : table.rows) {
            String pattern = unquote(row.get(0));
            Set<TopicKind> kinds = new LinkedHashSet<>();
            for (String topic : expand(pattern)) {
                Optional<Topic> parsed = Topic.parse(topic);
                soft.assertThat(parsed).as("topic table: `%s` as %s", pattern, topic).isPresent();
                parsed.ifPresent(t -> kinds.add(t.kind()));
            }
            for (TopicKind kind : kinds) {
                String where = "topic table, row `" + pattern + "`";
                soft.assertThat(rowOf.put(kind, pattern)).as("%s: %s has a row already", where, kind).isNull();
                soft.assertThat(row.get(1)).as("%s: sender", where).startsWith(kind.isCommand() ? "station" : "agent");
                soft.assertThat(row.get(2)).as("%s: QoS", where).isEqualTo(String.valueOf(kind.qos()));
                soft.assertThat(row.get(3)).as("%s: retained", where).isEqualTo(kind.retained() ? "yes" : "no");
            }
        }
        soft.assertThat(rowOf.keySet()).as("kinds in the topic table")
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(TopicKind.class));
        soft.assertAll();
    }

    @Test
    void hasASectionForEveryEventTypeAndNamesEveryRule() {
        Set<String> spans = doc.codeSpans.stream().map(span -> span.text).collect(Collectors.toSet());

        for (EventType type : EventType.values()) {
            assertThat(doc.headings).as("a section for event type %s", type.wire()).contains(type.wire());
            assertThat(spans).as("event type %s", type.wire()).contains(type.wire());
        }
        for (RecordComponent component : Rules.class.getRecordComponents()) {
            assertThat(spans).as("rule %s", component.getName()).contains(component.getName());
        }
    }

    @Test
    void everyFieldTableListsExactlyTheFieldsTypesAndRangesOfItsMessage() throws IOException {
        Map<String, List<Example>> examplesBySection = doc.examples.stream()
                .collect(Collectors.groupingBy(example -> example.section, LinkedHashMap::new, Collectors.toList()));
        SoftAssertions soft = new SoftAssertions();

        for (Table table : doc.fieldTables()) {
            if (table.section.equals(COMMON_EVENT_FIELDS) || table.section.equals(RULES_SECTION)
                    || table.section.equals(PROGRAM_SECTION)) {
                continue; // checked by their own tests
            }
            soft.assertThat(examplesBySection).as("line %d: the field table of section \"%s\" has no golden"
                    + " example to check it against", table.line, table.section).containsKey(table.section);
        }
        for (Map.Entry<String, List<Example>> entry : examplesBySection.entrySet()) {
            String section = entry.getKey();
            List<Example> examples = entry.getValue();
            Set<Class<?>> classes = examples.stream().map(example -> sampleOf(example).message().getClass())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            soft.assertThat(classes).as("section \"%s\" must show one kind of message", section).hasSize(1);
            Class<?> type = classes.iterator().next();

            Map<String, RecordComponent> expected = new LinkedHashMap<>();
            for (RecordComponent component : type.getRecordComponents()) {
                expected.put(component.getName(), component);
            }
            if (Event.class.isAssignableFrom(type)) {
                // the agent id travels in the topic, seq and at are in the table of fields every event carries
                expected.keySet().removeAll(List.of("agentId", "seq", "at"));
            }
            List<Table> tables = doc.fieldTables().stream().filter(table -> table.section.equals(section))
                    .collect(Collectors.toList());
            soft.assertThat(tables.stream().flatMap(table -> table.rows.stream()).map(row -> unquote(row.get(0))))
                    .as("fields of %s in section \"%s\"", type.getSimpleName(), section)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());

            ObjectNode sample = codec.toJson(sampleOf(examples.get(0)).message());
            String topic = examples.get(0).topic;
            for (Table table : tables) {
                for (List<String> row : table.rows) {
                    RecordComponent component = expected.get(unquote(row.get(0)));
                    if (component != null) {
                        String where = "section \"" + section + "\", field " + component.getName();
                        checkType(soft, where, component, row.get(table.column("Type")));
                        checkRange(soft, where, component, row.get(table.column("Range")), topic, "",
                                value -> sample.deepCopy().set(component.getName(), value));
                    }
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void listsTheFieldsEveryEventCarries() {
        Table table = doc.fieldTables().stream().filter(t -> t.section.equals(COMMON_EVENT_FIELDS)).findFirst()
                .orElseThrow(() -> new AssertionError("no field table in section \"" + COMMON_EVENT_FIELDS + "\""));
        Map<String, String> types = new LinkedHashMap<>();
        table.rows.forEach(row -> types.put(unquote(row.get(0)), row.get(1)));

        assertThat(types.keySet()).containsExactlyInAnyOrder("seq", "at", "type");
        assertThat(types.get("seq")).isEqualTo(TYPE_NAMES.get(long.class));
        assertThat(types.get("at")).isEqualTo(TYPE_NAMES.get(Instant.class));
        assertThat(doc.examples).filteredOn(example -> example.golden.startsWith("event-"))
                .allSatisfy(example -> assertThat(JSON.readTree(example.json).fieldNames())
                        .toIterable().contains("seq", "at", "type"));
    }

    @Test
    void rulesTableStatesTheDefaultsAndRangesOfTheCode() throws IOException {
        Table table = doc.tables.stream()
                .filter(t -> t.section.equals(RULES_SECTION) && t.header.get(0).equals("Field"))
                .findFirst().orElseThrow(() -> new AssertionError("no field table in section Rules"));
        int defaultColumn = table.column("Default");
        int rangeColumn = table.column("Range");
        ObjectNode defaults = (ObjectNode) codec.toJson(new ConfigSnapshot(Samples.AT, Rules.defaults(ZoneOffset.UTC)))
                .get("rules");
        ObjectNode command = codec.toJson(Samples.all().get("cmd-config").message());
        String topic = Samples.all().get("cmd-config").topic().toString();
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : Rules.class.getRecordComponents()) {
            components.put(component.getName(), component);
        }

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(table.rows.stream().map(row -> unquote(row.get(0)))).as("rules in the table")
                .containsExactlyInAnyOrderElementsOf(components.keySet());
        for (List<String> row : table.rows) {
            String name = unquote(row.get(0));
            RecordComponent component = components.get(name);
            if (component == null) {
                continue;
            }
            String where = "rules table, " + name;
            checkType(soft, where, component, row.get(1));
            if (!name.equals("timeZone")) { // the default zone is the agent machine's, not a constant
                // a rule the codec leaves out by default (the program) says so
                soft.assertThat(unquote(row.get(defaultColumn))).as("%s: default", where)
                        .isEqualTo(defaults.has(name) ? defaults.get(name).asText() : "none (absent)");
            }
            // a range may name another rule ("1..`maxSprayS`"): read it with that rule's default
            String range = row.get(rangeColumn);
            for (String other : components.keySet()) {
                if (!other.equals("timeZone") && defaults.has(other)) {
                    range = range.replace("`" + other + "`", defaults.get(other).asText());
                }
            }
            checkRange(soft, where, component, range.replace("`", ""), topic, "rules.", value -> {
                ObjectNode copy = command.deepCopy();
                ((ObjectNode) copy.get("rules")).set(name, value);
                return copy;
            });
        }
        soft.assertAll();
    }

    @Test
    void programTableListsThePeriodsFieldsTypesAndRanges() throws IOException {
        Table table = doc.fieldTables().stream().filter(t -> t.section.equals(PROGRAM_SECTION)).findFirst()
                .orElseThrow(() -> new AssertionError("no field table in section " + PROGRAM_SECTION));
        Samples.Sample sample = Samples.all().get("cmd-rules-program");
        ObjectNode command = codec.toJson(sample.message());
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : dev.spike.model.Program.Period.class.getRecordComponents()) {
            components.put(component.getName(), component);
        }

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(table.rows.stream().map(row -> unquote(row.get(0)))).as("fields of a period")
                .containsExactlyInAnyOrderElementsOf(components.keySet());
        for (List<String> row : table.rows) {
            RecordComponent component = components.get(unquote(row.get(0)));
            if (component != null) {
                String where = "program table, " + component.getName();
                checkType(soft, where, component, row.get(table.column("Type")));
                checkRange(soft, where, component, row.get(table.column("Range")).replace("`", ""),
                        sample.topic().toString(), "rules.program[0].", value -> {
                            ObjectNode copy = command.deepCopy();
                            ((ObjectNode) copy.get("rules").get("program").get(0)).set(component.getName(), value);
                            return copy;
                        });
            }
        }
        soft.assertAll();
    }

    @Test
    void decodeErrorExamplesAreWhatTheCodecSays() {
        Table table = doc.tableWithHeader("Topic", "Payload", "Field", "Reason");
        assertThat(table.rows).as("decode error examples").isNotEmpty();

        SoftAssertions soft = new SoftAssertions();
        for (List<String> row : table.rows) {
            String payload = unquote(row.get(1));
            Decoded<Object> decoded = codec.decode(unquote(row.get(0)), payload.getBytes(StandardCharsets.UTF_8));
            soft.assertThat(decoded.isOk()).as("%s on %s should not decode", payload, row.get(0)).isFalse();
            if (!decoded.isOk()) {
                soft.assertThat(decoded.error()).as("%s on %s", payload, row.get(0))
                        .isEqualTo(new DecodeError(unquote(row.get(2)), unquote(row.get(3))));
            }
        }
        soft.assertAll();
    }

    @Test
    void statesTheLimitsOfTheCodec() {
        Table table = doc.tableWithHeader("Limit", "Value", "Why");
        Map<String, Integer> limits = new LinkedHashMap<>();
        limits.put("Payload size on every topic but", Codec.MAX_PAYLOAD_BYTES);
        limits.put("Payload size of a history reply", Codec.MAX_REPLY_BYTES);
        limits.put("JSON nesting depth", Codec.MAX_DEPTH);
        limits.put("Events per history page", HistoryPage.MAX_EVENTS);
        limits.put("Events per history request", HistoryRequest.MAX_LIMIT);

        SoftAssertions soft = new SoftAssertions();
        limits.forEach((label, value) -> {
            Optional<List<String>> row = table.rows.stream().filter(r -> r.get(0).startsWith(label)).findFirst();
            soft.assertThat(row).as("limits table: a row \"%s...\"", label).isPresent();
            row.ifPresent(r -> soft.assertThat(r.get(1)).as("limits table: %s", label)
                    .startsWith(String.format(Locale.ROOT, "%,d", value)));
        });
        soft.assertAll();
    }

    // ------------------------------------------------------------------------------------------------- checks

    /** The type column: "int32", "time", ..., "one of `a`, `b`" for enums, "array ..." for lists. */
    private static void checkType(SoftAssertions soft, String where, RecordComponent component, String cell) {
        Class<?> type = component.getType();
        if (type.isEnum()) {
            soft.assertThat(cell).as("%s: type", where).startsWith("one of ");
            soft.assertThat(spansIn(cell)).as("%s: values", where).containsExactlyInAnyOrderElementsOf(wires(type));
        } else if (type == List.class) {
            soft.assertThat(cell).as("%s: type", where).startsWith("array");
            Type element = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            if (element instanceof Class<?> && ((Class<?>) element).isEnum()) {
                soft.assertThat(spansIn(cell)).as("%s: values", where)
                        .containsExactlyInAnyOrderElementsOf(wires((Class<?>) element));
            }
        } else {
            soft.assertThat(TYPE_NAMES).as("%s: the doc has no name for %s", where, type).containsKey(type);
            soft.assertThat(cell).as("%s: type", where).isEqualTo(TYPE_NAMES.get(type));
        }
    }

    /**
     * The range column, for numbers ("0..100 %RH", ">= 0 ms") and texts ("1..64 characters"): decoding a value just
     * outside the range must fail with the codec's reason, which quotes the range. Every number needs a range.
     */
    private void checkRange(SoftAssertions soft, String where, RecordComponent component, String cell, String topic,
            String pathPrefix, UnaryOperator<JsonNode> payloadWith) throws IOException {
        Class<?> type = component.getType();
        boolean number = type == int.class || type == Integer.class || type == long.class || type == double.class
                || type == Double.class;
        List<Probe> probes = probes(type, cell);
        if (number) {
            soft.assertThat(probes).as("%s: a range such as 1..60 or >= 0, was \"%s\"", where, cell).isNotEmpty();
        }
        for (Probe probe : probes) {
            byte[] payload = JSON.writeValueAsBytes(payloadWith.apply(probe.value));
            Decoded<Object> decoded = codec.decode(topic, payload);
            soft.assertThat(decoded.isOk()).as("%s: %s is outside \"%s\" and must not decode", where, probe.value,
                    cell).isFalse();
            if (!decoded.isOk()) {
                soft.assertThat(decoded.error().toString()).as("%s: %s", where, probe.value)
                        .isIn(probe.reasons.stream().map(reason -> pathPrefix + component.getName() + " " + reason)
                                .collect(Collectors.toList()));
            }
        }
    }

    /** A value just outside a range, with the reasons the codec may give for it. */
    private static final class Probe {
        final JsonNode value;
        final List<String> reasons;

        Probe(JsonNode value, String... reasons) {
            this.value = value;
            this.reasons = List.of(reasons);
        }
    }

    private static List<Probe> probes(Class<?> type, String cell) {
        List<Probe> probes = new ArrayList<>();
        Matcher range = NUMBER_RANGE.matcher(cell);
        Matcher atLeast = AT_LEAST.matcher(cell);
        String span = null;
        BigDecimal min;
        BigDecimal max = null;
        if (range.matches()) {
            span = range.group(1) + ".." + range.group(2);
            min = new BigDecimal(range.group(1));
            max = new BigDecimal(range.group(2));
            if (type == String.class && !range.group(3).trim().startsWith("characters")) {
                return probes;
            }
        } else if (atLeast.matches()) {
            min = new BigDecimal(atLeast.group(1));
        } else {
            return probes;
        }
        BigDecimal below = min.subtract(BigDecimal.ONE);
        BigDecimal above = max == null ? null : max.add(BigDecimal.ONE);

        if (type == String.class) {
            if (span != null) {
                String reason = "must be " + span + " characters, was ";
                if (below.signum() >= 0) {
                    probes.add(new Probe(new TextNode("x".repeat(below.intValue())), reason + below));
                }
                probes.add(new Probe(new TextNode("x".repeat(above.intValue())), reason + above));
            }
        } else if (type == int.class || type == Integer.class || type == long.class) {
            long typeMax = type == long.class ? Long.MAX_VALUE : Integer.MAX_VALUE;
            if (span != null) {
                probes.add(new Probe(LongNode.valueOf(below.longValueExact()), "must be " + span + ", was " + below));
                if (above.compareTo(BigDecimal.valueOf(typeMax)) <= 0) {
                    probes.add(new Probe(LongNode.valueOf(above.longValueExact()),
                            "must be " + span + ", was " + above));
                }
            } else {
                // ">= 1" for an int32 is also written by the code as "1..2147483647"
                probes.add(new Probe(LongNode.valueOf(below.longValueExact()), "must be >= " + min + ", was " + below,
                        "must be " + min + ".." + typeMax + ", was " + below));
            }
        } else if (type == double.class || type == Double.class) {
            if (span != null) {
                probes.add(new Probe(DoubleNode.valueOf(below.doubleValue()),
                        "must be " + span + ", was " + Checks.plain(below.doubleValue())));
                probes.add(new Probe(DoubleNode.valueOf(above.doubleValue()),
                        "must be " + span + ", was " + Checks.plain(above.doubleValue())));
            } else {
                probes.add(new Probe(DoubleNode.valueOf(below.doubleValue()),
                        "must be >= " + min + ", was " + Checks.plain(below.doubleValue())));
            }
        }
        return probes;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Set<String> codeFilters() {
        Set<String> filters = new LinkedHashSet<>(Topic.stationFilters(STATION));
        filters.addAll(Topic.agentFilters(AGENT));
        filters.add(Topic.allStatusFilter());
        return filters;
    }

    /** A topic as written in the doc, with its placeholders filled in; one topic per event type for {@code <type>}. */
    private static List<String> expand(String pattern) {
        String topic = pattern.replace("<agentId>", AGENT).replace("<stationId>", STATION);
        if (!topic.contains("<type>")) {
            return List.of(topic);
        }
        return Arrays.stream(EventType.values()).map(type -> topic.replace("<type>", type.wire()))
                .collect(Collectors.toList());
    }

    private static Samples.Sample sampleOf(Example example) {
        Samples.Sample sample = Samples.all().get(baseName(example.golden));
        if (sample == null) {
            throw new AssertionError("line " + example.line + ": Samples has no entry " + baseName(example.golden));
        }
        return sample;
    }

    private static String baseName(String golden) {
        return golden.endsWith(".json") ? golden.substring(0, golden.length() - ".json".length()) : golden;
    }

    private static List<String> wires(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(constant -> ((WireName) constant).wire())
                .collect(Collectors.toList());
    }

    private static List<String> spansIn(String text) {
        List<String> spans = new ArrayList<>();
        Matcher matcher = CODE_SPAN.matcher(text);
        while (matcher.find()) {
            spans.add(matcher.group(1));
        }
        return spans;
    }

    /** A table cell that is one code span, without its backticks; any other cell as it is. */
    private static String unquote(String cell) {
        boolean oneSpan = cell.length() >= 2 && cell.startsWith("`") && cell.indexOf('`', 1) == cell.length() - 1;
        return oneSpan ? cell.substring(1, cell.length() - 1) : cell;
    }

    // -------------------------------------------------------------------------------------------- the doc model

    private static final class Example {
        final String golden;
        final String topic;
        final String json;
        final String section;
        final int line;

        Example(String golden, String topic, String json, String section, int line) {
            this.golden = golden;
            this.topic = topic;
            this.json = json;
            this.section = section;
            this.line = line;
        }

        @Override
        public String toString() {
            return golden + " (line " + line + ")";
        }
    }

    private static final class CodeSpan {
        final String text;
        final int line;

        CodeSpan(String text, int line) {
            this.text = text;
            this.line = line;
        }
    }

    private static final class Table {
        final String section;
        final int line;
        final List<String> header;
        final List<List<String>> rows = new ArrayList<>();

        Table(String section, int line, List<String> header) {
            this.section = section;
            this.line = line;
            this.header = header;
        }

        int column(String name) {
            int index = header.indexOf(name);
            if (index < 0) {
                throw new AssertionError("line " + line + ": table has no column " + name + ": " + header);
            }
            return index;
        }
    }

    /** docs/protocol.md taken apart: sections, examples, code spans outside code blocks, and tables. */
    private static final class ProtocolDoc {
        private static final Pattern MARKER = Pattern.compile("<!-- golden: (\\S+) on (\\S+) -->");

        final Path file;
        final List<Example> examples = new ArrayList<>();
        final List<CodeSpan> codeSpans = new ArrayList<>();
        final List<Table> tables = new ArrayList<>();
        final List<String> headings = new ArrayList<>();
        final List<String> problems = new ArrayList<>();

        private ProtocolDoc(Path file) {
            this.file = file;
        }

        static ProtocolDoc parse(Path file) throws IOException {
            ProtocolDoc doc = new ProtocolDoc(file);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String section = "";
            Table table = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int number = i + 1;
                if (!line.startsWith("|")) {
                    table = null;
                }
                if (line.startsWith("```")) {
                    int end = i + 1;
                    while (end < lines.size() && !lines.get(end).equals("```")) {
                        end++;
                    }
                    if (end == lines.size()) {
                        doc.problems.add("line " + number + ": code block never closed");
                        break;
                    }
                    String body = String.join("\n", lines.subList(i + 1, end));
                    Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
                    boolean marked = marker != null && marker.matches();
                    if (line.equals("```json") && marked) {
                        doc.examples.add(new Example(marker.group(1), marker.group(2), body, section, number));
                    } else if (line.equals("```json")) {
                        doc.problems.add("line " + number + ": a JSON block must be a golden example, with a"
                                + " <!-- golden: NAME.json on TOPIC --> line right above it");
                    }
                    i = end;
                    continue;
                }
                if (line.contains("<!-- golden")) {
                    boolean followed = i + 1 < lines.size() && lines.get(i + 1).equals("```json");
                    if (!MARKER.matcher(line).matches() || !followed) {
                        doc.problems.add("line " + number + ": a marker is <!-- golden: NAME.json on TOPIC -->"
                                + " alone on its line, followed by a ```json block");
                    }
                    continue;
                }
                if (line.startsWith("#")) {
                    section = line.replaceFirst("^#+\\s*", "").replace("`", "").trim();
                    doc.headings.add(section);
                }
                if (line.chars().filter(c -> c == '`').count() % 2 != 0) {
                    doc.problems.add("line " + number + ": odd number of backticks; keep a code span on one line");
                }
                Matcher span = CODE_SPAN.matcher(line);
                while (span.find()) {
                    doc.codeSpans.add(new CodeSpan(span.group(1), number));
                }
                if (line.startsWith("|")) {
                    List<String> cells = cells(line);
                    if (table == null) {
                        table = new Table(section, number, cells);
                        doc.tables.add(table);
                    } else if (!cells.stream().allMatch(cell -> cell.matches(":?-+:?"))) {
                        if (cells.size() != table.header.size()) {
                            doc.problems.add("line " + number + ": " + cells.size() + " cells, the header has "
                                    + table.header.size());
                        } else {
                            table.rows.add(cells);
                        }
                    }
                }
            }
            return doc;
        }

        private static List<String> cells(String line) {
            String inner = line.trim();
            int end = inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length();
            inner = inner.substring(1, end);
            return Arrays.stream(inner.split("\\|", -1)).map(String::trim).collect(Collectors.toList());
        }

        List<CodeSpan> topicSpans() {
            return codeSpans.stream().filter(span -> span.text.startsWith(Topic.ROOT + "/"))
                    .collect(Collectors.toList());
        }

        List<Table> fieldTables() {
            return tables.stream().filter(table -> table.header.get(0).equals("Field")).collect(Collectors.toList());
        }

        Table tableWithHeader(String... header) {
            return tables.stream().filter(table -> table.header.equals(List.of(header))).findFirst()
                    .orElseThrow(() -> new AssertionError(file + " has no table with header " + List.of(header)));
        }
    }
}
