package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.SensorSettings;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.AlarmKind;
import dev.spike.model.Mode;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.WaterChange;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.event.WaterLevel;
import dev.spike.model.rules.WaterBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's month: every keeper feature at once, end to end, on a virtual clock. The whole agent (two fake SHT30s,
 * the driver, calibration, the sensor pair, the policy with a night program, the water budget, spray efficacy, the
 * fail-safe valve and a real SQLite store) runs 30 simulated days against a terrarium whose second sensor drifts,
 * whose nozzle clogs and whose tank drains, with a keeper who refills, calibrates and cleans on the days below.
 * It prints the figures the closing note quotes and checks each against what the simulation was told to do.
 */
class SimulatedMonthTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Program.Period NIGHT = new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, null);
    static final Rules RULES = Rules.defaults(BERLIN).withProgram(Program.of(NIGHT));
    /** 02:00 local time. */
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    static final double DRIFT_PCT_PER_DAY = 0.5;
    static final double CLOGGING_PCT_PER_DAY = 10;
    /** 20 L at 5 ml/s: a 6 s spray uses 0.03 L. */
    static final WaterBudget.Settings TANK = new WaterBudget.Settings(20, 5, 20);

    @TempDir
    Path dir;

    VirtualScheduler scheduler;
    Simulation simulation;
    ResilientEventStore store;
    Agent agent;
    /** The estimate against the simulated tank, at every refill: {day, estimate, simulated}. */
    final List<double[]> tankChecks = new ArrayList<>();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aMonthWithEveryKeeperFeature() {
        scheduler = new VirtualScheduler(START);
        simulation = new Simulation(scheduler, BERLIN, 80, 15, null, DRIFT_PCT_PER_DAY);
        simulation.terrarium().configureTank(TANK.capacityL(), TANK.flowMlPerS());
        simulation.terrarium().setCloggingPctPerDay(CLOGGING_PCT_PER_DAY);
        store = ResilientEventStore.open(dir.resolve("month.db"), "month");
        AgentConfig config = AgentConfig.defaults().withAgentId("month").withDataDir(dir).withRules(RULES)
                .withSensors(SensorSettings.ONE.withSecond(1, 0x45)).withTank(TANK);
        agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                new Sht30(simulation.sensor2(), scheduler), simulation.valve(), store, "test");
        agent.start();
        scheduler.runDue();

        for (int hour = 1; hour <= 30 * 24; hour++) {
            scheduler.advance(Duration.ofHours(1));
            keeper(hour);
        }
        agent.close();
        scheduler.runDue();

        List<Event> events = store.read(1, 10_000_000);
        report(events);
        check(events);
    }

    /** What the keeper does at the end of each simulated hour. */
    private void keeper(int hour) {
        if (hour == 5 * 24) {
            simulation.setSensorFault(1, SensorFault.NACK); // day 5: sensor 1's wire works loose for 6 h
        } else if (hour == 5 * 24 + 6) {
            simulation.setSensorFault(1, SensorFault.OK);
        } else if (hour == 14 * 24) {
            // day 14: the keeper checks sensor 2 in a salt pack and corrects the drift the divergence alarm named
            agent.execute(() -> agent.calibrate(new CalibrationCommand("cal-14", 2,
                    -simulation.sensor2DriftPct(), null, null, null, false)));
        } else if (hour == 16 * 24) {
            simulation.terrarium().setCloggingPctPerDay(0); // day 16: the clogging alarm sent the keeper to clean it
            simulation.terrarium().cleanNozzle();
        } else if (hour == 20 * 24) {
            simulation.setSensorFault(1, SensorFault.ABSENT); // day 20: both sensors drown for 12 h
            simulation.setSensorFault(2, SensorFault.ABSENT);
        } else if (hour == 20 * 24 + 12) {
            simulation.setSensorFault(1, SensorFault.OK);
            simulation.setSensorFault(2, SensorFault.OK);
        }
        boolean low = agent.activeAlarmsNow().contains(AlarmKind.LOW_WATER);
        if (low && hour % 24 == 9) { // refills at 09:00 UTC on a day that starts with the tank low
            tankChecks.add(new double[] {hour / 24.0, agent.water().levelL(), simulation.terrarium().tankL()});
            boolean forgetful = tankChecks.size() == 3; // the third time, the keeper fills it only half
            simulation.refill(forgetful ? TANK.capacityL() / 2 : null);
            String id = "refill-" + hour;
            agent.execute(() -> agent.refill(id, null));
            scheduler.runDue();
        }
    }

    private void report(List<Event> events) {
        Map<String, Long> sprays = new TreeMap<>();
        for (ValveOpened opened : of(events, ValveOpened.class)) {
            String period = opened.reason() == SprayReason.LOW_HUMIDITY
                    ? NIGHT.lowHumidityPct() == threshold(events, opened) ? "night (85 %)" : "day (75 %)"
                    : "";
            sprays.merge(opened.reason().wire() + " " + period, 1L, Long::sum);
        }
        System.out.println("sprays by reason and program period: " + sprays);
        for (HumidityAlarm alarm : of(events, HumidityAlarm.class)) {
            System.out.printf("alarm %-17s raised on day %6.2f: %s%n", alarm.kind().wire(), day(alarm.at()),
                    alarm.message());
        }
        for (HumidityAlarmCleared cleared : of(events, HumidityAlarmCleared.class)) {
            System.out.printf("alarm %-17s cleared on day %6.2f%n", cleared.kind().wire(), day(cleared.at()));
        }
        for (ModeChanged change : of(events, ModeChanged.class)) {
            System.out.printf("mode %s on day %.2f%n", change.mode().wire(), day(change.at()));
        }
        for (double[] check : tankChecks) {
            System.out.printf("refill on day %5.2f: estimate %.3f L, simulated tank %.3f L%n", check[0], check[1],
                    check[2]);
        }
        for (WaterLevel empty : emptied(events)) {
            System.out.printf("tank inferred empty on day %.2f (simulated tank %.3f L at the end)%n",
                    day(empty.at()), simulation.terrarium().tankL());
        }
        Map<Integer, List<SprayEffect>> byWeek = of(events, SprayEffect.class).stream()
                .collect(Collectors.groupingBy(e -> (int) (day(e.sprayAt()) / 7), TreeMap::new,
                        Collectors.toList()));
        byWeek.forEach((week, effects) -> System.out.printf("week %d: %d spray_effect, mean rise %.1f points%n",
                week + 1, effects.size(), effects.stream().mapToDouble(SprayEffect::risePct).average().orElse(0)));
        System.out.printf("water used: %.1f L in %d sprays; estimate at the end %.3f L, simulated tank %.3f L%n",
                of(events, WaterLevel.class).stream().filter(l -> l.cause() == WaterChange.SPRAY)
                        .mapToDouble(l -> l.usedL() == null ? 0 : l.usedL()).sum(),
                of(events, ValveOpened.class).size(), agent.water().levelL(), simulation.terrarium().tankL());
    }

    private void check(List<Event> events) {
        // the night program: automatic low-humidity sprays at night are judged against 85 %, by day against 75 %
        for (LowHumidity low : of(events, LowHumidity.class)) {
            boolean night = NIGHT.contains(low.at().atZone(BERLIN).toLocalTime());
            assertThat(low.thresholdPct()).as("threshold at %s", low.at()).isEqualTo(night ? 85.0 : 75.0);
        }
        assertThat(of(events, LowHumidity.class)).anyMatch(l -> l.thresholdPct() == 85.0)
                .anyMatch(l -> l.thresholdPct() == 75.0);

        // sensor 1 loose for 6 h on day 5: its own alarm, no sensor-down mode then
        List<HumidityAlarm> failed = alarms(events, AlarmKind.SENSOR_FAILED);
        assertThat(failed).isNotEmpty();
        assertThat(day(failed.get(0).at())).isBetween(5.0, 5.01);
        assertThat(failed.get(0).message()).contains("sensor 1");

        // sensor 2 drifts 0.5 %RH a day: past the 5 %RH margin after about 10 days, then 30 min; calibrated on
        // day 14 (clears after they agreed for 30 min), past the margin again about 10 days later
        List<HumidityAlarm> divergence = alarms(events, AlarmKind.SENSOR_DIVERGENCE);
        assertThat(divergence).hasSize(2);
        assertThat(day(divergence.get(0).at())).isBetween(9.0, 11.0);
        assertThat(cleared(events, AlarmKind.SENSOR_DIVERGENCE)).first()
                .satisfies(at -> assertThat(day(at)).isBetween(14.02, 14.03)); // agreeing for 30 min
        assertThat(day(divergence.get(1).at())).isBetween(23.0, 25.0);

        // both sensors down for 12 h on day 20: sensor-down mode once, fallback sprays, back to normal
        assertThat(of(events, ModeChanged.class)).extracting(ModeChanged::mode)
                .containsExactly(Mode.SENSOR_DOWN, Mode.NORMAL);
        assertThat(day(of(events, ModeChanged.class).get(0).at())).isBetween(20.0, 20.01);
        assertThat(of(events, ValveOpened.class)).anyMatch(o -> o.reason() == SprayReason.SENSOR_DOWN);

        // the nozzle loses 10 % a day: the week's mean rise halves within the second week; cleaned on day 16
        List<HumidityAlarm> clogging = alarms(events, AlarmKind.CLOGGING);
        assertThat(clogging).hasSize(1);
        assertThat(day(clogging.get(0).at())).isBetween(12.0, 16.0);
        assertThat(cleared(events, AlarmKind.CLOGGING)).hasSize(1);

        // the estimate follows the simulated tank until the keeper's half refill, which no_effect then corrects
        assertThat(tankChecks).hasSizeGreaterThanOrEqualTo(3);
        for (double[] check : tankChecks.subList(0, 3)) {
            assertThat(check[1]).as("estimate on day %.2f", check[0]).isCloseTo(check[2],
                    org.assertj.core.data.Offset.offset(0.05));
        }
        assertThat(emptied(events)).isNotEmpty();
        assertThat(day(emptied(events).get(0).at())).isGreaterThan(tankChecks.get(2)[0]);
    }

    private static double threshold(List<Event> events, ValveOpened opened) {
        // the low_humidity event the policy recorded with this spray's decision
        return of(events, LowHumidity.class).stream().filter(l -> !l.at().isAfter(opened.at()))
                .reduce((a, b) -> b).map(LowHumidity::thresholdPct).orElse(Double.NaN);
    }

    private static List<WaterLevel> emptied(List<Event> events) {
        return of(events, WaterLevel.class).stream().filter(l -> l.cause() == WaterChange.EMPTY)
                .collect(Collectors.toList());
    }

    private static List<HumidityAlarm> alarms(List<Event> events, AlarmKind kind) {
        return of(events, HumidityAlarm.class).stream().filter(a -> a.kind() == kind).collect(Collectors.toList());
    }

    private static List<Instant> cleared(List<Event> events, AlarmKind kind) {
        return of(events, HumidityAlarmCleared.class).stream().filter(c -> c.kind() == kind)
                .map(HumidityAlarmCleared::at).collect(Collectors.toList());
    }

    private static <T extends Event> List<T> of(List<Event> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private static double day(Instant at) {
        return Duration.between(START, at).toMinutes() / 1440.0;
    }
}
