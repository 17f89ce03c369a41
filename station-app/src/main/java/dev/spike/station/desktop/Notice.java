package dev.spike.station.desktop;

import java.util.Objects;

/**
 * One desktop notification about an alarm.
 *
 * @param alarmId  the stored alarm's id, so a click can bring the station to it; 0 for a summary of several alarms
 * @param title    "Spike: terrarium-1"
 * @param body     the alarm's message
 * @param critical the alarm is critical (the notification stays until dismissed where the desktop allows it)
 */
public record Notice(long alarmId, String title, String body, boolean critical) {

    public Notice {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
    }
}
