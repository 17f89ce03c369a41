package dev.spike.station.store;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static dev.spike.station.store.TestEvents.closed;
import static dev.spike.station.store.TestEvents.humidity;
import static dev.spike.station.store.TestEvents.low;
import static dev.spike.station.store.TestEvents.opened;
import static dev.spike.station.store.TestEvents.temperature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.store.AlarmRecord.Severity;
import dev.spike.station.store.AlarmRecord.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationStoreTest {

    @TempDir
    Path dir;

    private StationStore store;

    @BeforeEach
    void open() {
        store = StationStore.open(dir.resolve("station.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private StationStore reopen() {
        store.close();
        store = StationStore.open(dir.resolve("station.db"));
        return store;
    }

    @Test
    void storesEachAgentSeqOnceAndReportsOnlyNewEvents() {
        List<Event> first = store.append(List.of(humidity(1, T0, 74.2), humidity(2, T0.plusSeconds(10), 74.0)));
        List<Event> again = store.append(List.of(humidity(2, T0.plusSeconds(10), 74.0),
                humidity(3, T0.plusSeconds(20), 73.9), humidity(3, T0.plusSeconds(20), 73.9)));

        assertThat(first).extracting(Event::seq).containsExactly(1L, 2L);
        assertThat(again).extracting(Event::seq).containsExactly(3L);
        assertThat(store.count(AGENT)).isEqualTo(3);
        // the same seq of another agent is another event
        assertThat(store.append(List.of(new HumidityChanged("terrarium-2", 1, T0, 60)))).hasSize(1);
    }

    @Test
    void keepsEventsSnapshotsAndWatermarksAcrossReopening() {
        ValveOpened manual = opened(4, T0.plusMillis(10_250), 10, SprayReason.MANUAL, "spray-8b1c");
        store.append(List.of(humidity(1, T0, 74.2), low(3, T0.plusSeconds(10), 74.2, 75), manual));
        store.putStatus(AGENT, TestEvents.online(T0));
        store.putState(AGENT, TestEvents.state(T0.plusSeconds(11), 9).reading(74.2, 27.3, T0).build());
        store.putHealth(AGENT, TestEvents.health(T0));
        store.putConfig(AGENT, TestEvents.config(T0, RULES));
        store.settle(AGENT, 2);

        reopen();

        AgentSnapshot agent = store.agent(AGENT).orElseThrow();
        assertThat(agent.status()).isEqualTo(TestEvents.online(T0));
        assertThat(agent.state().humidityPct()).isEqualTo(74.2);
        assertThat(agent.health().cpuTemperatureC()).isEqualTo(48.3);
        assertThat(agent.config().rules()).isEqualTo(RULES);
        assertThat(agent.highestSeq()).isEqualTo(9);
        assertThat(agent.settledSeq()).isEqualTo(4);
        assertThat(agent.lastEventAt()).isEqualTo(manual.at());
        // non-readings come back exactly, sub-second time included
        assertThat(store.latestEvent(AGENT, EventType.VALVE_OPENED)).contains(manual);
        assertThat(store.append(List.of(humidity(1, T0, 74.2)))).isEmpty();
    }

    @Test
    void readsOneSeriesInATimeRangeInOrder() {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(humidity(2L * i + 1, T0.plusSeconds(10L * i), 70 + i / 10.0));
            events.add(temperature(2L * i + 2, T0.plusSeconds(10L * i), 25 + i / 100.0));
        }
        store.append(events);

        ReadingPoints points = store.readings(AGENT, EventType.HUMIDITY_CHANGED, T0.plusSeconds(100),
                T0.plusSeconds(200));

        assertThat(points.size()).isEqualTo(10);
        assertThat(points.timesMs()[0]).isEqualTo(T0.plusSeconds(100).toEpochMilli());
        assertThat(points.values()[0]).isEqualTo(71.0);
        assertThat(points.timesMs()).isSorted();
        assertThat(store.readings(AGENT, EventType.TEMPERATURE_CHANGED, T0, T0.plusSeconds(1000)).size())
                .isEqualTo(100);
        assertThatThrownBy(() -> store.readings(AGENT, EventType.VALVE_OPENED, T0, T0))
                .hasMessageContaining("reading type");
    }

    @Test
    void answersTheChartQueryFromTheSeriesIndexAlone() {
        assertThat(store.queryPlan(StationStore.SERIES, AGENT, "humidity_changed", 0L, 1L))
                .contains("USING COVERING INDEX events_series");
    }

    @Test
    void loadsThirtyDaysOfTenSecondReadingsPerSeries() {
        List<Event> events = new ArrayList<>();
        int points = 30 * 24 * 360;
        for (int i = 0; i < points; i++) {
            events.add(humidity(i + 1L, T0.plusSeconds(10L * i), 60 + (i % 300) / 10.0));
        }
        store.append(events);

        long start = System.nanoTime();
        ReadingPoints loaded = store.readings(AGENT, EventType.HUMIDITY_CHANGED, T0, T0.plus(Duration.ofDays(30)));
        long ms = (System.nanoTime() - start) / 1_000_000;

        assertThat(loaded.size()).isEqualTo(259_200);
        // Generous: it takes about a tenth of that; a full table scan with JSON decoding would not make it.
        assertThat(ms).isLessThan(2_000);
    }

    @Test
    void listsAnEventWithTheHighestSeqTheProtocolAllows() {
        store.append(List.of(humidity(1, T0, 74.2), humidity(Long.MAX_VALUE, T0.plusSeconds(10), 74.1)));

        assertThat(store.events(AGENT, EventQuery.newest(10))).extracting(Event::seq)
                .containsExactly(Long.MAX_VALUE, 1L);
        assertThat(store.events(AGENT, EventQuery.newest(10).before(Long.MAX_VALUE - 1))).extracting(Event::seq)
                .containsExactly(1L);
    }

    @Test
    void listsEventsNewestFirstByTypeTimeAndPage() {
        store.append(List.of(humidity(1, T0, 74.2), low(2, T0.plusSeconds(10), 74.2, 75),
                opened(3, T0.plusSeconds(10), 6, SprayReason.LOW_HUMIDITY, null), closed(4, T0.plusSeconds(16), 6003),
                humidity(5, T0.plusSeconds(20), 80)));

        assertThat(store.events(AGENT, EventQuery.newest(10))).extracting(Event::seq)
                .containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(store.events(AGENT, EventQuery.newest(10).withTypes(Set.of(EventType.VALVE_OPENED,
                EventType.VALVE_CLOSED)))).extracting(Event::seq).containsExactly(4L, 3L);
        assertThat(store.events(AGENT, EventQuery.newest(2).before(4))).extracting(Event::seq)
                .containsExactly(3L, 2L);
        assertThat(store.events(AGENT, EventQuery.newest(10).between(T0.plusSeconds(10), T0.plusSeconds(20))))
                .extracting(Event::seq).containsExactly(4L, 3L, 2L);
        assertThat(store.eventsAfter(AGENT, EventType.HUMIDITY_CHANGED, 1, 10)).extracting(Event::seq)
                .containsExactly(5L);
    }

    @Test
    void findsTheGapsBelowTheStatesLastSeq() {
        store.append(List.of(humidity(1, T0, 70), humidity(2, T0, 70), humidity(5, T0, 70), humidity(9, T0, 70)));
        store.putState(AGENT, TestEvents.state(T0, 12).build());

        assertThat(store.gaps(AGENT)).containsExactly(new SeqRange(3, 4), new SeqRange(6, 8),
                new SeqRange(10, 12));
        assertThat(store.firstGap(AGENT)).contains(new SeqRange(3, 4));
        assertThat(store.settledSeq(AGENT)).isEqualTo(2);
    }

    @Test
    void aGapFromTheLatestEventWhenNoStateArrived() {
        store.append(List.of(humidity(7, T0, 70)));

        assertThat(store.gaps(AGENT)).containsExactly(new SeqRange(1, 6));
    }

    @Test
    void settledSeqsAreNeverAGapAgainAndTheWatermarkSurvivesReopening() {
        store.append(List.of(humidity(1, T0, 70), humidity(10, T0, 70)));
        store.putState(AGENT, TestEvents.state(T0, 10).build());

        // a history reply for 2..9 held only 8 and 9: 2..7 were compacted on the agent
        store.append(List.of(humidity(8, T0, 70), humidity(9, T0, 70)));
        store.settle(AGENT, 9);

        assertThat(store.gaps(AGENT)).isEmpty();
        assertThat(reopen().settledSeq(AGENT)).isEqualTo(10);
        assertThat(store.firstGap(AGENT)).isEmpty();
    }

    @Test
    void settlingNeverMovesTheWatermarkBack() {
        store.append(List.of(humidity(1, T0, 70), humidity(2, T0, 70)));
        store.settle(AGENT, 1);

        assertThat(store.settledSeq(AGENT)).isEqualTo(2);
    }

    @Test
    void thinsReadingsOlderThanThirtyDaysAndDropsThemAfterAYear() {
        Instant now = T0.plus(Duration.ofDays(400));
        List<Event> events = new ArrayList<>();
        long seq = 0;
        // two hours of 10 s readings 40 days ago, one hour 380 days ago, one hour yesterday
        for (Instant start : List.of(now.minus(Duration.ofDays(380)), now.minus(Duration.ofDays(40)),
                now.minus(Duration.ofDays(1)))) {
            int count = start.isBefore(now.minus(Duration.ofDays(39))) && start.isAfter(now.minus(Duration.ofDays(41)))
                    ? 720 : 360;
            Instant aligned = Instant.ofEpochMilli(start.toEpochMilli() / 900_000 * 900_000);
            for (int i = 0; i < count; i++) {
                events.add(humidity(++seq, aligned.plusSeconds(10L * i), 70));
            }
        }
        ValveOpened oldSpray = opened(++seq, now.minus(Duration.ofDays(380)), 6, SprayReason.EVENING, null);
        events.add(oldSpray);
        store.append(events);
        long total = seq;

        int removed = store.compact(now);

        assertThat(store.readings(AGENT, EventType.HUMIDITY_CHANGED, now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(365))).size()).isZero();
        // 2 h at full resolution became one reading per 15 minutes
        assertThat(store.readings(AGENT, EventType.HUMIDITY_CHANGED, now.minus(Duration.ofDays(41)),
                now.minus(Duration.ofDays(39))).size()).isEqualTo(8);
        assertThat(store.readings(AGENT, EventType.HUMIDITY_CHANGED, now.minus(Duration.ofDays(2)), now).size())
                .isEqualTo(360);
        assertThat(removed).isEqualTo(360 + 712);
        assertThat(store.latestEvent(AGENT, EventType.VALVE_OPENED)).contains(oldSpray);
        // compaction below the watermark leaves no gap behind
        assertThat(store.settledSeq(AGENT)).isEqualTo(total);
        assertThat(store.gaps(AGENT)).isEmpty();
    }

    @Test
    void compactsNothingAboveTheWatermark() {
        Instant now = T0.plus(Duration.ofDays(400));
        // seq 1 is missing: nothing above the watermark (0) may go, or backfill would fetch it again
        List<Event> events = new ArrayList<>();
        for (int i = 2; i < 100; i++) {
            events.add(humidity(i, T0.plusSeconds(10L * i), 70));
        }
        store.append(events);

        assertThat(store.compact(now)).isZero();
        assertThat(store.count(AGENT)).isEqualTo(98);
    }

    @Test
    void compactsAtMostOnceADay() {
        assertThat(store.compactIfDue(T0)).isTrue();
        assertThat(store.compactIfDue(T0.plus(Duration.ofHours(23)))).isFalse();
        assertThat(reopen().compactIfDue(T0.plus(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void keepsAlarmsWithTheirAcknowledgementAcrossReopening() {
        AlarmRecord raised = store.saveAlarm(AlarmRecord.raise(AGENT, "humidity:low", Source.AGENT,
                Severity.CRITICAL, "humidity below 60 % for 15 min", T0, 11L));
        store.saveAlarm(raised.acknowledged(T0.plusSeconds(60), "alice").cleared(T0.plusSeconds(300)));
        AlarmRecord open = store.saveAlarm(AlarmRecord.raise(AGENT, "offline", Source.STATION, Severity.CRITICAL,
                "terrarium-1 is offline", T0.minus(Duration.ofDays(90)), null));

        List<AlarmRecord> alarms = reopen().alarms(T0.minus(Duration.ofDays(30)), 100);

        assertThat(alarms).extracting(AlarmRecord::id).containsExactly(raised.id(), open.id());
        assertThat(alarms.get(0).acknowledgedBy()).isEqualTo("alice");
        assertThat(alarms.get(0).clearedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(alarms.get(0).raisedSeq()).isEqualTo(11L);
        // an old alarm that is done is no longer listed
        store.saveAlarm(open.acknowledged(T0, "bob").cleared(T0));
        assertThat(store.alarms(T0.minus(Duration.ofDays(30)), 100)).extracting(AlarmRecord::id)
                .containsExactly(raised.id());
    }

    @Test
    void createsItsDirectoryAndNamesTheFileWhenItCannotOpen() throws Exception {
        Path nested = dir.resolve("a").resolve("b").resolve("station.db");
        StationStore.open(nested).close();
        assertThat(nested).exists();

        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        assertThatThrownBy(() -> StationStore.open(notADirectory.resolve("station.db")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(notADirectory.toString());
    }
}
