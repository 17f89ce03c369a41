package dev.spike.agent.store;

import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.event.AgentStarted;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Events as the agent would append them: seq 1 as a placeholder (the store assigns the real one). */
final class TestEvents {

    static final String AGENT = "terrarium-1";
    /** Sub-millisecond on purpose: the at column keeps milliseconds, the payload must keep the rest. */
    static final Instant T0 = Instant.parse("2026-05-01T18:00:00.123456789Z");

    private TestEvents() {
    }

    /** One event of {@code type} at {@code at}; every type of protocol v1 has a case. */
    static Event sample(EventType type, Instant at) {
        switch (type) {
            case AGENT_STARTED:
                return new AgentStarted(AGENT, 1, at, "0.1.0");
            case HUMIDITY_CHANGED:
                return humidity(at, 74.2);
            case TEMPERATURE_CHANGED:
                return new TemperatureChanged(AGENT, 1, at, 27.35);
            case LOW_HUMIDITY:
                return new LowHumidity(AGENT, 1, at, 74.2, 75);
            case VALVE_OPENED:
                return new ValveOpened(AGENT, 1, at, 6, SprayReason.MANUAL, "spray-7f3a");
            case VALVE_CLOSED:
                return new ValveClosed(AGENT, 1, at, 6003);
            case SPRAY_SKIPPED:
                return new SpraySkipped(AGENT, 1, at, SprayTrigger.EVENING, "sprayed 20 min ago",
                        at.plusSeconds(600));
            case SENSOR_ERROR:
                return new SensorError(AGENT, 1, at, "CRC mismatch on humidity word", 2);
            case SENSOR_RECOVERED:
                return new SensorRecovered(AGENT, 1, at, 340);
            case MODE_CHANGED:
                return new ModeChanged(AGENT, 1, at, Mode.SENSOR_DOWN);
            case HUMIDITY_ALARM:
                return new HumidityAlarm(AGENT, 1, at, AlarmKind.LOW, 58.5, "humidity below 60 % for 15 min");
            case HUMIDITY_ALARM_CLEARED:
                return new HumidityAlarmCleared(AGENT, 1, at, AlarmKind.LOW);
            case COMMAND_RESULT:
                return new CommandResult(AGENT, 1, at, "spray-7f3a", CommandKind.SPRAY, false,
                        "durationS must be 1..30, was 45");
            case CONFIG_APPLIED:
                return new ConfigApplied(AGENT, 1, at, Rules.defaults(ZoneId.of("Europe/Berlin")));
            case CALIBRATION_APPLIED:
                return new dev.spike.model.event.CalibrationApplied(AGENT, 1, at, 2, 1.0193, -1.05, 0.3,
                        "calibration-3", false);
            default:
                throw new IllegalArgumentException("no sample for " + type);
        }
    }

    /** One event of every type, ten seconds apart. */
    static List<Event> oneOfEach() {
        List<Event> events = new ArrayList<>();
        Instant at = T0;
        for (EventType type : EventType.values()) {
            events.add(sample(type, at));
            at = at.plusSeconds(10);
        }
        return events;
    }

    static HumidityChanged humidity(Instant at, double pct) {
        return new HumidityChanged(AGENT, 1, at, pct);
    }

    static ValveOpened valveOpened(Instant at) {
        return new ValveOpened(AGENT, 1, at, 6, SprayReason.LOW_HUMIDITY, null);
    }

    /**
     * Caps the database at its current size, so the next appends fail with a real SQLITE_FULL once the free room
     * in its last pages is used up: a full disk that works the same for root, whom chmod does not stop.
     */
    static void fillDisk(EventStore store) throws SQLException {
        try (Statement s = store.connection().createStatement()) {
            s.execute("PRAGMA max_page_count = 1");
        }
    }

    /** Undoes {@link #fillDisk}. */
    static void freeDisk(EventStore store) throws SQLException {
        try (Statement s = store.connection().createStatement()) {
            s.execute("PRAGMA max_page_count = 1073741823");
        }
    }
}
