package dev.spike.station.store;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
import dev.spike.model.Status;
import dev.spike.model.event.CommandResult;
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
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Protocol messages of the agent {@value #AGENT}, short to write in tests. */
public final class TestEvents {

    public static final String AGENT = "terrarium-1";
    public static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    public static final Rules RULES = Rules.defaults(ZoneId.of("UTC"));

    private TestEvents() {
    }

    public static HumidityChanged humidity(long seq, Instant at, double pct) {
        return new HumidityChanged(AGENT, seq, at, pct);
    }

    public static TemperatureChanged temperature(long seq, Instant at, double c) {
        return new TemperatureChanged(AGENT, seq, at, c);
    }

    public static LowHumidity low(long seq, Instant at, double pct, double threshold) {
        return new LowHumidity(AGENT, seq, at, pct, threshold);
    }

    public static ValveOpened opened(long seq, Instant at, int durationS, SprayReason reason, String commandId) {
        return new ValveOpened(AGENT, seq, at, durationS, reason, commandId);
    }

    public static ValveClosed closed(long seq, Instant at, long openMs) {
        return new ValveClosed(AGENT, seq, at, openMs);
    }

    public static SpraySkipped skipped(long seq, Instant at, String reason) {
        return new SpraySkipped(AGENT, seq, at, SprayTrigger.LOW_HUMIDITY, reason, null);
    }

    public static SensorError sensorError(long seq, Instant at, String error, int failures) {
        return new SensorError(AGENT, seq, at, error, failures);
    }

    public static SensorRecovered recovered(long seq, Instant at, long downForS) {
        return new SensorRecovered(AGENT, seq, at, downForS);
    }

    public static ModeChanged mode(long seq, Instant at, Mode mode) {
        return new ModeChanged(AGENT, seq, at, mode);
    }

    public static HumidityAlarm alarm(long seq, Instant at, AlarmKind kind, String message) {
        return new HumidityAlarm(AGENT, seq, at, kind, 58.5, message);
    }

    public static HumidityAlarmCleared alarmCleared(long seq, Instant at, AlarmKind kind) {
        return new HumidityAlarmCleared(AGENT, seq, at, kind);
    }

    public static CommandResult result(long seq, Instant at, String commandId, CommandKind kind, boolean accepted,
            String reason) {
        return new CommandResult(AGENT, seq, at, commandId, kind, accepted, reason);
    }

    public static Status online(Instant at) {
        return new Status(true, at, "0.1.0", false);
    }

    public static Status onlineSimulated(Instant at) {
        return new Status(true, at, "0.1.0", true);
    }

    public static Status offline(Instant at) {
        return new Status(false, at, "0.1.0", false);
    }

    public static ConfigSnapshot config(Instant at, Rules rules) {
        return new ConfigSnapshot(at, rules);
    }

    public static Health health(Instant at) {
        return new Health(at, "0.1.0", 86_400, 48.3, 0.12, 4_026_531_840L, 3_221_225_472L, 25_769_803_776L,
                21_000_000, 67_108_864, 1_310_720, 0, null);
    }

    /** A state with nothing to say but its time and last seq; change it with the builder. */
    public static StateBuilder state(Instant at, long lastSeq) {
        return new StateBuilder(at, lastSeq);
    }

    /** Builds an {@link AgentState}: normal mode, valve closed, no reading, no alarms unless set. */
    public static final class StateBuilder {
        private final Instant at;
        private final long lastSeq;
        private Double humidity;
        private Double temperature;
        private Instant readingAt;
        private boolean valveOpen;
        private Instant valveCloseAt;
        private Mode mode = Mode.NORMAL;
        private Instant lastSprayAt;
        private SprayReason lastSprayReason;
        private Instant cooldownUntil;
        private Instant nextSprayAt;
        private SprayReason nextSprayReason;
        private final List<AlarmKind> alarms = new ArrayList<>();

        StateBuilder(Instant at, long lastSeq) {
            this.at = at;
            this.lastSeq = lastSeq;
        }

        public StateBuilder reading(double pct, double c, Instant when) {
            humidity = pct;
            temperature = c;
            readingAt = when;
            return this;
        }

        public StateBuilder valveOpenUntil(Instant closeAt) {
            valveOpen = true;
            valveCloseAt = closeAt;
            return this;
        }

        public StateBuilder mode(Mode value) {
            mode = value;
            return this;
        }

        public StateBuilder lastSpray(Instant when, SprayReason reason) {
            lastSprayAt = when;
            lastSprayReason = reason;
            return this;
        }

        public StateBuilder cooldownUntil(Instant until) {
            cooldownUntil = until;
            return this;
        }

        public StateBuilder nextSpray(Instant when, SprayReason reason) {
            nextSprayAt = when;
            nextSprayReason = reason;
            return this;
        }

        public StateBuilder alarm(AlarmKind kind) {
            alarms.add(kind);
            return this;
        }

        public AgentState build() {
            return new AgentState(at, lastSeq, humidity, temperature, readingAt, valveOpen, valveCloseAt, mode,
                    lastSprayAt, lastSprayReason, cooldownUntil, nextSprayAt, nextSprayReason, alarms);
        }
    }
}
