package dev.spike.agent.store;

import static dev.spike.agent.store.TestEvents.AGENT;
import static dev.spike.agent.store.TestEvents.T0;
import static dev.spike.agent.store.TestEvents.humidity;
import static dev.spike.agent.store.TestEvents.sample;
import static dev.spike.agent.store.TestEvents.valveOpened;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.spike.agent.testing.LogCapture;
import dev.spike.model.CommandKind;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResilientEventStoreTest {

    /** Long enough that no append retries the disk by itself unless a test moves the clock. */
    private static final Duration NEVER = Duration.ofDays(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T18:00:00Z"));
    private final ReadOnlyFiles readOnly = new ReadOnlyFiles();

    private Path data() {
        return dir.resolve("data");
    }

    private Path db() {
        return data().resolve("events.db");
    }

    private ResilientEventStore open(int backlogLimit, Duration retryInterval) {
        return ResilientEventStore.open(db(), AGENT, backlogLimit, retryInterval, clock);
    }

    @AfterEach
    void makeWritableAgain() {
        readOnly.close();
    }

    @Test
    void passesThroughToTheDiskWhenItIsHealthy() {
        List<Event> appended;
        try (ResilientEventStore store = open(100, NEVER)) {
            appended = new ArrayList<>(store.appendAll(TestEvents.oneOfEach()));
            appended.add(store.append(valveOpened(T0.plusSeconds(3600))));
            assertThat(store.lastError()).isEmpty();
            assertThat(store.backlogSize()).isZero();
            assertThat(store.lastSeq()).isEqualTo(appended.size());
            assertThat(store.read(0, 100)).isEqualTo(appended);
            assertThat(store.latest(EventType.VALVE_OPENED)).contains(appended.get(appended.size() - 1));
            assertThat(store.sizeBytes()).isGreaterThan(0);
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 100)).isEqualTo(appended);
        }
    }

    @Test
    void keepsControlGoingWhenTheDiskIsFullAndFlushesTheBacklogInOrder() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, NEVER)) {
            appended.add(store.append(valveOpened(T0)));
            fillDiskUntilAnAppendFails(store, appended);
            appended.add(store.append(valveOpened(T0.plusSeconds(5_000))));
            appended.add(store.append(sample(EventType.SENSOR_ERROR, T0.plusSeconds(5_001))));
            appended.addAll(store.appendAll(List.of(humidity(T0.plusSeconds(5_002), 60),
                    sample(EventType.HUMIDITY_ALARM, T0.plusSeconds(5_003)))));

            assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("cannot append to " + db() + ": disk full (SQLITE_FULL)"));
            assertThat(store.backlogSize()).isEqualTo(5);
            // Seqs are handed out as if nothing happened, and reads see the backlog.
            assertThat(appended).extracting(Event::seq).containsExactlyElementsOf(seqs(1, appended.size()));
            assertThat(store.read(0, 100_000)).containsExactlyElementsOf(appended);
            assertThat(store.latest(EventType.VALVE_OPENED)).contains(appended.get(appended.size() - 4));
            assertThat(store.since(T0.plusSeconds(5_000), EnumSet.of(EventType.VALVE_OPENED,
                    EventType.HUMIDITY_ALARM))).extracting(Event::type)
                    .containsExactly(EventType.VALVE_OPENED, EventType.HUMIDITY_ALARM);
            assertThat(store.count()).isEqualTo(appended.size());

            assertThat(store.retry()).isFalse();
            TestEvents.freeDisk(store.store());
            assertThat(store.retry()).isTrue();

            assertThat(store.lastError()).isEmpty();
            assertThat(store.backlogSize()).isZero();
            appended.add(store.append(humidity(T0.plusSeconds(6_000), 61)));
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            // In order, no gap, no seq used twice.
            assertThat(disk.read(0, 100_000)).containsExactlyElementsOf(appended);
            assertThat(disk.lastSeq()).isEqualTo(appended.size());
        }
    }

    @Test
    void flushesTheBacklogOnALaterAppendOnceTheRetryIntervalHasPassed() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, Duration.ofSeconds(30))) {
            fillDiskUntilAnAppendFails(store, appended);
            TestEvents.freeDisk(store.store());

            clock.advance(Duration.ofSeconds(29));
            appended.add(store.append(valveOpened(T0)));
            assertThat(store.backlogSize()).as("no attempt before the interval").isEqualTo(2);

            clock.advance(Duration.ofSeconds(1));
            appended.add(store.append(valveOpened(T0)));
            assertThat(store.backlogSize()).isZero();
            assertThat(store.lastError()).isEmpty();
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 100_000)).containsExactlyElementsOf(appended);
        }
    }

    @Test
    void retriesAtOnceWhenTheClockWasSetBack() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, Duration.ofMinutes(10))) {
            fillDiskUntilAnAppendFails(store, appended);
            TestEvents.freeDisk(store.store());
            clock.advance(Duration.ofHours(-1));
            appended.add(store.append(valveOpened(T0)));
            assertThat(store.backlogSize()).isZero();
        }
    }

    @Test
    void compactionMakesRoomForTheBacklogOnAFullDisk() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, NEVER)) {
            List<Event> old = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                old.add(humidity(T0.minusSeconds(86_400 - i), 70));
            }
            store.appendAll(old);
            fillDiskUntilAnAppendFails(store, appended);
            Event decision = store.append(valveOpened(T0));
            assertThat(store.backlogSize()).isEqualTo(2);

            assertThat(store.compactReadings(T0.minusSeconds(3_600))).isEqualTo(2_000);

            assertThat(store.backlogSize()).isZero();
            assertThat(store.lastError()).isEmpty();
            assertThat(store.latest(EventType.VALVE_OPENED)).contains(decision);
        }
    }

    @Test
    void dropsTheOldestReadingsFirstWhenTheBacklogOverflows() throws SQLException {
        List<Event> appended = new ArrayList<>();
        List<Event> valves = new ArrayList<>();
        List<Event> readings = new ArrayList<>();
        try (ResilientEventStore store = open(5, NEVER); LogCapture log = new LogCapture(ResilientEventStore.class)) {
            fillDiskUntilAnAppendFails(store, appended);
            Event firstReading = appended.get(appended.size() - 1);
            valves.add(store.append(valveOpened(T0)));
            readings.add(store.append(humidity(T0, 60)));
            readings.add(store.append(humidity(T0, 61)));
            valves.add(store.append(valveOpened(T0)));
            readings.add(store.append(humidity(T0, 62)));
            readings.add(store.append(humidity(T0, 63)));
            readings.add(store.append(humidity(T0, 64)));
            valves.add(store.append(valveOpened(T0)));

            // 9 waiting, limit 5: the four oldest readings went, every valve event stayed.
            assertThat(store.droppedReadings()).isEqualTo(4);
            assertThat(store.read(firstReading.seq(), 100)).containsExactly(valves.get(0), valves.get(1),
                    readings.get(3), readings.get(4), valves.get(2));

            for (int i = 0; i < 5; i++) {
                valves.add(store.append(valveOpened(T0)));
            }
            // Only decisions left and still over the limit: they are kept anyway, and that is an ERROR.
            assertThat(store.droppedReadings()).isEqualTo(6);
            assertThat(store.backlogSize()).isEqualTo(8);
            assertThat(log.messages(Level.ERROR)).anySatisfy(m -> assertThat(m).contains("over its limit of 5"));

            TestEvents.freeDisk(store.store());
            assertThat(store.retry()).isTrue();
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            List<Event> stored = disk.read(0, 100_000);
            List<Event> expected = new ArrayList<>(appended.subList(0, appended.size() - 1));
            expected.addAll(valves);
            expected.sort(Comparator.comparingLong(Event::seq));
            assertThat(stored).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void dropsOldRejectionsTooSoThatAFloodOfBrokenCommandsOnAFullDiskStaysWithinTheLimit() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(5, NEVER)) {
            fillDiskUntilAnAppendFails(store, appended);
            Event firstWaiting = appended.get(appended.size() - 1);
            Event accepted = store.append(new CommandResult(AGENT, 1, T0, "spray-1", CommandKind.SPRAY, true, null));
            Event valve = store.append(valveOpened(T0));
            List<Event> rejections = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                rejections.add(store.append(new CommandResult(AGENT, 1, T0, "junk-" + i, CommandKind.SPRAY, false,
                        "durationS is required")));
            }

            // the reading and the oldest rejections went; the accepted command and the valve event stayed
            assertThat(store.backlogSize()).isEqualTo(5);
            assertThat(store.droppedReadings()).isEqualTo(1);
            assertThat(store.droppedRejections()).isEqualTo(997);
            assertThat(store.read(firstWaiting.seq(), 100)).containsExactly(accepted, valve, rejections.get(997),
                    rejections.get(998), rejections.get(999));
        }
    }

    @Test
    void startsInMemoryWhenTheFileCannotBeOpenedAndWritesOnceItCan() throws IOException {
        Files.createDirectories(db()); // a directory where the file should be: fails for root as for anyone
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, NEVER)) {
            assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("cannot open " + db()).contains("SQLITE_CANTOPEN"));
            assertThat(store.store()).isNull();

            appended.add(store.append(sample(EventType.AGENT_STARTED, T0)));
            appended.add(store.append(valveOpened(T0.plusSeconds(1))));
            // The disk's last seq is unknown: continue above anything it can hold.
            assertThat(appended.get(0).seq()).isEqualTo(clock.millis());
            assertThat(appended.get(1).seq()).isEqualTo(clock.millis() + 1);
            assertThat(store.read(0, 10)).containsExactlyElementsOf(appended);
            assertThat(store.latest(EventType.VALVE_OPENED)).contains(appended.get(1));
            assertThat(store.count()).isEqualTo(2);
            assertThat(store.sizeBytes()).isZero();

            Files.delete(db());
            assertThat(store.retry()).isTrue();
            assertThat(store.lastError()).isEmpty();
            appended.add(store.append(humidity(T0.plusSeconds(2), 70)));
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 10)).containsExactlyElementsOf(appended);
            assertThat(disk.lastSeq()).isEqualTo(clock.millis() + 2);
        }
    }

    @Test
    void continuesTheDisksNumberingIfNothingWasAppendedWhileInMemory() throws IOException {
        Path elsewhere = dir.resolve("elsewhere.db");
        try (EventStore disk = EventStore.open(elsewhere, AGENT)) {
            disk.appendAll(List.of(valveOpened(T0), valveOpened(T0), valveOpened(T0)));
        }
        Files.writeString(data(), "a file where the data directory should be");
        try (ResilientEventStore store = open(1_000, NEVER)) {
            assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .isEqualTo("cannot create the directory of " + db() + ": " + data()
                            + " is a file, not a directory; move it away"));
            // The data partition comes back with the old store on it.
            Files.delete(data());
            Files.createDirectories(data());
            Files.move(elsewhere, db());

            assertThat(store.retry()).isTrue();
            assertThat(store.lastSeq()).isEqualTo(3);
            assertThat(store.append(valveOpened(T0)).seq()).isEqualTo(4);
        }
    }

    @Test
    void keepsHistoryReadableWhenTheDataDirectoryIsReadOnly() throws IOException {
        List<Event> appended;
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            appended = new ArrayList<>(disk.appendAll(List.of(sample(EventType.CONFIG_APPLIED, T0),
                    sample(EventType.MODE_CHANGED, T0.plusSeconds(1)), valveOpened(T0.plusSeconds(2)))));
        }
        assertThat(EventStore.walOf(db())).doesNotExist();
        String how = readOnly.makeReadOnly(data(), db());
        assertThat(how).as("neither chmod nor chattr +i can make a directory read-only for this user here")
                .isNotNull();

        try (ResilientEventStore store = open(1_000, NEVER)) {
            assertThat(store.lastError()).as("made read-only by " + how)
                    .hasValueSatisfying(error -> assertThat(error).startsWith("cannot open " + db()));
            // State recovery still finds the past, and seqs continue after it.
            assertThat(store.store().isReadOnly()).isTrue();
            assertThat(store.latest(EventType.CONFIG_APPLIED)).contains(appended.get(0));
            assertThat(store.lastSeq()).isEqualTo(3);

            appended.add(store.append(humidity(T0.plusSeconds(3), 70)));
            appended.add(store.append(valveOpened(T0.plusSeconds(4))));
            appended.add(store.append(sample(EventType.VALVE_CLOSED, T0.plusSeconds(10))));
            assertThat(store.read(0, 10)).containsExactlyElementsOf(appended);
            assertThat(store.latest(EventType.VALVE_OPENED, 5)).containsExactly(appended.get(4), appended.get(2));
            assertThat(store.retry()).isFalse();

            readOnly.close();
            assertThat(store.retry()).isTrue();
            assertThat(store.lastError()).isEmpty();
            assertThat(store.store().isReadOnly()).isFalse();
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 10)).containsExactlyElementsOf(appended);
            assertThat(appended).extracting(Event::seq).containsExactlyElementsOf(seqs(1, 6));
        }
    }

    @Test
    void reopensTheFileWhenItsConnectionDiedAndReadsNeverThrow() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, NEVER)) {
            appended.add(store.append(valveOpened(T0)));

            store.store().connection().close();
            // The disk part of a read fails: the read answers with what it has (nothing in memory) and says why.
            assertThat(store.read(0, 10)).isEmpty();
            assertThat(store.latest(EventType.VALVE_OPENED)).isEmpty();
            assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .startsWith("cannot read " + db()).contains("connection was closed"));
            // The next append opens the file again.
            appended.add(store.append(valveOpened(T0.plusSeconds(1))));
            assertThat(store.lastError()).isEmpty();
            assertThat(store.read(0, 10)).containsExactlyElementsOf(appended);

            store.store().connection().close();
            appended.add(store.append(valveOpened(T0.plusSeconds(2))));
            assertThat(store.backlogSize()).isZero();
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 10)).containsExactlyElementsOf(appended);
        }
    }

    @Test
    void keepsMetaInMemoryUntilTheDiskTakesIt() throws SQLException {
        try (ResilientEventStore store = open(1_000, NEVER)) {
            store.putMetaLong("acked_seq", 1);
            List<Event> appended = new ArrayList<>();
            fillDiskUntilAnAppendFails(store, appended);
            store.putMetaLong("acked_seq", 7);
            assertThat(store.metaLong("acked_seq", -1)).isEqualTo(7);

            TestEvents.freeDisk(store.store());
            assertThat(store.retry()).isTrue();
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.metaLong("acked_seq", -1)).isEqualTo(7);
        }
    }

    @Test
    void closeWritesTheBacklogIfItCanAndReportsWhatIsLostIfNot() throws SQLException {
        List<Event> appended = new ArrayList<>();
        try (ResilientEventStore store = open(1_000, NEVER)) {
            fillDiskUntilAnAppendFails(store, appended);
            TestEvents.freeDisk(store.store());
        }
        try (EventStore disk = EventStore.open(db(), AGENT)) {
            assertThat(disk.read(0, 100_000)).containsExactlyElementsOf(appended);
        }

        try (LogCapture log = new LogCapture(ResilientEventStore.class)) {
            ResilientEventStore store = open(1_000, NEVER);
            List<Event> more = new ArrayList<>();
            fillDiskUntilAnAppendFails(store, more);
            store.close();
            long lost = more.get(more.size() - 1).seq();
            assertThat(log.messages(Level.ERROR)).anySatisfy(m -> assertThat(m)
                    .contains("1 events that never reached the disk (seq " + lost + ".." + lost + ")"));
        }
    }

    @Test
    void compactsThroughToTheDiskAndNotWhileItFails() throws SQLException {
        try (ResilientEventStore store = open(1_000, NEVER)) {
            store.append(humidity(T0, 60));
            store.append(valveOpened(T0));
            assertThat(store.compactReadings(T0.plusSeconds(1))).isEqualTo(1);
            store.store().connection().close();
            assertThat(store.compactReadings(T0.plusSeconds(1))).isZero();
            assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error)
                    .isEqualTo("cannot compact " + db() + ": its database connection was closed; open the store"
                            + " again"));
        }
    }

    /** Appends readings until the disk is full: the last one in {@code appended} is the first in the backlog. */
    private static void fillDiskUntilAnAppendFails(ResilientEventStore store, List<Event> appended)
            throws SQLException {
        TestEvents.fillDisk(store.store());
        for (int i = 0; store.backlogSize() == 0; i++) {
            assertThat(i).as("appends before the disk is full").isLessThan(10_000);
            appended.add(store.append(humidity(T0.plusSeconds(i), 70)));
        }
    }

    private static List<Long> seqs(long from, int n) {
        return LongStream.range(from, from + n).boxed().collect(Collectors.toList());
    }

    /** A clock the test moves by hand; every zone view of it moves with it. */
    static final class MutableClock extends Clock {

        private final Instant[] now;
        private final ZoneId zone;

        MutableClock(Instant now) {
            this(new Instant[] {now}, ZoneOffset.UTC);
        }

        private MutableClock(Instant[] now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void advance(Duration duration) {
            now[0] = now[0].plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new MutableClock(now, other);
        }

        @Override
        public Instant instant() {
            return now[0];
        }
    }
}
