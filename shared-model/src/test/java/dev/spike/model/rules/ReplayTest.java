package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.ValveOpened;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The replay with proposed rules, and the sums the preview shows. The faithful replay is in pi-agent's tests. */
class ReplayTest {

    static final Rules RULES = Rules.defaults(ZoneOffset.UTC);
    static final Instant START = Instant.parse("2026-06-01T06:00:00Z");

    /** An agent that started at 06:00 and read {@code humidityPct} every 10 s for {@code minutes}. */
    private static List<Event> steadyRecord(double humidityPct, int minutes) {
        List<Event> record = new ArrayList<>();
        record.add(new ConfigApplied("t1", 1, START, RULES));
        record.add(new AgentStarted("t1", 2, START, "test"));
        for (int i = 1; i <= minutes * 6; i++) {
            record.add(new HumidityChanged("t1", record.size() + 1, START.plusSeconds(i * 10L), humidityPct));
        }
        return record;
    }

    private static List<Instant> sprayTimes(Replay.Result result) {
        return result.events().stream().filter(ValveOpened.class::isInstance).map(Event::at)
                .collect(Collectors.toList());
    }

    @Test
    void aHigherThresholdSpraysOverTheSameReadingsOncePerCooldown() {
        List<Event> record = steadyRecord(77, 60);

        Replay.Result asRecorded = Replay.run("t1", null, record, null, null);
        Replay.Result proposed = Replay.run("t1", null, record, RULES.withLowHumidityPct(80), null);

        assertThat(sprayTimes(asRecorded)).isEmpty();
        assertThat(sprayTimes(proposed)).containsExactly(START.plusSeconds(10), START.plusSeconds(610),
                START.plusSeconds(1210), START.plusSeconds(1810), START.plusSeconds(2410), START.plusSeconds(3010));
        assertThat(proposed.rules().lowHumidityPct()).isEqualTo(80);
    }

    @Test
    void recordedRulesChangesCountOnlyWhenReplayingAsRecorded() {
        List<Event> record = steadyRecord(77, 30);
        record.add(new ConfigApplied("t1", record.size() + 1, START.plus(Duration.ofMinutes(30)).plusMillis(500),
                RULES.withLowHumidityPct(78)));
        for (int i = 1; i <= 6; i++) {
            record.add(new HumidityChanged("t1", record.size() + 1,
                    START.plus(Duration.ofMinutes(30)).plusSeconds(i * 10L), 77));
        }

        assertThat(sprayTimes(Replay.run("t1", null, record, null, null)))
                .containsExactly(START.plus(Duration.ofMinutes(30)).plusSeconds(10));
        assertThat(sprayTimes(Replay.run("t1", null, record, RULES.withLowHumidityPct(76), null))).isEmpty();
    }

    @Test
    void aRecordWithoutReadingsGoesSensorDownAndSpraysOnTheFallback() {
        List<Event> record = steadyRecord(90, 1);
        Instant end = START.plus(Duration.ofHours(7));

        Replay.Result result = Replay.run("t1", null, record, null, end);

        // no reading after 06:01 for 3 intervals: sensor down at 06:01:30, a spray at once, the next 6 h later
        assertThat(result.events()).filteredOn(ModeChanged.class::isInstance).extracting(Event::at)
                .containsExactly(START.plusSeconds(90));
        assertThat(sprayTimes(result)).containsExactly(START.plusSeconds(90),
                START.plusSeconds(90).plus(Duration.ofHours(6)));
    }

    @Test
    void theSummaryAddsSpraysSkipsSensorDownTimeOpenTimeAndTimeBelowTheAlarm() {
        Instant down = START.plus(Duration.ofMinutes(10));
        List<Event> decisions = List.of(
                new ValveOpened("t1", 1, START, 6, SprayReason.LOW_HUMIDITY, null),
                new ValveOpened("t1", 1, START.plusSeconds(60), 12, SprayReason.MANUAL, "m1"),
                new ModeChanged("t1", 1, down, Mode.SENSOR_DOWN),
                new ValveOpened("t1", 1, down, 6, SprayReason.SENSOR_DOWN, null),
                new ModeChanged("t1", 1, down.plus(Duration.ofMinutes(20)), Mode.NORMAL));
        List<HumidityChanged> readings = List.of(
                new HumidityChanged("t1", 1, START, 55),
                new HumidityChanged("t1", 1, START.plusSeconds(10), 58),
                new HumidityChanged("t1", 1, START.plusSeconds(20), 61),
                // the sensor is gone after this one: it stands for one minute only
                new HumidityChanged("t1", 1, START.plusSeconds(30), 50),
                new HumidityChanged("t1", 1, START.plus(Duration.ofMinutes(40)), 70));

        ReplaySummary summary = ReplaySummary.of(decisions, readings, Mode.NORMAL, 60, START,
                START.plus(Duration.ofHours(1)));

        assertThat(summary.sprays(SprayReason.LOW_HUMIDITY)).isEqualTo(1);
        assertThat(summary.sprays(SprayReason.MANUAL)).isEqualTo(1);
        assertThat(summary.sprays(SprayReason.SENSOR_DOWN)).isEqualTo(1);
        assertThat(summary.totalSprays()).isEqualTo(3);
        assertThat(summary.skips()).isZero();
        assertThat(summary.valveOpenS()).isEqualTo(24);
        assertThat(summary.sensorDown()).isEqualTo(Duration.ofMinutes(20));
        assertThat(summary.belowAlarmLow()).isEqualTo(Duration.ofSeconds(10 + 10 + 60));
    }
}
