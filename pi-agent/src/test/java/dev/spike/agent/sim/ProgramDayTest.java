package dev.spike.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A simulated day with the day/night program (85 % and a 20 min cooldown from 22:00 to 07:00, 70 % and a
 * 30 min cooldown otherwise, so the enclosure dries out between mistings by day): the whole agent (fake SHT30,
 * policy, valve, SQLite store) on a virtual clock, against the same day without a program.
 */
class ProgramDayTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Program.Period NIGHT = new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20);
    static final Rules DAY_NIGHT = Rules.defaults(BERLIN).withLowHumidityPct(70).withMinIntervalMin(30)
            .withProgram(Program.of(NIGHT));
    /** Midnight local. */
    static final Instant START = Instant.parse("2026-06-01T22:00:00Z");

    @TempDir
    Path dir;

    @Test
    void spraysToTheNightThresholdAtNightAndLetsTheDayDryOut() {
        List<Event> events = runDay(DAY_NIGHT, "program");

        List<ValveOpened> lowSprays = sprays(events);
        Predicate<Instant> night = at -> DAY_NIGHT.periodAt(at).isPresent();
        long nightSprays = lowSprays.stream().filter(s -> night.test(s.at())).count();
        long daySprays = lowSprays.size() - nightSprays;
        double nightMean = meanHumidity(events, night);
        double dayMean = meanHumidity(events, night.negate());
        System.out.printf("program day: %d low-humidity sprays at night (9 h), %d by day (15 h); mean humidity"
                + " %.1f %% at night, %.1f %% by day%n", nightSprays, daySprays, nightMean, dayMean);

        // each low_humidity names the threshold of the period it fell in
        assertThat(events).filteredOn(LowHumidity.class::isInstance).map(LowHumidity.class::cast)
                .allSatisfy(low -> assertThat(low.thresholdPct()).isEqualTo(DAY_NIGHT.lowHumidityPctAt(low.at())));
        // the night's cooldown is 20 min, the day's 30: no two sprays closer, night sprays in 9 h at most 27
        assertThat(nightSprays).isBetween(20L, 28L);
        assertThat(daySprays).isBetween(20L, 31L);
        for (int i = 1; i < lowSprays.size(); i++) {
            Instant previous = lowSprays.get(i - 1).at();
            assertThat(Duration.between(previous, lowSprays.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(DAY_NIGHT.minIntervalMinAt(previous)));
        }
        assertThat(nightMean).isGreaterThan(dayMean + 5);
    }

    @Test
    void withoutAProgramTheSameDayHoldsOneThresholdAllDay() {
        List<Event> events = runDay(Rules.defaults(BERLIN), "seed");

        Predicate<Instant> night = at -> DAY_NIGHT.periodAt(at).isPresent();
        long nightSprays = sprays(events).stream().filter(s -> night.test(s.at())).count();
        System.out.printf("seed rules day: %d low-humidity sprays at night, %d by day; mean humidity %.1f %% at"
                + " night, %.1f %% by day%n", nightSprays, sprays(events).size() - nightSprays,
                meanHumidity(events, night), meanHumidity(events, night.negate()));

        assertThat(events).filteredOn(LowHumidity.class::isInstance).map(LowHumidity.class::cast)
                .allSatisfy(low -> assertThat(low.thresholdPct()).isEqualTo(75));
        assertThat(Math.abs(meanHumidity(events, night) - meanHumidity(events, night.negate()))).isLessThan(3);
    }

    @Test
    void theDemosProgramKeepsTheNightAboveItsThreshold() {
        Rules demo = Rules.defaults(BERLIN).withProgram(Program.of(
                new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, null)));
        List<Event> events = runDay(demo, "demo");

        Predicate<Instant> night = at -> demo.periodAt(at).isPresent();
        long nightSprays = sprays(events).stream().filter(s -> night.test(s.at())).count();
        System.out.printf("demo program day: %d low-humidity sprays at night, %d by day; mean humidity %.1f %% at"
                + " night, %.1f %% by day%n", nightSprays, sprays(events).size() - nightSprays,
                meanHumidity(events, night), meanHumidity(events, night.negate()));
        assertThat(meanHumidity(events, night)).isGreaterThan(meanHumidity(events, night.negate()) + 5);
    }

    /** The station's demo runs the scripted day with that program: it still holds a spray of every reason. */
    @ParameterizedTest(name = "a day from {0}")
    @ValueSource(strings = {"03:00", "19:30", "21:20"})
    void theScriptedDayStillHoldsEveryKindOfSprayWithTheDemosProgram(String startsAt) {
        Rules demo = Rules.defaults(BERLIN).withProgram(Program.of(
                new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, null)));
        Instant dayStart = LocalDateTime.of(2026, 6, 1, 0, 0).with(LocalTime.parse(startsAt)).atZone(BERLIN)
                .toInstant();
        List<Event> events = ScriptedDayTest.play(dir, demo, ScriptedDay.plan(dayStart, demo).orElseThrow());

        assertThat(events).filteredOn(ValveOpened.class::isInstance).map(e -> ((ValveOpened) e).reason())
                .containsAll(List.of(SprayReason.values()));
        assertThat(events).filteredOn(LowHumidity.class::isInstance).map(e -> ((LowHumidity) e).thresholdPct())
                .contains(75.0, 85.0);
    }

    private List<Event> runDay(Rules rules, String name) {
        VirtualScheduler scheduler = new VirtualScheduler(START);
        Simulation simulation = new Simulation(scheduler, BERLIN, 70, 42);
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve(name + ".db"), "sim")) {
            AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir).withRules(rules);
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "test");
            agent.start();
            scheduler.runUntil(START.plus(Duration.ofHours(24)));
            return store.read(1, 1_000_000);
        }
    }

    private static List<ValveOpened> sprays(List<Event> events) {
        return events.stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .filter(s -> s.reason() == SprayReason.LOW_HUMIDITY).collect(Collectors.toList());
    }

    /** Time-weighted: each recorded humidity holds until the next one (readings are recorded on change). */
    private static double meanHumidity(List<Event> events, Predicate<Instant> when) {
        List<HumidityChanged> readings = events.stream().filter(HumidityChanged.class::isInstance)
                .map(HumidityChanged.class::cast).collect(Collectors.toList());
        double weighted = 0;
        long seconds = 0;
        for (int i = 0; i + 1 < readings.size(); i++) {
            HumidityChanged reading = readings.get(i);
            if (when.test(reading.at())) {
                long held = Duration.between(reading.at(), readings.get(i + 1).at()).toSeconds();
                weighted += reading.humidityPct() * held;
                seconds += held;
            }
        }
        return weighted / seconds;
    }
}
