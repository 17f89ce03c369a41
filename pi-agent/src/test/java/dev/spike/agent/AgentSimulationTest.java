package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.TankLevel;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent — driver, fake SHT30, simulated terrarium, fail-safe valve, policy and a real SQLite store — on
 * a virtual clock: a week of rules in seconds of test time.
 */
class AgentSimulationTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);
    /** 02:00 local time. */
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

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

    private void startAgent(Instant at, double humidityPct) {
        scheduler = new VirtualScheduler(at);
        simulation = new Simulation(scheduler, BERLIN, humidityPct, 7);
        store = ResilientEventStore.open(dir.resolve("sim.db"), "sim");
        AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir).withRules(RULES);
        agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler), simulation.valve(), store,
                "test");
        agent.start();
        scheduler.runDue();
    }

    private List<Event> events() {
        return store.read(1, 1_000_000);
    }

    private List<ValveOpened> sprays() {
        return events().stream().filter(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                .collect(Collectors.toList());
    }

    @Test
    void aSimulatedWeekFollowsEveryRule() {
        startAgent(START, 70);
        Instant outageStart = START.plus(Duration.ofDays(3)).plus(Duration.ofHours(6));
        Instant outageEnd = outageStart.plus(Duration.ofHours(14));

        scheduler.runUntil(outageStart);
        simulation.setSensorFault(SensorFault.ABSENT);
        scheduler.runUntil(outageEnd);
        simulation.setSensorFault(SensorFault.OK);
        scheduler.runUntil(START.plus(Duration.ofDays(7)));

        List<ValveOpened> sprays = sprays();
        assertThat(sprays).hasSizeGreaterThan(50);

        // no two automatic sprays less than minIntervalMin apart
        for (int i = 1; i < sprays.size(); i++) {
            assertThat(Duration.between(sprays.get(i - 1).at(), sprays.get(i).at()))
                    .as("gap before spray #%d", sprays.get(i).seq())
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(RULES.minIntervalMin()));
        }

        // every spray lasts its duration to within 50 ms, and none is longer than maxSprayS
        List<Duration> open = simulation.relay().openDurations();
        assertThat(open).hasSize(sprays.size());
        for (Duration duration : open) {
            assertThat(duration.minusSeconds(RULES.sprayDurationS()).abs()).isLessThanOrEqualTo(Duration.ofMillis(50));
            assertThat(duration).isLessThanOrEqualTo(Duration.ofSeconds(RULES.maxSprayS()));
        }
        assertThat(simulation.relay().isOpen()).isFalse();

        // the outage: sensor-down mode, a fallback spray at most every 6 h counted from the last spray, recovery
        List<ModeChanged> modes = events().stream().filter(ModeChanged.class::isInstance)
                .map(ModeChanged.class::cast).collect(Collectors.toList());
        assertThat(modes).extracting(ModeChanged::mode).containsExactly(Mode.SENSOR_DOWN, Mode.NORMAL);
        Instant down = modes.get(0).at();
        Instant up = modes.get(1).at();
        assertThat(Duration.between(outageStart, down)).isLessThanOrEqualTo(Duration.ofSeconds(40));
        assertThat(Duration.between(outageEnd, up)).isLessThanOrEqualTo(Duration.ofSeconds(40));
        List<ValveOpened> duringOutage = sprays.stream()
                .filter(s -> s.at().isAfter(down) && s.at().isBefore(up)).collect(Collectors.toList());
        assertThat(duringOutage).extracting(ValveOpened::reason).contains(SprayReason.SENSOR_DOWN);
        ValveOpened before = sprays.stream().filter(s -> !s.at().isAfter(down)).reduce((a, b) -> b).orElseThrow();
        Instant last = before.at();
        for (ValveOpened spray : duringOutage) {
            if (spray.reason() == SprayReason.SENSOR_DOWN) {
                assertThat(Duration.between(last, spray.at())).isBetween(Duration.ofHours(6),
                        Duration.ofHours(6).plusSeconds(1));
            }
            last = spray.at();
        }
        assertThat(Duration.between(last, up)).isLessThan(Duration.ofHours(6).plusSeconds(1));

        // exactly one evening decision on each of the 7 local dates
        Map<LocalDate, Long> evenings = events().stream()
                .filter(e -> e instanceof ValveOpened && ((ValveOpened) e).reason() == SprayReason.EVENING
                        || e instanceof SpraySkipped && ((SpraySkipped) e).trigger() == SprayTrigger.EVENING)
                .collect(Collectors.groupingBy(e -> e.at().atZone(BERLIN).toLocalDate(), Collectors.counting()));
        assertThat(evenings).hasSize(7).allSatisfy((date, count) -> assertThat(count).as("%s", date).isEqualTo(1));

        // seq strictly increasing with no gap
        List<Event> all = events();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).seq()).isEqualTo(i + 1);
        }
    }

    @Test
    void anEmptyTankRaisesTheNoEffectAlarm() {
        startAgent(START, 80);
        simulation.setTank(TankLevel.EMPTY);

        scheduler.advance(Duration.ofHours(2));

        assertThat(agent.policyState().activeAlarms()).contains(dev.spike.model.AlarmKind.NO_EFFECT);
    }

    @Test
    void aRestartedAgentClosesTheInterruptedSprayAndKeepsTheCooldown() {
        startAgent(START, 74);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(simulation.relay().isOpen()).as("sprays at the first reading at 74 %").isTrue();
        Instant crash = scheduler.now().plusSeconds(2);
        scheduler.runUntil(crash);
        // the process dies here: nothing more runs, the store is left as it is
        store.close();

        startAgent(crash.plusSeconds(30), 70);
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(simulation.relay().transitions()).as("no spray during the cooldown").isEmpty();
        ValveClosed closed = (ValveClosed) store.latest(EventType.VALVE_CLOSED).orElseThrow();
        assertThat(closed.openMs()).isEqualTo(6000);
        assertThat(events()).extracting(Event::type).containsSubsequence(EventType.VALVE_OPENED,
                EventType.VALVE_CLOSED, EventType.AGENT_STARTED, EventType.SPRAY_SKIPPED);

        scheduler.advance(Duration.ofMinutes(6));
        assertThat(sprays()).hasSize(2);
    }
}
