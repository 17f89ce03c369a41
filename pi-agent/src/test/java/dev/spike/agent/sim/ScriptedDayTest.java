package dev.spike.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.rules.Input;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The head start's scripted day: the terrarium, the sensor and the keeper act, the whole agent (driver, fake SHT30,
 * policy, valve, SQLite store) decides, on a virtual clock. Whatever the time of day the demo is launched at, the
 * day holds a spray of every reason and a sensor outage.
 */
class ScriptedDayTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);

    @TempDir
    Path dir;

    /** Local times the day starts at (the demo's launch time a day later): evening early, late, in the middle. */
    @ParameterizedTest(name = "a day from {0}")
    @ValueSource(strings = {"03:00", "12:00", "18:40", "19:30", "20:00", "20:10", "21:20"})
    void aScriptedDayHasASprayOfEveryReasonAndASensorOutage(String startsAt) {
        Instant dayStart = LocalDateTime.of(2026, 6, 1, 0, 0).with(LocalTime.parse(startsAt)).atZone(BERLIN)
                .toInstant();
        ScriptedDay.Plan plan = ScriptedDay.plan(dayStart, RULES).orElseThrow();
        List<Event> events = play(dir, RULES, plan);

        List<ValveOpened> sprays = events.stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());
        assertThat(sprays).extracting(ValveOpened::reason).containsAll(List.of(SprayReason.values()));

        // the evening spray at the evening time, the rule's own decision: nothing sprayed within the hour before
        ValveOpened evening = sprays.stream().filter(s -> s.reason() == SprayReason.EVENING).findFirst().orElseThrow();
        assertThat(Duration.between(plan.evening(), evening.at())).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(sprays).filteredOn(s -> s.at().isBefore(evening.at())
                && s.at().isAfter(evening.at().minus(Duration.ofMinutes(RULES.eveningSkipIfSprayedWithinMin()))))
                .isEmpty();

        // the outage: errors, sensor-down mode with its fallback spray, recovery once the cable is back
        assertThat(events).filteredOn(SensorError.class::isInstance).isNotEmpty()
                .allSatisfy(e -> assertThat(e.at()).isBetween(plan.sensorLoose(), plan.sensorBack()));
        List<ModeChanged> modes = events.stream().filter(ModeChanged.class::isInstance).map(ModeChanged.class::cast)
                .collect(Collectors.toList());
        assertThat(modes).extracting(ModeChanged::mode).containsExactly(Mode.SENSOR_DOWN, Mode.NORMAL);
        assertThat(Duration.between(plan.sensorLoose(), modes.get(0).at())).isLessThan(Duration.ofMinutes(1));
        assertThat(Duration.between(plan.sensorBack(), modes.get(1).at())).isLessThan(Duration.ofMinutes(1));
        assertThat(sprays).filteredOn(s -> s.reason() == SprayReason.SENSOR_DOWN).singleElement()
                .satisfies(s -> assertThat(s.at()).isBetween(modes.get(0).at(), modes.get(1).at()));
        assertThat(events).filteredOn(SensorRecovered.class::isInstance).hasSize(1);

        // the keeper's spray went the command's way: accepted, the valve opened for its id
        assertThat(sprays).filteredOn(s -> s.reason() == SprayReason.MANUAL).singleElement()
                .satisfies(s -> assertThat(s.commandId()).isEqualTo(ScriptedDay.MANUAL_COMMAND_ID));
        assertThat(events).filteredOn(CommandResult.class::isInstance).map(CommandResult.class::cast)
                .singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
    }

    @ParameterizedTest(name = "a day from {0}")
    @ValueSource(strings = {"00:00", "06:00", "18:44", "18:46", "19:59", "20:00", "20:01", "21:15", "23:59"})
    void theScenesFitTheDayAndDoNotOverlap(String startsAt) {
        Instant dayStart = LocalDateTime.of(2026, 6, 1, 0, 0).with(LocalTime.parse(startsAt)).atZone(BERLIN)
                .toInstant();
        Instant dayEnd = dayStart.plus(ScriptedDay.LENGTH);

        ScriptedDay.Plan plan = ScriptedDay.plan(dayStart, RULES).orElseThrow();

        assertThat(plan.evening()).isAfter(dayStart).isBeforeOrEqualTo(dayEnd);
        assertThat(plan.evening().atZone(BERLIN).toLocalTime()).isEqualTo(RULES.eveningTime());
        assertThat(plan.ventsClosed()).isEqualTo(latest(dayStart, plan.evening().minus(Duration.ofMinutes(75))));
        assertThat(Duration.between(plan.sensorLoose(), plan.sensorBack()))
                .isGreaterThan(Duration.ofHours(RULES.sensorDownSprayEveryH()));
        // the outage and the manual spray lie wholly before the vents close or after they open, within the day
        boolean before = plan.manualSpray().isBefore(plan.ventsClosed());
        if (before) {
            assertThat(plan.sensorLoose()).isAfter(dayStart);
        } else {
            assertThat(plan.sensorLoose()).isAfter(plan.ventsOpened());
            assertThat(plan.manualSpray()).isBefore(dayEnd);
        }
        assertThat(plan.manualSpray()).isAfter(plan.sensorBack());
    }

    @Test
    void aFallbackCadenceTooLongForTheDayLeavesItUnscripted() {
        Rules slowFallback = new Rules(75, 6, 10, 20, 3, LocalTime.of(20, 0), 60, BERLIN, 30, 10, 60, 95);

        assertThat(ScriptedDay.plan(Instant.parse("2026-06-01T10:00:00Z"), slowFallback)).isEmpty();
        assertThat(ScriptedDay.plan(Instant.parse("2026-06-01T10:00:00Z"), RULES)).isPresent();
    }

    /** Plays the scripted day through the whole agent on a virtual clock; the events its store holds after it. */
    static List<Event> play(Path dir, Rules rules, ScriptedDay.Plan plan) {
        VirtualScheduler scheduler = new VirtualScheduler(plan.dayStart());
        Simulation simulation = new Simulation(scheduler, rules.timeZone(), 70, 42);
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve("sim.db"), "sim")) {
            AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir).withRules(rules);
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "test");
            agent.start();
            scheduler.execute(() -> ScriptedDay.play(plan, scheduler, simulation,
                    (commandId, durationS) -> agent.submit(new Input.ManualSpray(commandId, durationS))));
            scheduler.runUntil(plan.dayStart().plus(ScriptedDay.LENGTH));
            return store.read(1, 1_000_000);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
