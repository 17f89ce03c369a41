package dev.spike.station.app;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the station's tables write a moment: "Tue 5 May 18:15:02", in the desktop's zone. */
final class TimeTexts {

    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("EEE d MMM HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    private TimeTexts() {
    }

    static String moment(Instant at, ZoneId zone) {
        return at == null ? "" : MOMENT.format(at.atZone(zone));
    }

    static String clock(Instant at, ZoneId zone) {
        return at == null ? "" : CLOCK.format(at.atZone(zone));
    }
}
