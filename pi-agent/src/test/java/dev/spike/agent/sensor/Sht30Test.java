package dev.spike.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spike.agent.sensor.SensorResult.Failure;
import dev.spike.agent.sensor.SensorResult.Reading;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.SensorFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Sht30Test {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private final VirtualScheduler scheduler = new VirtualScheduler(T0);
    private final MutableEnvironment air = new MutableEnvironment(55, 24);
    private final FakeSht30 fake = new FakeSht30(scheduler, air);
    private final List<SensorResult> results = new ArrayList<>();
    private final List<Instant> resultTimes = new ArrayList<>();
    private Sht30 sht30 = new Sht30(fake, scheduler);

    @Test
    void goodReadConvertsTheRawWordsWithTheDatasheetFormulas() {
        Reading reading = (Reading) measureOnce();

        assertThat(reading.humidityPct()).isEqualTo(100.0 * reading.rawHumidity() / 65535);
        assertThat(reading.temperatureC()).isEqualTo(-45 + 175.0 * reading.rawTemperature() / 65535);
        assertThat(reading.humidityPct()).isCloseTo(55, within(0.01));
        assertThat(reading.temperatureC()).isCloseTo(24, within(0.01));
    }

    @Test
    void measurementCompletesOnlyAfterFifteenMillisecondsOfVirtualTime() {
        sht30.measure(this::record);

        scheduler.advance(Duration.ofMillis(15));
        assertThat(results).isEmpty();

        scheduler.advance(Duration.ofMillis(1));
        assertThat(results).singleElement().isInstanceOf(Reading.class);
        assertThat(resultTimes.get(0)).isAfterOrEqualTo(T0.plusMillis(15));
    }

    @Test
    void doneIsNeverCalledFromInsideMeasure() {
        fake.setFault(SensorFault.ABSENT);

        sht30.measure(this::record);

        assertThat(results).isEmpty();
        scheduler.runDue();
        assertThat(results).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(SensorFault.class)
    void measureCallsDoneExactlyOnceWhateverTheFault(SensorFault fault) {
        fake.setFault(fault);
        AtomicInteger calls = new AtomicInteger();

        sht30.measure(result -> calls.incrementAndGet());
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(calls).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(SensorFault.class)
    void startCallsDoneExactlyOnceWhateverTheFault(SensorFault fault) {
        fake.setFault(fault);
        AtomicInteger calls = new AtomicInteger();

        sht30.start(result -> calls.incrementAndGet());
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(calls).hasValue(1);
    }

    @Test
    void crcFaultFailsWithTheCrcReasonAfterThreeAttempts() {
        fake.setFault(SensorFault.CRC);

        Failure failure = (Failure) measureOnce();

        Matcher matcher = Pattern.compile(
                "CRC mismatch on temperature word: got 0x(\\p{XDigit}{2}), expected 0x(\\p{XDigit}{2}) \\(3 attempts\\)")
                .matcher(failure.reason());
        assertThat(matcher.matches()).as(failure.reason()).isTrue();
        // The fake inverts the right CRC; the driver must report both bytes, not just "bad CRC".
        assertThat(Integer.parseInt(matcher.group(1), 16) ^ 0xFF).isEqualTo(Integer.parseInt(matcher.group(2), 16));
        assertThat(fake.commandsReceived()).containsExactly(
                Sht30Protocol.MEASURE_HIGH, Sht30Protocol.MEASURE_HIGH, Sht30Protocol.MEASURE_HIGH);
    }

    @Test
    void persistentNackRetriesSoftResetsAndFails() {
        fake.setFault(SensorFault.NACK);

        Failure failure = (Failure) measureOnce();

        assertThat(failure.reason()).isEqualTo("no acknowledge from SHT30 at 0x44 (3 attempts)");
        // Three measurement commands and the soft reset between the second and the third, all NACKed.
        assertThat(fake.nacks()).isEqualTo(4);
        assertThat(resultTimes.get(0)).isAfterOrEqualTo(T0.plus(Sht30.RETRY_BACKOFF).plus(Sht30.SOFT_RESET_WAIT));
    }

    @Test
    void repeatedNacksAreCuredByASoftReset() {
        fake.nackNext(2);

        SensorResult result = measureOnce();

        assertThat(result).isInstanceOf(Reading.class);
        assertThat(fake.commandsReceived()).containsExactly(Sht30Protocol.SOFT_RESET, Sht30Protocol.MEASURE_HIGH);
        assertThat(fake.status() & Sht30Protocol.STATUS_RESET_DETECTED).isNotZero();
    }

    @Test
    void aSingleNackIsRetriedWithoutReset() {
        fake.nackNext(1);

        SensorResult result = measureOnce();

        assertThat(result).isInstanceOf(Reading.class);
        assertThat(fake.commandsReceived()).containsExactly(Sht30Protocol.MEASURE_HIGH);
    }

    @Test
    void absentSensorFailsAtOnceWithTheTransportsAdvice() {
        fake.setFault(SensorFault.ABSENT);

        Failure failure = (Failure) measureOnce();

        assertThat(failure.reason()).startsWith("SHT30 absent").contains("check the sensor cable");
        assertThat(resultTimes.get(0)).isEqualTo(T0);
    }

    @Test
    void stuckWordsAreRejectedOnTheThirtiethIdenticalRead() {
        fake.setFault(SensorFault.STUCK);

        for (int i = 1; i < 30; i++) {
            assertThat(measureOnce()).as("read %d", i).isInstanceOf(Reading.class);
        }
        Failure failure = (Failure) measureOnce();

        assertThat(failure.reason()).startsWith("stuck: raw words unchanged for 30 reads");
        assertThat(((Failure) measureOnce()).reason()).startsWith("stuck: raw words unchanged for 31 reads");
    }

    @Test
    void stuckReadCountIsConfigurable() {
        sht30 = new Sht30(fake, scheduler, 0x44, Sht30.Plausibility.DEFAULTS.withStuckReads(5));
        fake.setFault(SensorFault.STUCK);

        for (int i = 1; i < 5; i++) {
            assertThat(measureOnce()).isInstanceOf(Reading.class);
        }

        assertThat(((Failure) measureOnce()).reason()).startsWith("stuck: raw words unchanged for 5 reads");
    }

    @Test
    void stuckSensorIsAcceptedAgainOnceItsWordsChange() {
        sht30 = new Sht30(fake, scheduler, 0x44, Sht30.Plausibility.DEFAULTS.withStuckReads(3));
        fake.setFault(SensorFault.STUCK);
        for (int i = 0; i < 3; i++) {
            measureOnce();
        }
        assertThat(results.get(2)).isInstanceOf(Failure.class);

        fake.setFault(SensorFault.OK);

        assertThat(measureOnce()).isInstanceOf(Reading.class);
    }

    @Test
    void aLiveSensorsNoiseIsNeverTakenForStuck() {
        for (int i = 0; i < 200; i++) {
            assertThat(measureOnce()).as("read %d", i).isInstanceOf(Reading.class);
        }
    }

    @Test
    void humidityJumpIsRejectedWithinTheWindowAndAcceptedAfterIt() {
        assertThat(measureOnce()).isInstanceOf(Reading.class);
        scheduler.runUntil(T0.plusSeconds(10));
        air.set(95, 24);

        assertThat(((Failure) measureOnce()).reason()).isEqualTo("implausible jump: humidity 55.0 -> 95.0 %RH in 10 s");

        scheduler.advance(Duration.ofSeconds(60));
        Reading reading = (Reading) measureOnce();
        assertThat(reading.humidityPct()).isCloseTo(95, within(0.01));
    }

    @Test
    void temperatureJumpIsRejected() {
        measureOnce();
        scheduler.runUntil(T0.plusSeconds(10));
        air.set(55, 33);

        assertThat(((Failure) measureOnce()).reason())
                .isEqualTo("implausible jump: temperature 24.0 -> 33.0 \u00b0C in 10 s");
    }

    @Test
    void jumpThresholdsAreConfigurable() {
        sht30 = new Sht30(fake, scheduler, 0x44,
                Sht30.Plausibility.DEFAULTS.withJumps(50, 8, Duration.ofSeconds(60)));
        measureOnce();
        scheduler.runUntil(T0.plusSeconds(10));
        air.set(95, 24);

        assertThat(measureOnce()).isInstanceOf(Reading.class);
    }

    @Test
    void smallChangesAreAccepted() {
        measureOnce();
        air.set(70, 28);

        assertThat(measureOnce()).isInstanceOf(Reading.class);
    }

    @Test
    void temperatureOutsideTheSensorsRangeIsRejected() {
        air.set(55, -44);

        assertThat(((Failure) measureOnce()).reason())
                .startsWith("out of range: temperature -44.0 \u00b0C is outside the SHT30's -40..125 \u00b0C");
    }

    @Test
    void startTurnsTheHeaterOffAndClearsTheStatusOnABoardThatPowersUpWithItOn() {
        FakeSht30 board = FakeSht30.withHeaterOnAtPowerUp(scheduler, air);
        Sht30 driver = new Sht30(board, scheduler);
        assertThat(board.heaterOn()).isTrue();

        driver.start(this::record);
        scheduler.advance(Duration.ofMillis(200));

        assertThat(results).singleElement().isInstanceOf(Reading.class);
        assertThat(board.status() & (Sht30Protocol.STATUS_HEATER_ON | Sht30Protocol.STATUS_RESET_DETECTED
                | Sht30Protocol.STATUS_ALERT_PENDING)).isZero();
        assertThat(board.heaterOn()).isFalse();
        assertThat(board.commandsReceived()).containsExactly(Sht30Protocol.SOFT_RESET, Sht30Protocol.HEATER_OFF,
                Sht30Protocol.CLEAR_STATUS, Sht30Protocol.READ_STATUS, Sht30Protocol.MEASURE_HIGH);
    }

    @Test
    void startRetriesAfterBusNoise() {
        fake.nackNext(1);

        sht30.start(this::record);
        scheduler.advance(Duration.ofMillis(200));

        assertThat(results).singleElement().isInstanceOf(Reading.class);
        assertThat(fake.heaterOn()).isFalse();
    }

    @Test
    void startOnAnAbsentSensorSaysSo() {
        fake.setFault(SensorFault.ABSENT);

        sht30.start(this::record);
        scheduler.advance(Duration.ofMillis(200));

        assertThat(((Failure) results.get(0)).reason()).startsWith("start: SHT30 absent");
    }

    @Test
    void startOnANackingSensorFailsAfterThreeAttempts() {
        fake.setFault(SensorFault.NACK);

        sht30.start(this::record);
        scheduler.advance(Duration.ofMillis(200));

        assertThat(((Failure) results.get(0)).reason())
                .isEqualTo("start: soft reset (0x30A2): no acknowledge from SHT30 at 0x44 (3 attempts)");
    }

    @Test
    void aSecondMeasureWhileBusyIsAnsweredWithAFailure() {
        sht30.measure(this::record);
        sht30.measure(this::record);
        scheduler.advance(Duration.ofMillis(200));

        assertThat(results).hasSize(2);
        assertThat(((Failure) results.get(0)).reason()).contains("busy");
        assertThat(results.get(1)).isInstanceOf(Reading.class);
    }

    @Test
    void measurementsRightAfterEachOtherKeepTheCommandGap() {
        for (int i = 0; i < 5; i++) {
            sht30.measure(this::record);
            scheduler.advance(Sht30.MEASUREMENT_WAIT);
        }
        scheduler.advance(Duration.ofMillis(100));

        assertThat(results).hasSize(5).allMatch(Reading.class::isInstance);
    }

    @Test
    void keepsTheCommandGapFromTheEndOfEachWriteWhenTheBusTakesTime() {
        // start at an odd fraction of a millisecond, as a real agent thread does
        scheduler.advance(Duration.ofNanos(900_000));
        fake.takeBusTime(scheduler::spend);

        sht30.start(this::record);
        scheduler.advance(Duration.ofMillis(300));
        for (int i = 0; i < 3; i++) {
            sht30.measure(this::record);
            scheduler.advance(Duration.ofMillis(100));
        }

        assertThat(fake.nacks()).isZero();
        assertThat(results).hasSize(4).allMatch(Reading.class::isInstance);
    }

    @Test
    void aTransportThatThrowsAtRuntimeStillEndsInOneFailure() {
        I2cTransport broken = new I2cTransport() {
            @Override
            public void write(byte[] data) {
                throw new IllegalStateException("driver bug");
            }

            @Override
            public void read(byte[] buffer) {
                throw new IllegalStateException("driver bug");
            }

            @Override
            public void close() {
            }
        };
        sht30 = new Sht30(broken, scheduler);

        Failure failure = (Failure) measureOnce();

        assertThat(failure.reason()).startsWith("driver error on SHT30 at 0x44").contains("driver bug");
        assertThat(results).hasSize(1);
    }

    @Test
    void aDoneThatThrowsIsNotCalledAgainAndTheDriverStaysUsable() {
        AtomicInteger calls = new AtomicInteger();
        sht30.measure(result -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug in the caller");
        });

        assertThatThrownBy(() -> scheduler.advance(Duration.ofMillis(100))).hasMessage("bug in the caller");
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(calls).hasValue(1);

        assertThat(measureOnce()).isInstanceOf(Reading.class);
    }

    @Test
    void plausibilityRejectsNonsense() {
        assertThatThrownBy(() -> Sht30.Plausibility.DEFAULTS.withStuckReads(1))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("stuckReads must be 2..100000, was 1");
    }

    private SensorResult measureOnce() {
        int before = results.size();
        sht30.measure(this::record);
        scheduler.advance(Duration.ofMillis(200));
        assertThat(results).hasSize(before + 1);
        return results.get(results.size() - 1);
    }

    private void record(SensorResult result) {
        results.add(result);
        resultTimes.add(scheduler.now());
    }
}
