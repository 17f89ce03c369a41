package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.SensorSettings;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.MutableEnvironment;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.model.AlarmKind;
import dev.spike.model.Calibration;
import dev.spike.model.CommandKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with calibrated and paired sensors: fake SHT30s on their own air, the real driver, policy, valve and a
 * real SQLite store, on a virtual clock.
 */
class AgentSensorsTest {

    static final Rules RULES = Rules.defaults(ZoneId.of("Europe/Berlin"));
    /** 10:00 local time: far from the evening spray. */
    static final Instant MORNING = Instant.parse("2026-06-01T08:00:00Z");

    @TempDir
    Path dir;

    VirtualScheduler scheduler;
    final MutableEnvironment air1 = new MutableEnvironment(80, 25);
    final MutableEnvironment air2 = new MutableEnvironment(80, 25);
    FakeSht30 sensor1;
    FakeSht30 sensor2;
    FakeValve relay;
    ResilientEventStore store;
    Agent agent;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private AgentConfig config(SensorSettings sensors) {
        return AgentConfig.defaults().withAgentId("pair").withDataDir(dir).withRules(RULES).withSensors(sensors);
    }

    private SensorSettings two() {
        return SensorSettings.ONE.withSecond(1, 0x45);
    }

    private void start(AgentConfig config, boolean second) {
        scheduler = scheduler == null ? new VirtualScheduler(MORNING) : scheduler;
        sensor1 = new FakeSht30(scheduler, air1, 3);
        sensor2 = new FakeSht30(scheduler, air2, 4);
        relay = new FakeValve(scheduler);
        store = ResilientEventStore.open(dir.resolve("pair.db"), "pair");
        agent = new Agent(config, scheduler, new Sht30(sensor1, scheduler),
                second ? new Sht30(sensor2, scheduler) : null, relay, store, "test");
        agent.start();
        scheduler.runDue();
    }

    private void restart(AgentConfig config, boolean second) {
        agent.close();
        scheduler.runDue();
        store.close();
        start(config, second);
    }

    private List<Event> events() {
        return store.read(1, 1_000_000);
    }

    private <T extends Event> List<T> events(Class<T> type) {
        return events().stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private HumidityChanged lastHumidity() {
        List<HumidityChanged> all = events(HumidityChanged.class);
        return all.get(all.size() - 1);
    }

    @Test
    void oneUncalibratedSensorRecordsReadingsAsBefore() {
        start(config(SensorSettings.ONE), false);
        scheduler.advance(Duration.ofMinutes(1));

        HumidityChanged reading = lastHumidity();
        assertThat(reading.humidityPct()).isCloseTo(80, within(0.1));
        assertThat(reading).isEqualTo(new HumidityChanged("pair", reading.seq(), reading.at(),
                reading.humidityPct()));
    }

    @Test
    void calibratesTheReadingTheRulesUseAndKeepsTheRawOne() {
        air1.set(73, 25);
        start(config(new SensorSettings(Calibration.offsets(2.5, -0.5), null, null, Calibration.NONE, 5, 30)),
                false);
        scheduler.advance(Duration.ofMinutes(1));

        HumidityChanged reading = lastHumidity();
        assertThat(reading.humidityPct()).isCloseTo(75.5, within(0.1));
        assertThat(reading.rawHumidity1Pct()).isCloseTo(73, within(0.1));
        assertThat(reading.humidity2Pct()).isNull();
        // 73 raw is below the 75 % threshold, 75.5 calibrated is not: no spray
        assertThat(events(ValveOpened.class)).isEmpty();
        assertThat(agent.snapshot().temperatureC()).isCloseTo(24.5, within(0.1));
    }

    @Test
    void twoSensorsAgreeOnTheMeanAndRecordEachValue() {
        air1.set(78, 25);
        air2.set(82, 26);
        start(config(two()), true);
        scheduler.advance(Duration.ofMinutes(1));

        HumidityChanged reading = lastHumidity();
        assertThat(reading.humidityPct()).isCloseTo(80, within(0.1));
        assertThat(reading.humidity1Pct()).isCloseTo(78, within(0.1));
        assertThat(reading.humidity2Pct()).isCloseTo(82, within(0.1));
        assertThat(reading.rawHumidity2Pct()).isEqualTo(reading.humidity2Pct());
        assertThat(agent.snapshot().humidityPct()).isCloseTo(80, within(0.1));
    }

    @Test
    void oneFailedSensorRaisesAnAlarmNamingItAndTheOtherOneKeepsSpraying() {
        start(config(two()), true);
        sensor2.setFault(SensorFault.ABSENT);
        air1.set(70, 25);
        scheduler.advance(Duration.ofMinutes(2));

        List<HumidityAlarm> alarms = events(HumidityAlarm.class);
        assertThat(alarms).extracting(HumidityAlarm::kind).containsExactly(AlarmKind.SENSOR_FAILED);
        assertThat(alarms.get(0).message()).startsWith("sensor 2 (0x45 on bus 1) failed 3 reads in a row")
                .contains("the rules use sensor 1 (0x44 on bus 1) alone");
        assertThat(events(ModeChanged.class)).isEmpty();
        assertThat(events(ValveOpened.class)).extracting(ValveOpened::reason)
                .containsExactly(SprayReason.LOW_HUMIDITY);
        assertThat(agent.snapshot().mode()).isEqualTo(Mode.NORMAL);
        assertThat(agent.snapshot().activeAlarms()).containsExactly(AlarmKind.SENSOR_FAILED);

        sensor2.setFault(SensorFault.OK);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(events(HumidityAlarmCleared.class)).extracting(HumidityAlarmCleared::kind)
                .containsExactly(AlarmKind.SENSOR_FAILED);
        assertThat(agent.snapshot().activeAlarms()).isEmpty();
    }

    @Test
    void aSensorAlarmOutlivesARestartAndClearsWhenTheSecondSensorIsRemoved() {
        start(config(two()), true);
        sensor2.setFault(SensorFault.ABSENT);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(agent.snapshot().activeAlarms()).containsExactly(AlarmKind.SENSOR_FAILED);

        restart(config(two()), true);
        sensor2.setFault(SensorFault.ABSENT);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(agent.snapshot().activeAlarms()).containsExactly(AlarmKind.SENSOR_FAILED);
        assertThat(events(HumidityAlarmCleared.class)).isEmpty();

        restart(config(SensorSettings.ONE), false);
        assertThat(agent.snapshot().activeAlarms()).isEmpty();
        assertThat(events(HumidityAlarmCleared.class)).extracting(HumidityAlarmCleared::kind)
                .containsExactly(AlarmKind.SENSOR_FAILED);
    }

    @Test
    void onlyBothFailingPutTheAgentInSensorDownMode() {
        start(config(two()), true);
        sensor1.setFault(SensorFault.NACK);
        sensor2.setFault(SensorFault.CRC);
        scheduler.advance(Duration.ofMinutes(2));

        assertThat(events(ModeChanged.class)).extracting(ModeChanged::mode).containsExactly(Mode.SENSOR_DOWN);
        // sensor-down mode is the alarm then; sensor_failed is for one of two
        assertThat(agent.snapshot().activeAlarms()).isEmpty();
    }

    @Test
    void raisesTheDivergenceAlarmAfterTheConfiguredTimeAndClearsItWhenTheyAgree() {
        air1.set(78, 25);
        air2.set(85, 25);
        start(config(new SensorSettings(Calibration.NONE, 1, 0x45, Calibration.NONE, 5, 20)), true);

        scheduler.advance(Duration.ofMinutes(19));
        assertThat(events(HumidityAlarm.class)).isEmpty();
        scheduler.advance(Duration.ofMinutes(2));
        List<HumidityAlarm> alarms = events(HumidityAlarm.class);
        assertThat(alarms).extracting(HumidityAlarm::kind).containsExactly(AlarmKind.SENSOR_DIVERGENCE);
        assertThat(Duration.between(MORNING, alarms.get(0).at())).isBetween(Duration.ofMinutes(20),
                Duration.ofMinutes(20).plusSeconds(20));

        // a calibration of sensor 2 brings it in line; the alarm clears once they agreed as long as it took to raise
        agent.execute(() -> agent.calibrate(new CalibrationCommand("cal-1", 2, -7.0, null, null, null, false)));
        scheduler.advance(Duration.ofMinutes(19));
        assertThat(events(HumidityAlarmCleared.class)).isEmpty();
        scheduler.advance(Duration.ofMinutes(2));
        assertThat(events(HumidityAlarmCleared.class)).extracting(HumidityAlarmCleared::kind)
                .containsExactly(AlarmKind.SENSOR_DIVERGENCE);
    }

    @Test
    void aCalibrationFromAStationIsAnsweredKeptAcrossARestartAndResetToTheConfigFile() {
        SensorSettings fromFile = new SensorSettings(Calibration.offsets(1, 0), null, null, Calibration.NONE, 5, 30);
        air1.set(72.0, 25);
        start(config(fromFile), false);
        agent.execute(() -> agent.calibrate(new CalibrationCommand("cal-1", 1, null, 72.0, null, null, false)));
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(events(CommandResult.class)).extracting(CommandResult::commandId, CommandResult::command,
                CommandResult::accepted).contains(org.assertj.core.groups.Tuple.tuple("cal-1",
                        CommandKind.CALIBRATION, true));
        CalibrationApplied applied = events(CalibrationApplied.class).get(0);
        assertThat(applied.calibration()).isEqualTo(new Calibration(1, 3.3, 0));
        assertThat(lastHumidity().humidityPct()).isCloseTo(75.3, within(0.1));

        restart(config(fromFile), false);
        assertThat(agent.calibration(1)).isEqualTo(new Calibration(1, 3.3, 0));

        agent.execute(() -> agent.calibrate(new CalibrationCommand("cal-2", 1, null, null, null, null, true)));
        scheduler.runDue();
        assertThat(agent.calibration(1)).isEqualTo(Calibration.offsets(1, 0));
        // after a reset the config file counts again, also when it changed
        SensorSettings edited = new SensorSettings(Calibration.offsets(2, 0), null, null, Calibration.NONE, 5, 30);
        restart(config(edited), false);
        assertThat(agent.calibration(1)).isEqualTo(Calibration.offsets(2, 0));
    }

    @Test
    void refusesToCalibrateASecondSensorThatIsNotThere() {
        start(config(SensorSettings.ONE), false);
        agent.execute(() -> agent.calibrate(new CalibrationCommand("cal-9", 2, 1.0, null, null, null, false)));
        scheduler.runDue();

        CommandResult result = events(CommandResult.class).get(0);
        assertThat(result.accepted()).isFalse();
        assertThat(result.reason()).isEqualTo("this agent has one sensor; a second one needs sensor2.address in its"
                + " config");
        assertThat(events(CalibrationApplied.class)).isEmpty();
    }

    /**
     * The simulation's second sensor drifts 2 %RH a day: past the 5 %RH margin after about 2.5 days, the alarm 30
     * min later. Sensor noise and the terrarium's own swings (both sensors see them alike) may move it a little.
     */
    @Test
    void theSimulatedSecondSensorDriftsIntoADivergenceAlarm() {
        scheduler = new VirtualScheduler(MORNING);
        Simulation simulation = new Simulation(scheduler, RULES.timeZone(), 80, 42, null, 2);
        store = ResilientEventStore.open(dir.resolve("sim.db"), "sim");
        agent = new Agent(config(two()), scheduler, new Sht30(simulation.sensor(), scheduler),
                new Sht30(simulation.sensor2(), scheduler), simulation.valve(), store, "test");
        agent.start();
        scheduler.runDue();

        scheduler.advance(Duration.ofDays(3));

        List<HumidityAlarm> alarms = events(HumidityAlarm.class).stream()
                .filter(a -> a.kind() == AlarmKind.SENSOR_DIVERGENCE).collect(Collectors.toList());
        assertThat(alarms).hasSize(1);
        double days = Duration.between(MORNING, alarms.get(0).at()).toMinutes() / 1440.0;
        System.out.printf("divergence alarm after %.3f simulated days (drift 2 %%RH/day, margin 5 %%RH, 30 min)%n",
                days);
        assertThat(days).isBetween(2.4, 2.65);
        assertThat(events(ModeChanged.class)).isEmpty();
    }
}
