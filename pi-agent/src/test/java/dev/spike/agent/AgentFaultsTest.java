package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.MutableEnvironment;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.testing.Soak;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.Event;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault injection on the whole agent (driver, fake SHT30, fake relay, policy, valve, a real SQLite store) on a
 * virtual clock: clock steps as NTP makes them, and every fault the SHT30 has, steady and flapping.
 *
 * <p>The air is a {@link MutableEnvironment} rather than the simulated terrarium: the terrarium would live on the
 * stepped clock too, while real air does not care what the Pi's clock says.
 */
class AgentFaultsTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);
    /** 10:00 local time. */
    static final Instant MORNING = Instant.parse("2026-06-01T08:00:00Z");
    static final Duration COOLDOWN = Duration.ofMinutes(RULES.minIntervalMin());
    static final Duration READ = Duration.ofSeconds(RULES.readIntervalS());

    @TempDir
    Path dir;

    VirtualScheduler scheduler;
    MutableEnvironment air;
    FakeSht30 sensor;
    FakeValve relay;
    ResilientEventStore store;
    Agent agent;
    /** The clock steps so far, to turn the relay's stepped timestamps back into true elapsed time. */
    final List<Step> steps = new ArrayList<>();

    /**
     * A clock step, and how much had happened before it. NTP steps a clock that was wrong: the true time of what
     * happened before a step is its timestamp corrected by the step. Before or after is told by position, which a
     * step back makes ambiguous by time alone.
     */
    record Step(int transitionsBefore, long seqBefore, Duration by) {
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private void startAgent(Instant at, double humidityPct) {
        scheduler = new VirtualScheduler(at);
        air = new MutableEnvironment(humidityPct, 25);
        sensor = new FakeSht30(scheduler, air, 3);
        relay = new FakeValve(scheduler);
        store = ResilientEventStore.open(dir.resolve("faults.db"), "faults");
        AgentConfig config = AgentConfig.defaults().withAgentId("faults").withDataDir(dir).withRules(RULES);
        agent = new Agent(config, scheduler, new Sht30(sensor, scheduler), relay, store, "test");
        agent.start();
        scheduler.runDue();
    }

    private void step(Duration by) {
        steps.add(new Step(relay.transitions().size(), store.lastSeq(), by));
        scheduler.jump(by);
    }

    /** When the relay opened, on the true clock, in order. */
    private List<Instant> trueOpenings() {
        List<FakeValve.Transition> transitions = relay.transitions();
        List<Instant> openings = new ArrayList<>();
        for (int i = 0; i < transitions.size(); i++) {
            if (transitions.get(i).open()) {
                Instant at = transitions.get(i).at();
                for (Step s : steps) {
                    at = i < s.transitionsBefore() ? at.plus(s.by()) : at;
                }
                openings.add(at);
            }
        }
        return openings;
    }

    /** When an event happened, on the true clock. */
    private Instant trueTime(Event event) {
        Instant at = event.at();
        for (Step s : steps) {
            at = event.seq() <= s.seqBefore() ? at.plus(s.by()) : at;
        }
        return at;
    }

    private List<Event> events() {
        return store.read(1, 1_000_000);
    }

    private List<ValveOpened> sprays(SprayReason reason) {
        return events().stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .filter(v -> v.reason() == reason).collect(Collectors.toList());
    }

    @Nested
    class ClockSteps {

        /**
         * Dry air: the agent sprays every cooldown. A step of the clock in either direction keeps that cadence on the
         * true clock: no storm after a step forward (at most the one spray that came due), no drought after a step
         * back.
         */
        @ParameterizedTest(name = "step {0} s")
        @ValueSource(longs = {-30, -3_600, -86_400, 30, 3_600, 86_400})
        void keepTheSprayCadenceOfDryAir(long stepSeconds) {
            startAgent(MORNING, 60);
            scheduler.advance(Duration.ofMinutes(25)); // sprays at 0, 10 and 20 min; 5 min into the third cooldown

            step(Duration.ofSeconds(stepSeconds));
            scheduler.advance(Duration.ofMinutes(65));

            List<Instant> openings = trueOpenings();
            assertThat(openings).hasSizeBetween(9, 10);
            for (int i = 1; i < openings.size(); i++) {
                Duration gap = Duration.between(openings.get(i - 1), openings.get(i));
                if (stepSeconds > 0 && i == 3) {
                    // the spray that was 5 min away comes at the first reading after the step, once
                    assertThat(gap).as("gap %d", i).isBetween(Duration.ofMinutes(4), COOLDOWN.plus(READ));
                } else {
                    assertThat(gap).as("gap %d", i).isBetween(COOLDOWN, COOLDOWN.plus(READ));
                }
            }
            assertThat(relay.isOpen()).isFalse();
        }

        @Test
        void aStepForwardOverTheEveningSpraysItOnce() {
            Instant justBefore = Instant.parse("2026-06-01T17:58:00Z"); // 19:58 in Berlin
            startAgent(justBefore, 85);

            step(Duration.ofMinutes(10));
            scheduler.advance(Duration.ofHours(3));

            assertThat(sprays(SprayReason.EVENING)).singleElement().satisfies(s -> assertThat(s.at())
                    .isBetween(Instant.parse("2026-06-01T18:08:00Z"), Instant.parse("2026-06-01T18:08:01Z")));
        }

        @Test
        void aStepForwardFarPastTheEveningRecordsItAsMissedNotSprayedInTheNight() {
            startAgent(Instant.parse("2026-06-01T17:58:00Z"), 85);

            step(Duration.ofHours(3));
            scheduler.advance(Duration.ofHours(1));

            assertThat(sprays(SprayReason.EVENING)).isEmpty();
            assertThat(events()).filteredOn(SpraySkipped.class::isInstance).map(SpraySkipped.class::cast)
                    .singleElement().satisfies(skip -> {
                        assertThat(skip.trigger()).isEqualTo(SprayTrigger.EVENING);
                        assertThat(skip.reason()).startsWith("missed the 20:00 spray of 2026-06-01");
                    });
        }

        /** Back an hour, back a day: the evening that was sprayed is not sprayed again, the next one is. */
        @ParameterizedTest(name = "step back {0} h")
        @ValueSource(ints = {1, 24})
        void aStepBackAfterTheEveningNeitherRepeatsItNorSkipsTheNext(int hours) {
            startAgent(Instant.parse("2026-06-01T17:58:00Z"), 85);
            scheduler.advance(Duration.ofMinutes(10)); // the evening spray at 20:00
            assertThat(sprays(SprayReason.EVENING)).hasSize(1);

            step(Duration.ofHours(-hours));
            scheduler.runUntil(Instant.parse("2026-06-03T18:30:00Z"));

            // The clock was an hour (a day) fast, so that evening spray came early, on May 31 in truth for the day.
            // After the correction: no second spray that evening, then one on each following evening.
            List<LocalDate> evenings = sprays(SprayReason.EVENING).stream()
                    .map(s -> trueTime(s).atZone(BERLIN).toLocalDate()).collect(Collectors.toList());
            LocalDate first = hours == 24 ? LocalDate.of(2026, 5, 31) : LocalDate.of(2026, 6, 1);
            assertThat(evenings).containsExactlyElementsOf(
                    first.datesUntil(LocalDate.of(2026, 6, 4)).collect(Collectors.toList()));
        }

        @Test
        void aRestartWithTheClockBehindTheStoreKeepsTheCooldown() {
            startAgent(MORNING, 60);
            scheduler.advance(Duration.ofMinutes(2)); // a spray at once; 8 min of cooldown left
            agent.close();
            scheduler.runDue();
            store.close();

            // a Pi without a real-time clock boots with an old time: a day behind the store
            VirtualScheduler behind = new VirtualScheduler(MORNING.plus(Duration.ofMinutes(3)).minus(Duration.ofDays(1)));
            scheduler = behind;
            store = ResilientEventStore.open(dir.resolve("faults.db"), "faults");
            FakeValve relayAfter = new FakeValve(behind);
            AgentConfig config = AgentConfig.defaults().withAgentId("faults").withDataDir(dir).withRules(RULES);
            agent = new Agent(config, behind, new Sht30(new FakeSht30(behind, air, 4), behind), relayAfter, store,
                    "test");
            agent.start();
            behind.advance(Duration.ofMinutes(30));

            List<Instant> openings = relayAfter.transitions().stream().filter(FakeValve.Transition::open)
                    .map(FakeValve.Transition::at).collect(Collectors.toList());
            Instant restart = MORNING.plus(Duration.ofMinutes(3)).minus(Duration.ofDays(1));
            // the store's last event was at 2 min; counting on from it, the cooldown ends 8 min later, not a day later
            assertThat(openings).isNotEmpty();
            assertThat(Duration.between(restart, openings.get(0))).isBetween(Duration.ofMinutes(7),
                    COOLDOWN.plus(READ));
        }
    }

    @Nested
    class SensorFaults {

        /** Each fault the SHT30 shows: sensor-down mode, errors that say what is wrong, the fallback spray, recovery. */
        @ParameterizedTest
        @EnumSource(value = SensorFault.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
        void aFaultSwitchesToSensorDownSpraysTheFallbackAndRecovers(SensorFault fault) {
            startAgent(Instant.parse("2026-06-01T00:00:00Z"), 80); // 02:00: the evening spray stays out of it
            scheduler.advance(Duration.ofHours(1));
            sensor.setFault(fault);
            scheduler.advance(Duration.ofHours(13));
            sensor.setFault(SensorFault.OK);
            air.set(80.5, 25); // a stuck sensor recovers with fresh words, as a power-cycled one does
            scheduler.advance(Duration.ofMinutes(5));

            List<ModeChanged> modes = events().stream().filter(ModeChanged.class::isInstance)
                    .map(ModeChanged.class::cast).collect(Collectors.toList());
            assertThat(modes).extracting(ModeChanged::mode).containsExactly(Mode.SENSOR_DOWN, Mode.NORMAL);
            List<String> errors = events().stream().filter(SensorError.class::isInstance)
                    .map(e -> ((SensorError) e).error()).distinct().collect(Collectors.toList());
            assertThat(errors).isNotEmpty();
            // no spray for 6 h before the fault: the fallback comes at once, and again 6 h later, and then again
            List<ValveOpened> fallback = sprays(SprayReason.SENSOR_DOWN);
            assertThat(fallback).hasSize(3);
            assertThat(Duration.between(fallback.get(0).at(), fallback.get(1).at())).isEqualTo(Duration.ofHours(6));
            assertThat(relay.openDurations()).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(6)));
        }

        /**
         * A loose wire: the sensor fails and works in bursts of a few reads. Whatever the pattern, the agent sprays
         * by the readings it gets and by the fallback rule, never more often than the rules allow, and the valve
         * always closes.
         */
        @ParameterizedTest(name = "bursts of up to {0} reads")
        @ValueSource(ints = {1, 2, 3, 5, 8})
        void aFlappingSensorNeverCausesASprayStorm(int burst) {
            startAgent(MORNING, 70);
            Random random = new Random(burst);
            SensorFault[] faults = {SensorFault.NACK, SensorFault.CRC, SensorFault.ABSENT};
            Instant end = MORNING.plus(Soak.duration(Duration.ofHours(12), Duration.ofDays(7)));
            boolean failing = false;
            double humidity = 70;
            while (scheduler.now().isBefore(end)) {
                failing = !failing;
                sensor.setFault(failing ? faults[random.nextInt(faults.length)] : SensorFault.OK);
                humidity = Math.max(55, Math.min(90, humidity + random.nextGaussian())); // dry and humid spells
                air.set(humidity, 25);
                scheduler.advance(READ.multipliedBy(1 + random.nextInt(burst)));
            }
            sensor.setFault(SensorFault.OK);
            scheduler.advance(Duration.ofMinutes(2));

            List<Instant> openings = trueOpenings();
            assertThat(openings).isNotEmpty();
            for (int i = 1; i < openings.size(); i++) {
                assertThat(Duration.between(openings.get(i - 1), openings.get(i))).as("gap before spray %d", i)
                        .isGreaterThanOrEqualTo(COOLDOWN);
            }
            assertThat(relay.openDurations()).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(6)));
            assertThat(relay.isOpen()).isFalse();
            // the mode, and the keeper's alarm with it, does not flap with the sensor
            long modeChanges = events().stream().filter(ModeChanged.class::isInstance).count();
            assertThat(modeChanges).isLessThanOrEqualTo(4);
            System.out.printf("flapping in bursts of up to %d reads: %d sprays, %d mode changes, %d events%n", burst,
                    openings.size(), modeChanges, events().size());
        }
    }
}
