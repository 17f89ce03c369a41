package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.Rules;
import dev.spike.model.WaterChange;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.rules.WaterBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The water budget and the efficacy watch in the whole agent, against the simulated terrarium's draining tank and
 * clogging nozzle, with a real SQLite store, on a virtual clock.
 */
class AgentWaterTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    /** 1 L at 5 ml/s: 0.03 L a 6 s spray, so the simulated terrarium (about 100 sprays a day) drains it in hours. */
    static final WaterBudget.Settings SMALL = new WaterBudget.Settings(1, 5, 20);

    @TempDir
    Path dir;

    VirtualScheduler scheduler;
    Simulation simulation;
    ResilientEventStore store;
    Agent agent;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private void startAgent(Instant at, WaterBudget.Settings tank, double cloggingPctPerDay, boolean newTank) {
        if (scheduler == null) {
            scheduler = new VirtualScheduler(at);
        }
        if (newTank) {
            simulation = new Simulation(scheduler, BERLIN, 74, 7);
            simulation.terrarium().configureTank(tank.capacityL(), tank.flowMlPerS());
            simulation.terrarium().setCloggingPctPerDay(cloggingPctPerDay);
        }
        store = ResilientEventStore.open(dir.resolve("water.db"), "water");
        AgentConfig config = AgentConfig.defaults().withAgentId("water").withDataDir(dir).withRules(RULES)
                .withTank(tank);
        agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler), simulation.valve(), store,
                "test");
        agent.start();
        scheduler.runDue();
    }

    /** Stops the agent as a clean shutdown does and closes its store; the simulated terrarium goes on. */
    private void stopAgent() {
        agent.close();
        scheduler.runDue();
        store.close();
    }

    private <T extends Event> List<T> events(Class<T> type) {
        return store.read(1, 10_000_000).stream().filter(type::isInstance).map(type::cast)
                .collect(Collectors.toList());
    }

    @Test
    void theEstimateFollowsTheSimulatedTankSprayBySprayAndALowTankRaisesLowWater() {
        startAgent(START, SMALL, 0, true);

        scheduler.advance(Duration.ofHours(3));

        List<ValveClosed> sprays = events(ValveClosed.class);
        List<WaterLevel> levels = events(WaterLevel.class);
        assertThat(levels.get(0).cause()).isEqualTo(WaterChange.CONFIGURED);
        assertThat(levels.stream().filter(l -> l.cause() == WaterChange.SPRAY)).hasSameSizeAs(sprays);
        double simulated = simulation.terrarium().tankL();
        double estimated = agent.water().levelL();
        System.out.printf("after %d sprays in 3 h: estimate %.3f L, simulated tank %.3f L%n", sprays.size(),
                estimated, simulated);
        assertThat(estimated).isCloseTo(simulated, Offset.offset(0.005));
        assertThat(agent.snapshot().tankLevelL()).isEqualTo(estimated);
        assertThat(agent.snapshot().tankCapacityL()).isEqualTo(1.0);
        assertThat(agent.snapshot().tankDaysLeft()).isNotNull();

        // on until the estimate is below 20 %
        scheduler.advance(Duration.ofHours(5));
        List<HumidityAlarm> alarms = events(HumidityAlarm.class);
        assertThat(alarms).extracting(HumidityAlarm::kind).contains(AlarmKind.LOW_WATER);
        HumidityAlarm low = alarms.stream().filter(a -> a.kind() == AlarmKind.LOW_WATER).findFirst().orElseThrow();
        System.out.printf("low_water at %s: %s%n", low.at(), low.message());
        assertThat(low.message()).startsWith("water tank low: about 0.1");
        assertThat(agent.activeAlarmsNow()).contains(AlarmKind.LOW_WATER);
    }

    @Test
    void aTankThatRunsDryIsInferredEmptyFromNoEffectAndARefillBringsItBack() {
        // the agent believes 2 L, the real tank holds 1 L: only no_effect can tell
        startAgent(START, SMALL, 0, true);
        stopAgent();
        startAgent(START, new WaterBudget.Settings(2, 5, 5), 0, false);

        scheduler.advance(Duration.ofHours(12));

        assertThat(simulation.terrarium().tankL()).isZero();
        assertThat(agent.policyState().activeAlarms()).contains(AlarmKind.NO_EFFECT);
        WaterLevel empty = events(WaterLevel.class).stream().filter(l -> l.cause() == WaterChange.EMPTY)
                .findFirst().orElseThrow();
        WaterLevel beforeEmpty = events(WaterLevel.class).stream().filter(l -> l.cause() == WaterChange.SPRAY)
                .filter(l -> l.seq() < empty.seq()).reduce((a, b) -> b).orElseThrow();
        System.out.printf("simulated 1 L tank ran dry; the budget believing 2 L had %.3f L left when no_effect set it"
                + " to 0 at %s%n", beforeEmpty.levelL(), empty.at());
        assertThat(beforeEmpty.levelL()).isCloseTo(1.0, Offset.offset(0.1));
        assertThat(empty.levelL()).isZero();
        assertThat(agent.water().levelL()).isZero();
        assertThat(agent.activeAlarmsNow()).contains(AlarmKind.NO_EFFECT, AlarmKind.LOW_WATER);

        agent.execute(() -> agent.refill("refill-1", null));
        simulation.refill(null);
        scheduler.advance(Duration.ofMinutes(30));

        assertThat(events(CommandResult.class)).filteredOn(r -> r.command() == CommandKind.REFILL)
                .singleElement().satisfies(r -> assertThat(r.accepted()).isTrue());
        assertThat(events(HumidityAlarmCleared.class)).extracting(HumidityAlarmCleared::kind)
                .contains(AlarmKind.LOW_WATER, AlarmKind.NO_EFFECT);
        assertThat(agent.activeAlarmsNow()).doesNotContain(AlarmKind.LOW_WATER, AlarmKind.NO_EFFECT);
    }

    @Test
    void aRestartKeepsTheEstimateAndTheLowWaterAlarm() {
        startAgent(START, SMALL, 0, true);
        scheduler.advance(Duration.ofHours(7));
        double before = agent.water().levelL();
        boolean low = agent.activeAlarmsNow().contains(AlarmKind.LOW_WATER);
        int levelsBefore = events(WaterLevel.class).size();
        stopAgent();

        startAgent(scheduler.now(), SMALL, 0, false);

        assertThat(agent.water().levelL()).isEqualTo(before);
        assertThat(agent.activeAlarmsNow().contains(AlarmKind.LOW_WATER)).isEqualTo(low).isTrue();
        assertThat(events(WaterLevel.class)).hasSize(levelsBefore);
        assertThat(agent.snapshot().tankDaysLeft()).isNotNull();
    }

    @Test
    void withoutATankThereIsNoBudgetAndARefillIsRefused() {
        scheduler = new VirtualScheduler(START);
        simulation = new Simulation(scheduler, BERLIN, 74, 7);
        store = ResilientEventStore.open(dir.resolve("none.db"), "water");
        agent = new Agent(AgentConfig.defaults().withAgentId("water").withDataDir(dir).withRules(RULES), scheduler,
                new Sht30(simulation.sensor(), scheduler), simulation.valve(), store, "test");
        agent.start();
        scheduler.runDue();

        agent.execute(() -> agent.refill("refill-1", null));
        scheduler.advance(Duration.ofMinutes(20));

        assertThat(agent.water()).isNull();
        assertThat(agent.snapshot().tankLevelL()).isNull();
        assertThat(events(WaterLevel.class)).isEmpty();
        assertThat(events(SprayEffect.class)).isNotEmpty();
        assertThat(events(CommandResult.class)).singleElement().satisfies(r -> {
            assertThat(r.accepted()).isFalse();
            assertThat(r.reason()).isEqualTo("no water tank configured: set tank.capacityL and valve.flowMlPerS"
                    + " in the agent's config");
        });
    }

    @Test
    void everySprayGetsItsEffectMeasured() {
        startAgent(START, SMALL, 0, true);

        scheduler.advance(Duration.ofHours(2));

        List<SprayEffect> effects = events(SprayEffect.class);
        int sprays = events(ValveClosed.class).size();
        assertThat(effects).hasSizeGreaterThanOrEqualTo(sprays - 1);
        // the simulation adds 2 points a second: 6 s give about 12, then decays toward 55 % with tau 30 min
        assertThat(effects).allSatisfy(e -> {
            assertThat(e.risePct()).isBetween(10.0, 13.0);
            assertThat(e.peakAfterS()).isBetween(0, 20);
        });
        assertThat(effects).filteredOn(e -> e.halfLifeS() != null).isNotEmpty();
        SprayEffect first = effects.get(0);
        System.out.printf("spray effect: rise %.2f points, peak after %d s, half-life %s s%n", first.risePct(),
                first.peakAfterS(), first.halfLifeS());
    }

    @Test
    void aSlowlyCloggingNozzleRaisesCloggingWithinTwoWeeksAndNotNoEffect() {
        WaterBudget.Settings big = new WaterBudget.Settings(1000, 5, 5);
        startAgent(START, big, 10, true);

        scheduler.runUntil(START.plus(Duration.ofDays(16)));

        List<HumidityAlarm> alarms = events(HumidityAlarm.class);
        HumidityAlarm clogging = alarms.stream().filter(a -> a.kind() == AlarmKind.CLOGGING).findFirst()
                .orElseThrow(() -> new AssertionError("no clogging alarm in 16 days at 10 % a day"));
        double days = Duration.between(START, clogging.at()).toMinutes() / 1440.0;
        System.out.printf("clogging 10 %%/day: alarm after %.2f days (nozzle at %.0f %%): %s%n", days,
                100 * Math.pow(0.9, days), clogging.message());
        assertThat(days).isBetween(7.0, 15.0);
        assertThat(alarms).extracting(HumidityAlarm::kind).doesNotContain(AlarmKind.NO_EFFECT);
    }
}
