package dev.spike.model.codec;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.RulesPatch;
import dev.spike.model.SensorFault;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.Status;
import dev.spike.model.TankLevel;
import dev.spike.model.command.CalibrationCommand;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.RulesCommand;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.command.SimSetCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.CalibrationApplied;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityAlarmCleared;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.LowHumidity;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One example of every message of protocol v1, each with the topic it travels on and its golden file's name. */
final class Samples {

    static final String AGENT = "terrarium-1";
    static final Instant AT = Instant.parse("2026-05-01T18:00:00Z");
    static final Rules RULES = Rules.defaults(ZoneId.of("Europe/Berlin"));
    static final Program.Period NIGHT = new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20);
    static final Program.Period MIDDAY = new Program.Period(LocalTime.of(12, 0), LocalTime.of(15, 0), 65, null);

    record Sample(String name, Topic topic, Object message) {
    }

    private Samples() {
    }

    static List<Event> events() {
        return List.of(
                new AgentStarted(AGENT, 1, AT, "0.1.0"),
                new HumidityChanged(AGENT, 2, AT.plusSeconds(10), 74.2),
                new TemperatureChanged(AGENT, 3, AT.plusSeconds(10), 27.35),
                new LowHumidity(AGENT, 4, AT.plusSeconds(10), 74.2, 75),
                new ValveOpened(AGENT, 5, AT.plusSeconds(10), 6, SprayReason.LOW_HUMIDITY, null),
                new ValveClosed(AGENT, 6, AT.plusSeconds(16), 6003),
                new SpraySkipped(AGENT, 7, AT.plusSeconds(120), SprayTrigger.LOW_HUMIDITY,
                        "cooldown until 18:10", AT.plusSeconds(600)),
                new SensorError(AGENT, 8, AT.plusSeconds(130), "CRC mismatch on humidity word", 1),
                new SensorRecovered(AGENT, 9, AT.plusSeconds(3600), 3400),
                new ModeChanged(AGENT, 10, AT.plusSeconds(200), Mode.SENSOR_DOWN),
                new HumidityAlarm(AGENT, 11, AT.plusSeconds(900), AlarmKind.LOW, 58.5,
                        "humidity below 60 % for 15 min"),
                new HumidityAlarmCleared(AGENT, 12, AT.plusSeconds(1200), AlarmKind.LOW),
                new CommandResult(AGENT, 13, AT.plusSeconds(1300), "spray-7f3a", CommandKind.SPRAY, false,
                        "durationS must be 1..30, was 45"),
                new ConfigApplied(AGENT, 14, AT.plusSeconds(1400), RULES),
                new CalibrationApplied(AGENT, 20, AT.plusSeconds(2000), 2, 1.0193, -1.05, 0.3, "calibration-3", false));
    }

    static Map<String, Sample> all() {
        Map<String, Sample> all = new LinkedHashMap<>();
        for (Event event : events()) {
            String name = "event-" + event.type().wire();
            all.put(name, new Sample(name, Topic.event(AGENT, event.type()), event));
        }
        ValveOpened manual = new ValveOpened(AGENT, 15, AT.plusSeconds(1500), 10, SprayReason.MANUAL,
                "spray-8b1c");
        put(all, "event-valve_opened-manual", Topic.event(AGENT, EventType.VALVE_OPENED), manual);
        put(all, "event-humidity_changed-sensors", Topic.event(AGENT, EventType.HUMIDITY_CHANGED),
                new HumidityChanged(AGENT, 16, AT.plusSeconds(1600), 75.1, 76.2, 74.7, 74.0, 73.6));
        put(all, "event-temperature_changed-sensors", Topic.event(AGENT, EventType.TEMPERATURE_CHANGED),
                new TemperatureChanged(AGENT, 17, AT.plusSeconds(1600), 27.3, 27.4, 27.4, 27.2, 26.9));
        put(all, "event-humidity_alarm-sensor_failed", Topic.event(AGENT, EventType.HUMIDITY_ALARM),
                new HumidityAlarm(AGENT, 18, AT.plusSeconds(1700), AlarmKind.SENSOR_FAILED, 74.5,
                        "sensor 2 (0x45 on bus 1) failed 3 reads in a row (no acknowledge from SHT30 at 0x45);"
                                + " the rules use sensor 1 (0x44 on bus 1) alone until it reads again"));
        put(all, "status-online", Topic.status(AGENT), new Status(true, AT, "0.1.0", false));
        put(all, "status-offline", Topic.status(AGENT), new Status(false, AT.plusSeconds(60), "0.1.0", false));
        put(all, "state", Topic.state(AGENT), new AgentState(AT.plusSeconds(16), 6, 86.1, 27.4,
                AT.plusSeconds(10), false, null, Mode.NORMAL, AT.plusSeconds(10), SprayReason.LOW_HUMIDITY,
                AT.plusSeconds(610), AT.plusSeconds(86_400),
                SprayReason.EVENING, List.of()));
        put(all, "health", Topic.health(AGENT), new Health(AT, "0.1.0", 86_400, 48.3, 0.12,
                4_026_531_840L, 3_221_225_472L, 25_769_803_776L, 21_000_000L, 67_108_864L, 1_310_720L, 0, null));
        put(all, "config", Topic.config(AGENT), new ConfigSnapshot(AT, RULES));
        put(all, "config-program", Topic.config(AGENT),
                new ConfigSnapshot(AT, RULES.withLowHumidityPct(70).withProgram(Program.of(NIGHT))));
        put(all, "cmd-spray", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_SPRAY),
                new SprayCommand("spray-8b1c", 10));
        put(all, "cmd-config", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_CONFIG),
                new ConfigCommand("config-2", RULES.withLowHumidityPct(72.5)));
        put(all, "cmd-rules", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_RULES),
                new RulesCommand("ha-1777658400000", new RulesPatch(72.5, null, null, null, null, null, null, null,
                        null, null, null, null)));
        put(all, "cmd-rules-program", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_RULES),
                new RulesCommand("rules-3", new RulesPatch(null, null, null, null, null, null, null, null, null, null,
                        null, null, Program.of(NIGHT, MIDDAY))));
        put(all, "cmd-history", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_HISTORY),
                new HistoryRequest("history-1", 1, 1000));
        put(all, "sim-set", Topic.of(AGENT, dev.spike.model.topic.TopicKind.SIM_SET),
                new SimSetCommand("sim-1", SensorFault.ABSENT, TankLevel.FULL));
        put(all, "sim-set-sensor2", Topic.of(AGENT, dev.spike.model.topic.TopicKind.SIM_SET),
                new SimSetCommand("sim-2", SensorFault.NACK, null, 2));
        put(all, "cmd-calibration", Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_CALIBRATION),
                new CalibrationCommand("calibration-3", 2, null, 74.9, 33.5, 0.3, false));
        put(all, "history-page", Topic.reply(AGENT, "station-4f2a"),
                new HistoryPage("history-1", AGENT, events().subList(0, 3), true));
        return all;
    }

    private static void put(Map<String, Sample> all, String name, Topic topic, Object message) {
        all.put(name, new Sample(name, topic, message));
    }
}
