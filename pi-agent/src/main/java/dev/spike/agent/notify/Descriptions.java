package dev.spike.agent.notify;

import dev.spike.agent.notify.AlertPolicy.Description;
import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import dev.spike.model.Rules;
import java.time.Duration;

/**
 * The words of each message: what happened, what the agent does about it, what to check first. Pure; the rules in
 * force give the numbers ("spraying 6 s every 6 h until it answers").
 */
final class Descriptions {

    private Descriptions() {
    }

    static Description sensorDown(Rules rules, String lastError) {
        return new Description("Sensor down",
                lastError == null ? null : "Last error: " + clip(lastError),
                "spraying " + rules.sprayDurationS() + " s every " + rules.sensorDownSprayEveryH()
                        + " h until it answers",
                "the sensor's cable and plug at the Pi, then run `spike-agent doctor` on the Pi");
    }

    static Description sensorBack(Duration downFor) {
        return new Description("Sensor answers again", downFor == null ? null : "down for " + duration(downFor),
                "back to normal control", null);
    }

    static Description alarm(AlarmKind kind, Double humidityPct, String message, Rules rules) {
        String reading = humidityPct == null ? "" : " (" + Checks.plain(humidityPct) + " %RH)";
        String low = Checks.plain(rules.lowHumidityPct()) + " %"
                + (rules.program().isEmpty() ? "" : " (program: " + rules.program().describe() + ")");
        switch (kind) {
            case LOW:
                return new Description("Humidity low" + reading, capital(message),
                        "spraying " + rules.sprayDurationS() + " s whenever it is below " + low + " and "
                                + rules.minIntervalMin() + " min have passed since the last spray",
                        "the water tank, the nozzle and the hose; then the lid and the ventilation");
            case HIGH:
                return new Description("Humidity high" + reading, capital(message),
                        "no spraying while it is above " + low,
                        "the ventilation, a valve that drips or is stuck open, and condensation on the sensor");
            case NO_EFFECT:
                return new Description("Spraying has no effect" + reading, capital(message),
                        "spraying on by the rules; this clears with the first spray that raises the humidity",
                        "the water tank (empty?), then the nozzle and the hose");
            case SENSOR_FAILED:
                return new Description("One sensor failed" + reading, capital(message),
                        "spraying by the other sensor alone; sensor-down mode only if it fails too",
                        "the failed sensor's cable and connector, then the sensor itself (humidity kills them)");
            case SENSOR_DIVERGENCE:
                return new Description("Sensors disagree" + reading, capital(message),
                        "spraying by the mean of both",
                        "both sensors in a salt pack (75 % over table salt), then calibrate the one that is off");
            default:
                return new Description("Valve budget used up", capital(message),
                        "the valve refuses to open until its hourly budget frees up; manual sprays are refused too",
                        "for a leak or a valve stuck open, then the spray duration and how often it sprayed by hand");
        }
    }

    static Description alarmCleared(AlarmKind kind, Double humidityPct) {
        String reading = humidityPct == null ? null : "now " + Checks.plain(humidityPct) + " %RH";
        switch (kind) {
            case LOW:
                return new Description("Humidity back above the low alarm", reading, "normal control", null);
            case HIGH:
                return new Description("Humidity back below the high alarm", reading, "normal control", null);
            case NO_EFFECT:
                return new Description("Spraying works again", reading, "normal control", null);
            case SENSOR_FAILED:
                return new Description("Both sensors read again", reading, "spraying by both sensors", null);
            case SENSOR_DIVERGENCE:
                return new Description("Sensors agree again", reading, "spraying by both sensors", null);
            default:
                return new Description("Valve budget free again", reading, "the valve opens again by the rules",
                        null);
        }
    }

    static Description storeFailing(String error) {
        return new Description("Event store failing", "Error: " + clip(error),
                "control goes on; events wait in memory and are lost if the agent stops before the disk works",
                "free space on the SD card (df -h on the data directory), then the card itself");
    }

    static Description storeBack() {
        return new Description("Event store writes again", null, "the events kept in memory are on disk", null);
    }

    static Description uncleanRestart(String lastSignOfLife) {
        return new Description("Restarted after an unclean stop",
                lastSignOfLife == null ? null : "Last sign of life before it: " + lastSignOfLife
                        + " (a power cut, a crash, a kill or the watchdog)",
                "the valve was closed at start and control goes on",
                "`journalctl -u spike-agent -b -1` (the boot before) and `journalctl -u spike-agent`, and the power"
                        + " supply");
    }

    static Description test(String target) {
        return new Description("Test message from spike-agent notify-test", "Sent through " + target,
                "nothing: this only checks that alerts reach you", null);
    }

    static String duration(Duration d) {
        long minutes = d.toMinutes();
        if (minutes < 1) {
            return d.toSeconds() + " s";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return (minutes / 60) + " h " + (minutes % 60) + " min";
    }

    private static String capital(String text) {
        return text == null || text.isEmpty() ? null : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String clip(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
