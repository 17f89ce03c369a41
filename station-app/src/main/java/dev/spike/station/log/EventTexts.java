package dev.spike.station.log;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.CommandKind;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.SprayTrigger;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Every word the station says about events, readings and times, in one place: the event log, the dashboard and the
 * alarm list all format through here, so "72.4 %" and "23 s ago" look the same everywhere.
 *
 * <p>Times are shown in the zone given (the station's, from its clock). Immutable and thread-safe.
 */
public final class EventTexts {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE_HH_MM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final ZoneId zone;

    public EventTexts(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** What happened, for a person, without context. */
    public String describe(Event event) {
        return describe(event, null);
    }

    /**
     * What happened and why, for a person: "sprayed 6 s: humidity 72.4 % < 75 %", "skipped: cooldown until 14:32",
     * "sensor error: CRC mismatch on humidity word".
     *
     * @param context for a {@code valve_opened} of reason {@code low_humidity}, the {@code low_humidity} event that
     *                led to it, or null when unknown
     */
    public String describe(Event event, Event context) {
        switch (event.type()) {
            case AGENT_STARTED:
                return "agent started (version " + ((AgentStarted) event).version() + ")";
            case HUMIDITY_CHANGED:
                return "humidity " + percent(((HumidityChanged) event).humidityPct())
                        + humiditySensors((HumidityChanged) event);
            case TEMPERATURE_CHANGED:
                return "temperature " + celsius(((TemperatureChanged) event).temperatureC())
                        + temperatureSensors((TemperatureChanged) event);
            case LOW_HUMIDITY: {
                LowHumidity low = (LowHumidity) event;
                return "humidity " + percent(low.humidityPct()) + " < " + threshold(low.thresholdPct());
            }
            case VALVE_OPENED:
                return sprayed((ValveOpened) event, context);
            case VALVE_CLOSED:
                return "valve closed after " + seconds(((ValveClosed) event).openMs());
            case SPRAY_SKIPPED: {
                SpraySkipped skipped = (SpraySkipped) event;
                return skippedPrefix(skipped.trigger()) + skipped.reason();
            }
            case SENSOR_ERROR: {
                SensorError error = (SensorError) event;
                return "sensor error: " + error.error() + (error.consecutiveFailures() > 1
                        ? " (" + error.consecutiveFailures() + " failures in a row)" : "");
            }
            case SENSOR_RECOVERED:
                return "sensor recovered after " + age(Duration.ofSeconds(((SensorRecovered) event).downForS()))
                        + " down";
            case MODE_CHANGED:
                return ((ModeChanged) event).mode() == Mode.SENSOR_DOWN
                        ? "sensor down: spraying on the fallback schedule"
                        : "back to normal: sprays follow the humidity";
            case HUMIDITY_ALARM: {
                HumidityAlarm alarm = (HumidityAlarm) event;
                return alarmName(alarm.kind()) + " alarm: " + alarm.message();
            }
            case HUMIDITY_ALARM_CLEARED:
                return alarmName(((HumidityAlarmCleared) event).kind()) + " alarm cleared";
            case COMMAND_RESULT: {
                CommandResult result = (CommandResult) event;
                String what = commandName(result.command()) + " command " + result.commandId();
                return result.accepted() ? what + " accepted" : what + " rejected: " + result.reason();
            }
            case CONFIG_APPLIED:
                return "rules applied: " + rules(((ConfigApplied) event).rules());
            case CALIBRATION_APPLIED: {
                CalibrationApplied applied = (CalibrationApplied) event;
                return "sensor " + applied.sensorNumber() + (applied.reset()
                        ? " calibration back to the config file's: " : " calibrated: ")
                        + applied.calibration().describe();
            }
            default:
                return event.type().wire();
        }
    }

    /**
     * " (sensor 1 76.2 %, raw 74.7 %; sensor 2 74.0 %)": each sensor's value when there are two, or when the value
     * was calibrated; nothing for one uncalibrated sensor (or an agent that predates the fields).
     */
    private static String humiditySensors(HumidityChanged e) {
        return sensors(e.humidity1Pct(), e.rawHumidity1Pct(), e.humidity2Pct(), e.rawHumidity2Pct(),
                EventTexts::percent);
    }

    private static String temperatureSensors(TemperatureChanged e) {
        return sensors(e.temperature1C(), e.rawTemperature1C(), e.temperature2C(), e.rawTemperature2C(),
                EventTexts::celsius);
    }

    private static String sensors(Double value1, Double raw1, Double value2, Double raw2,
            DoubleFunction<String> format) {
        if (value1 == null && raw1 == null && value2 == null && raw2 == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        parts.add(sensor(1, value1, raw1, format));
        if (value2 != null || raw2 != null || value1 == null) {
            parts.add(sensor(2, value2, raw2, format));
        }
        return " (" + String.join("; ", parts) + ")";
    }

    private static String sensor(int number, Double value, Double raw, DoubleFunction<String> format) {
        if (value == null) {
            return "sensor " + number + " failed";
        }
        String text = "sensor " + number + " " + format.apply(value);
        return raw == null || raw.equals(value) ? text : text + ", raw " + format.apply(raw);
    }

    private String sprayed(ValveOpened opened, Event context) {
        String head = "sprayed " + opened.durationS() + " s: ";
        switch (opened.reason()) {
            case LOW_HUMIDITY:
                if (context instanceof LowHumidity) {
                    LowHumidity low = (LowHumidity) context;
                    return head + "humidity " + percent(low.humidityPct()) + " < " + threshold(low.thresholdPct());
                }
                return head + "humidity below the threshold";
            case SENSOR_DOWN:
                return head + "fallback spray, the sensor is down";
            case EVENING:
                return head + "evening spray";
            case MANUAL:
                return head + "manual spray" + (opened.commandId() == null ? "" : " (" + opened.commandId() + ")");
            default:
                return head + opened.reason().wire();
        }
    }

    private static String skippedPrefix(SprayTrigger trigger) {
        switch (trigger) {
            case EVENING:
                return "skipped evening spray: ";
            case SENSOR_DOWN:
                return "skipped fallback spray: ";
            default:
                return "skipped: ";
        }
    }

    /**
     * A short summary of rules: "spray below 75 % for 6 s, cooldown 10 min, evening 20:00 (Europe/Berlin), ...",
     * ending with the day/night program when there is one: "; program 22:00–07:00 85 % (cooldown 20 min)".
     */
    public static String rules(Rules rules) {
        return "spray below " + threshold(rules.lowHumidityPct()) + " for " + rules.sprayDurationS()
                + " s, cooldown " + rules.minIntervalMin() + " min, evening " + rules.eveningTime().format(HH_MM)
                + " (" + rules.timeZone().getId() + "), at most " + rules.maxSprayS() + " s, alarms below "
                + threshold(rules.alarmLowPct()) + " / above " + threshold(rules.alarmHighPct())
                + (rules.program().isEmpty() ? "" : "; program " + rules.program().describe());
    }

    /** "valve opened" for {@code valve_opened}: the type as words. */
    public static String typeName(EventType type) {
        return type.wire().replace('_', ' ');
    }

    /** "low humidity", "high humidity", "no effect", "runaway". */
    public static String alarmName(AlarmKind kind) {
        switch (kind) {
            case LOW:
                return "low humidity";
            case HIGH:
                return "high humidity";
            case NO_EFFECT:
                return "spray without effect";
            case RUNAWAY:
                return "runaway valve";
            case SENSOR_FAILED:
                return "sensor failed";
            case SENSOR_DIVERGENCE:
                return "sensors disagree";
            default:
                return kind.wire();
        }
    }

    public static String commandName(CommandKind kind) {
        return kind == CommandKind.SIM_SET ? "simulation" : kind.wire();
    }

    /** "low humidity", "evening", "sensor down", "manual". */
    public static String reasonName(SprayReason reason) {
        return reason.wire().replace('_', ' ');
    }

    // ------------------------------------------------------------------------------------------ numbers

    /** A reading: one decimal, "72.4 %". */
    public static String percent(double pct) {
        return String.format(Locale.ROOT, "%.1f %%", pct);
    }

    /** A threshold as a person set it: "75 %", "72.5 %". */
    public static String threshold(double pct) {
        return Checks.plain(pct) + " %";
    }

    /** "27.4 °C". */
    public static String celsius(double c) {
        return String.format(Locale.ROOT, "%.1f °C", c);
    }

    /** "6.0 s" from milliseconds. */
    public static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** "24.0 GB", "64 MB", "512 kB", "12 B": decimal units, as disks are sold. */
    public static String bytes(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%d MB", Math.round(bytes / 1e6));
        }
        if (bytes >= 1_000L) {
            return String.format(Locale.ROOT, "%d kB", Math.round(bytes / 1e3));
        }
        return bytes + " B";
    }

    // ------------------------------------------------------------------------------------------ times

    /** "14:32" in the station's zone. */
    public String time(Instant at) {
        return HH_MM.format(at.atZone(zone));
    }

    /** "2026-05-01 14:32:05": for log rows. */
    public String dateTime(Instant at) {
        return DATE_TIME.format(at.atZone(zone));
    }

    /** "14:32" if {@code at} is on the same local day as {@code now}, else "2026-04-30 14:32". */
    public String clockTime(Instant at, Instant now) {
        LocalDate day = at.atZone(zone).toLocalDate();
        return day.equals(now.atZone(zone).toLocalDate()) ? time(at) : DATE_HH_MM.format(at.atZone(zone));
    }

    /** A duration for a person: "0 s", "23 s", "5 min", "3 h 12 min", "2 d 4 h". Negative counts as 0. */
    public static String age(Duration duration) {
        long s = Math.max(0, duration.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        long min = s / 60;
        if (min < 60) {
            return min + " min";
        }
        long h = min / 60;
        if (h < 24) {
            return h + " h" + (min % 60 == 0 ? "" : " " + (min % 60) + " min");
        }
        long d = h / 24;
        return d + " d" + (h % 24 == 0 ? "" : " " + (h % 24) + " h");
    }

    /** "23 s ago"; "just now" under a second (also when clocks disagree a little and {@code then} is ahead). */
    public static String ago(Instant then, Instant now) {
        Duration duration = Duration.between(then, now);
        return duration.getSeconds() < 1 ? "just now" : age(duration) + " ago";
    }

    /** "in 5 min"; "now" when due. */
    public static String until(Instant then, Instant now) {
        Duration duration = Duration.between(now, then);
        return duration.getSeconds() < 1 ? "now" : "in " + age(duration);
    }
}
