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
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.rules.Input;
import dev.spike.model.rules.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3: replaying what a real agent stored, with the rules that were in force, makes exactly the decisions
 * the agent made. The agent is the real one (driver, fake SHT30, simulated terrarium, fail-safe valve, SQLite store)
 * on a virtual clock, through a week with a rules change, a manual spray, a sensor outage, a restart and a clock
 * step each way.
 */
class ReplayFaithfulnessTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Rules RULES = Rules.defaults(BERLIN);
    /** The rules change mid-week: wetter, longer sprays, a later evening. */
    static final Rules CHANGED = RULES.withLowHumidityPct(78).withSprayDurationS(8).withMinIntervalMin(15)
            .withEveningTime(java.time.LocalTime.of(21, 30));
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    /** What the agent decides: compared event for event, seq aside. */
    static final Set<EventType> DECISIONS = EnumSet.of(EventType.VALVE_OPENED, EventType.SPRAY_SKIPPED,
            EventType.MODE_CHANGED, EventType.LOW_HUMIDITY, EventType.SENSOR_RECOVERED, EventType.HUMIDITY_ALARM,
            EventType.HUMIDITY_ALARM_CLEARED, EventType.SENSOR_ERROR, EventType.CONFIG_APPLIED);

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

    private void startAgent(Instant at, double humidityPct, long seed) {
        scheduler = new VirtualScheduler(at);
        simulation = new Simulation(scheduler, BERLIN, humidityPct, seed);
        store = ResilientEventStore.open(dir.resolve("agent.db"), "sim");
        AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir).withRules(RULES);
        agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler), simulation.valve(), store,
                "test");
        agent.start();
        scheduler.runDue();
    }

    /** Runs to the first read after {@code at}, then half a second on: between that read and the next tick. */
    private void runToJustAfterARead(Instant at) {
        scheduler.runUntil(at);
        Instant lastRead = store.latest(EventType.HUMIDITY_CHANGED).orElseThrow().at();
        scheduler.runUntil(lastRead.plusSeconds(RULES.readIntervalS()).plusMillis(500));
    }

    @Test
    void replayingTheRecordWithTheRulesInForceMakesTheAgentsDecisionsAgain() throws Exception {
        startAgent(START, 70, 7);
        // day 1: a keeper sprays by hand
        scheduler.runUntil(START.plus(Duration.ofHours(30)).plusMillis(250));
        agent.submit(new Input.ManualSpray("manual-1", 12));
        // day 2: new rules
        scheduler.runUntil(START.plus(Duration.ofHours(40)).plusMillis(700));
        agent.submit(new Input.RulesChange("config-1", CHANGED));
        // day 3: the sensor is gone for 14 h
        Instant outage = START.plus(Duration.ofDays(3)).plus(Duration.ofHours(6));
        scheduler.runUntil(outage);
        simulation.setSensorFault(SensorFault.ABSENT);
        scheduler.runUntil(outage.plus(Duration.ofHours(14)));
        simulation.setSensorFault(SensorFault.OK);
        // day 4: the process dies; it starts again 40 s later over the same store
        Instant crash = START.plus(Duration.ofDays(4)).plus(Duration.ofHours(9)).plusMillis(123);
        scheduler.runUntil(crash);
        store.close();
        startAgent(crash.plusSeconds(40), 72, 11);
        // day 5: NTP steps the clock back by 47 min; day 6 forward by 2 h 13 min, over the evening spray
        runToJustAfterARead(START.plus(Duration.ofDays(5)).plus(Duration.ofHours(3)));
        scheduler.jump(Duration.ofMinutes(-47));
        runToJustAfterARead(START.plus(Duration.ofDays(6)).plus(Duration.ofHours(17)).plus(Duration.ofMinutes(20)));
        scheduler.jump(Duration.ofMinutes(133));
        scheduler.runUntil(START.plus(Duration.ofDays(7)));

        List<Event> record = store.read(1, 10_000_000);
        printStoreFigures(record);
        List<Event> recorded = decisions(record);
        List<Event> replayed = decisions(Replay.run("sim", null, record, null, null).events());

        // the week holds every kind of decision, so the comparison below means something
        assertThat(recorded).filteredOn(ValveOpened.class::isInstance).extracting(e -> ((ValveOpened) e).reason())
                .contains(SprayReason.LOW_HUMIDITY, SprayReason.SENSOR_DOWN, SprayReason.EVENING,
                        SprayReason.MANUAL);
        assertThat(recorded).filteredOn(SpraySkipped.class::isInstance).hasSizeGreaterThan(10);
        assertThat(recorded).filteredOn(ModeChanged.class::isInstance).extracting(e -> ((ModeChanged) e).mode())
                .startsWith(Mode.SENSOR_DOWN, Mode.NORMAL);
        assertThat(record.stream().filter(e -> e.type() == EventType.AGENT_STARTED).count()).isEqualTo(2);

        for (int i = 0; i < Math.min(recorded.size(), replayed.size()); i++) {
            assertThat(replayed.get(i)).as("decision %d of %d", i + 1, recorded.size()).isEqualTo(recorded.get(i));
        }
        assertThat(replayed).hasSameSizeAs(recorded);
    }

    /** The store's cost of recording every reading, for docs/agent.md. */
    private void printStoreFigures(List<Event> record) throws java.io.IOException {
        store.close();
        long bytes = java.nio.file.Files.size(dir.resolve("agent.db"));
        long readings = record.stream().filter(e -> e.type() == EventType.HUMIDITY_CHANGED).count();
        System.out.printf(java.util.Locale.ROOT, "store after 7 simulated days: %,d events (%,d humidity_changed),"
                + " %,d bytes, %,d bytes/event%n", record.size(), readings, bytes, bytes / record.size());
    }

    /** The decisions of a record, seq set aside; the config_applied that a first start writes is no decision. */
    private static List<Event> decisions(List<Event> events) {
        return events.stream().filter(e -> DECISIONS.contains(e.type()))
                .filter(e -> e.type() != EventType.CONFIG_APPLIED || !e.at().equals(START))
                .map(e -> e.withHeader(e.agentId(), 1, e.at())).collect(Collectors.toList());
    }
}
