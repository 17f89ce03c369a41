package dev.spike.agent.store;

import static dev.spike.agent.store.TestEvents.AGENT;
import static dev.spike.agent.store.TestEvents.T0;
import static dev.spike.agent.store.TestEvents.humidity;
import static dev.spike.agent.store.TestEvents.sample;
import static dev.spike.agent.store.TestEvents.valveOpened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.spike.agent.testing.LogCapture;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventStoreTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("data/events.db");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void roundTripsEveryEventTypeAcrossReopen(EventType type) {
        Event appended;
        try (EventStore store = EventStore.open(db(), AGENT)) {
            appended = store.append(sample(type, T0));
            assertThat(appended.seq()).isEqualTo(1);
            assertThat(appended.at()).isEqualTo(T0);
            assertThat(appended).isEqualTo(sample(type, T0));
        }
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.read(1, 10)).containsExactly(appended);
            assertThat(store.latest(type)).contains(appended);
        }
    }

    @Test
    void opensInWalModeWithNormalSyncAndCreatesTheDirectory() throws SQLException {
        assertThat(db().getParent()).doesNotExist();
        try (EventStore store = EventStore.open(db(), AGENT);
             Statement s = store.connection().createStatement()) {
            assertThat(db()).isRegularFile();
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
                assertThat(rs.getInt(1)).as("1 = NORMAL").isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void appendAllStoresEveryTypeUnderConsecutiveSeqs() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            List<Event> stored = store.appendAll(TestEvents.oneOfEach());
            assertThat(stored).extracting(Event::seq)
                    .containsExactly(seqs(1, EventType.values().length).toArray(new Long[0]));
            assertThat(stored).extracting(Event::type).containsExactly(EventType.values());
            assertThat(store.read(0, 100)).isEqualTo(stored);
            assertThat(store.count()).isEqualTo(EventType.values().length);
        }
    }

    @Test
    void stampsTheStoresAgentIdAndKeepsTheCallersTime() {
        try (EventStore store = EventStore.open(db(), "other-agent")) {
            Event stored = store.append(humidity(T0, 70));
            assertThat(stored.agentId()).isEqualTo("other-agent");
            assertThat(stored.at()).isEqualTo(T0);
            assertThat(store.read(1, 1).get(0).agentId()).isEqualTo("other-agent");
        }
    }

    @Test
    void seqKeepsIncreasingAcrossCloseAndReopen() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.lastSeq()).isZero();
            store.append(humidity(T0, 70));
            store.appendAll(List.of(humidity(T0, 71), humidity(T0, 72)));
            assertThat(store.lastSeq()).isEqualTo(3);
        }
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.append(humidity(T0, 73)).seq()).isEqualTo(4);
        }
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.read(0, 10)).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void highWaterSeqSurvivesCompactionOfTheNewestRows() throws SQLException {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            store.append(valveOpened(T0));
            // The clock was set back: the newest rows are readings older than the cutoff.
            store.append(humidity(T0.minusSeconds(86_400), 70));
            store.append(humidity(T0.minusSeconds(86_400), 71));
            assertThat(store.compactReadings(T0)).isEqualTo(2);
            assertThat(store.read(0, 10)).extracting(Event::seq).containsExactly(1L);
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.metaLong(EventStore.HIGH_WATER_KEY, -1)).isEqualTo(3);
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT max(seq) FROM events")) {
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.append(humidity(T0, 72)).seq()).isEqualTo(4);
        }
    }

    @Test
    void readPagesBySeq() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            for (int i = 0; i < 10; i++) {
                store.append(humidity(T0.plusSeconds(i), 60 + i));
            }
            assertThat(store.read(4, 3)).extracting(Event::seq).containsExactly(4L, 5L, 6L);
            assertThat(store.read(9, 100)).extracting(Event::seq).containsExactly(9L, 10L);
            assertThat(store.read(11, 100)).isEmpty();
            assertThat(store.read(1, 0)).isEmpty();
        }
    }

    @Test
    void readRangeIsHalfOpenToTheNanosecondAndInTimeOrder() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            Event a = store.append(humidity(T0, 60));
            Event b = store.append(humidity(T0.plusNanos(1), 61)); // same millisecond as a
            Event c = store.append(humidity(T0.plusSeconds(10), 62));
            Event earlier = store.append(humidity(T0.plusSeconds(5), 63)); // clock set back: higher seq, earlier at

            assertThat(store.readRange(T0, T0.plusSeconds(60), 10)).containsExactly(a, b, earlier, c);
            assertThat(store.readRange(T0.plusNanos(1), T0.plusSeconds(10), 10)).containsExactly(b, earlier);
            assertThat(store.readRange(T0, T0.plusNanos(1), 10)).containsExactly(a);
            assertThat(store.readRange(T0, T0.plusSeconds(60), 2)).containsExactly(a, b);
            assertThat(store.readRange(Instant.MIN, Instant.MAX, 10)).hasSize(4);
        }
    }

    @Test
    void latestFindsTheNewestOfATypeNewestFirst() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            Event first = store.append(valveOpened(T0));
            store.append(humidity(T0.plusSeconds(10), 70));
            Event second = store.append(valveOpened(T0.plusSeconds(20)));
            store.append(humidity(T0.plusSeconds(30), 71));

            assertThat(store.latest(EventType.VALVE_OPENED)).contains(second);
            assertThat(store.latest(EventType.VALVE_OPENED, 5)).containsExactly(second, first);
            assertThat(store.latest(EventType.VALVE_OPENED, 1)).containsExactly(second);
            assertThat(store.latest(EventType.MODE_CHANGED)).isEmpty();
            assertThat(store.latest(EventType.MODE_CHANGED, 3)).isEmpty();
        }
    }

    @Test
    void sinceReturnsTheAskedTypesFromTheCutoffInSeqOrder() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            Event oldOpening = store.append(valveOpened(T0));
            Event alarm = store.append(sample(EventType.HUMIDITY_ALARM, T0.plusSeconds(3600)));
            store.append(humidity(T0.plusSeconds(3601), 70));
            Event opening = store.append(valveOpened(T0.plusSeconds(3602)));
            Event cleared = store.append(sample(EventType.HUMIDITY_ALARM_CLEARED, T0.plusSeconds(3700)));
            // Clock set back: a later seq with an earlier at is not "since".
            store.append(valveOpened(T0.plusSeconds(60)));
            Event last = store.append(valveOpened(T0.plusSeconds(3800)));

            Instant hourAgo = T0.plusSeconds(3600);
            assertThat(store.since(hourAgo, EnumSet.of(EventType.VALVE_OPENED))).containsExactly(opening, last);
            assertThat(store.since(hourAgo, EnumSet.of(EventType.VALVE_OPENED, EventType.HUMIDITY_ALARM,
                    EventType.HUMIDITY_ALARM_CLEARED))).containsExactly(alarm, opening, cleared, last);
            assertThat(store.since(T0, EnumSet.of(EventType.VALVE_OPENED))).startsWith(oldOpening).hasSize(4);
            assertThat(store.since(hourAgo, Set.of())).isEmpty();
            assertThat(store.since(T0.plusSeconds(86_400), EnumSet.allOf(EventType.class))).isEmpty();
        }
    }

    @Test
    void compactionRemovesOnlyOldReadingsAndTruncatesTheWal() {
        Instant cutoff = T0.plusSeconds(3600);
        List<Event> kept = new ArrayList<>();
        try (EventStore store = EventStore.open(db(), AGENT)) {
            for (EventType type : EventType.values()) {
                Event old = store.append(sample(type, T0));
                if (!type.isReading()) {
                    kept.add(old);
                }
            }
            for (EventType type : EventType.values()) {
                kept.add(store.append(sample(type, cutoff)));
            }

            assertThat(store.compactReadings(cutoff)).isEqualTo(2);

            assertThat(store.read(0, 100)).containsExactlyElementsOf(kept);
            assertThat(store.count()).isEqualTo(kept.size());
            assertThat(EventStore.sizeOf(EventStore.walOf(db()))).isZero();
            assertThat(store.compactReadings(cutoff)).isZero();
        }
    }

    @Test
    void compactionWorksThroughMoreRowsThanOneChunk() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            List<Event> readings = new ArrayList<>();
            for (int i = 0; i < 12_345; i++) {
                readings.add(humidity(T0.plusSeconds(i), 70));
            }
            store.appendAll(readings);
            Event decision = store.append(valveOpened(T0));

            assertThat(store.compactReadings(T0.plusSeconds(100_000))).isEqualTo(12_345);
            assertThat(store.read(0, 10)).containsExactly(decision);
        }
    }

    @Test
    void skipsRowsThatCannotBeDecodedAndSaysWhichSeq() throws SQLException {
        Event good1;
        Event good2;
        try (EventStore store = EventStore.open(db(), AGENT)) {
            good1 = store.append(valveOpened(T0));
            good2 = store.append(valveOpened(T0.plusSeconds(10)));
            insertRaw(store, 3, T0.plusSeconds(20), "valve_opened", "{\"seq\":3,\"at\":\"broken");
            insertRaw(store, 4, T0.plusSeconds(30), "valve_opened",
                    "{\"seq\":99,\"at\":\"2026-05-01T18:00:30Z\",\"type\":\"valve_closed\",\"openMs\":1}");
            insertRaw(store, 5, T0.plusSeconds(40), "valve_opened", "{\"seq\":5,\"type\":\"no_such_type\"}");
        }
        try (LogCapture log = new LogCapture(EventStore.class)) {
            try (EventStore reopened = EventStore.open(db(), AGENT)) {
                assertThat(reopened.lastSeq()).isEqualTo(5);
                assertThat(reopened.read(0, 10)).containsExactly(good1, good2);
                // The bad rows are the newest openings; latest looks past them.
                assertThat(reopened.latest(EventType.VALVE_OPENED)).contains(good2);
                assertThat(reopened.latest(EventType.VALVE_OPENED, 2)).containsExactly(good2, good1);
                assertThat(reopened.since(T0, EnumSet.of(EventType.VALVE_OPENED))).containsExactly(good1, good2);
                assertThat(reopened.readRange(T0, T0.plusSeconds(60), 10)).containsExactly(good1, good2);
                // Bad rows do not use up a page: a page of 2 from seq 2 reaches past them to seq 6.
                assertThat(reopened.read(2, 2)).containsExactly(good2);
                assertThat(reopened.append(valveOpened(T0.plusSeconds(50))).seq()).isEqualTo(6);
                assertThat(reopened.read(2, 2)).extracting(Event::seq).containsExactly(2L, 6L);
            }
            List<String> warnings = log.messages(Level.WARN);
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("seq 3").contains(db().toString()));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("seq 4").contains("payload says seq 99"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("seq 5"));
            // Each bad row is reported once, however often it is read.
            assertThat(warnings.stream().filter(w -> w.contains("seq 3")).count()).isEqualTo(1);
        }
    }

    @Test
    void keepsNumbersInMeta() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.metaLong("acked_seq", -1)).isEqualTo(-1);
            store.putMetaLong("acked_seq", 42);
            store.putMetaLong("acked_seq", 43);
        }
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(store.metaLong("acked_seq", -1)).isEqualTo(43);
            assertThat(store.metaLong(EventStore.SCHEMA_VERSION_KEY, -1)).isEqualTo(EventStore.SCHEMA_VERSION);
        }
    }

    @Test
    void refusesAFileWithANewerSchema() throws SQLException {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            store.putMetaLong(EventStore.SCHEMA_VERSION_KEY, 2);
        }
        assertThatThrownBy(() -> EventStore.open(db(), AGENT))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(db().toString())
                .hasMessageContaining("schema version 2")
                .hasMessageContaining("upgrade the agent");
    }

    @Test
    void explainsAPathThatIsADirectory() throws Exception {
        Files.createDirectories(db());
        assertThatThrownBy(() -> EventStore.open(db(), AGENT))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open " + db())
                .hasMessageContaining("SQLITE_CANTOPEN");
    }

    @Test
    void refusesToOpenAReadOnlyFileForWritingButCanReadIt() throws Exception {
        Event stored;
        try (EventStore store = EventStore.open(db(), AGENT)) {
            stored = store.append(valveOpened(T0));
        }
        try (ReadOnlyFiles readOnly = new ReadOnlyFiles()) {
            String how = readOnly.makeReadOnly(db());
            assertThat(how).as("neither chmod nor chattr +i can make a file read-only for this user here").isNotNull();

            assertThatThrownBy(() -> EventStore.open(db(), AGENT))
                    .as("made read-only by " + how)
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot open " + db() + ": the file or its directory is read-only");
            try (EventStore store = EventStore.openReadOnly(db(), AGENT)) {
                assertThat(store.isReadOnly()).isTrue();
                assertThat(store.read(0, 10)).containsExactly(stored);
                assertThatThrownBy(() -> store.append(valveOpened(T0)))
                        .isInstanceOf(StoreException.class)
                        .hasMessage("cannot append to " + db() + ": the store is open read-only");
            }
        }
    }

    @Test
    void aFullDiskFailsTheAppendWithoutUsingUpItsSeq() throws SQLException {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            store.append(valveOpened(T0));
            TestEvents.fillDisk(store);
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                batch.add(humidity(T0.plusSeconds(i), 70));
            }
            assertThatThrownBy(() -> store.appendAll(batch))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot append to " + db() + ": disk full (SQLITE_FULL)");
            // All or nothing: not one event of the batch is stored, and no seq was consumed.
            assertThat(store.lastSeq()).isEqualTo(1);
            assertThat(store.count()).isEqualTo(1);
            assertThat(store.latest(EventType.VALVE_OPENED)).isPresent();

            TestEvents.freeDisk(store);
            assertThat(store.append(humidity(T0, 71)).seq()).isEqualTo(2);
        }
    }

    @Test
    void reportsItsSizeAndCount() {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            store.appendAll(TestEvents.oneOfEach());
            assertThat(store.count()).isEqualTo(EventType.values().length);
            assertThat(store.sizeBytes()).isGreaterThan(0);
        }
    }

    @Test
    void refusesUseAfterClose() {
        EventStore store = EventStore.open(db(), AGENT);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.append(humidity(T0, 70)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void usesTheIndexesForTheRecoveryQueries() throws SQLException {
        try (EventStore store = EventStore.open(db(), AGENT)) {
            assertThat(plan(store, EventStore.LATEST_OF_TYPE)).contains("events_type_seq").doesNotContain("TEMP B-TREE");
            assertThat(plan(store, EventStore.FIRST_SEQ_SINCE)).contains("events_at");
            assertThat(plan(store, EventStore.TYPE_SINCE)).contains("events_type_seq").doesNotContain("TEMP B-TREE");
            assertThat(plan(store, EventStore.RANGE)).contains("events_at").doesNotContain("TEMP B-TREE");
            assertThat(plan(store, EventStore.FROM_SEQ)).contains("INTEGER PRIMARY KEY").doesNotContain("TEMP B-TREE");
        }
    }

    /** SQLite's plan for {@code sql}, parameters unbound: which index it will walk, and whether it must sort. */
    private static String plan(EventStore store, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement p = store.connection().prepareStatement("EXPLAIN QUERY PLAN " + sql);
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
        }
        return plan.toString();
    }

    private static void insertRaw(EventStore store, long seq, Instant at, String type, String payload)
            throws SQLException {
        try (PreparedStatement p = store.connection()
                .prepareStatement("INSERT INTO events(seq, at, type, payload) VALUES (?, ?, ?, ?)")) {
            p.setLong(1, seq);
            p.setLong(2, at.toEpochMilli());
            p.setString(3, type);
            p.setString(4, payload);
            p.executeUpdate();
        }
    }

    private static List<Long> seqs(long from, int n) {
        return java.util.stream.LongStream.range(from, from + n).boxed().collect(Collectors.toList());
    }
}
