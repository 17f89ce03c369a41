package dev.spike.model.rules;

import dev.spike.model.Mode;
import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SpraySkipped;
import dev.spike.model.event.ValveOpened;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a period of decisions adds up to, for comparing the rules in force with proposed ones: the same sums over the
 * agent's recorded events and over a {@link Replay}'s.
 *
 * @param sprays        valve openings by reason
 * @param skips         {@code spray_skipped} events
 * @param sensorDown    time in sensor-down mode within the period
 * @param valveOpenS    planned open time of all sprays (a spray cut short by a restart counts whole)
 * @param belowAlarmLow time the recorded humidity was below {@code alarmLowPct}: from each reading below it to the
 *                      next reading, at most {@link #READING_SPAN} (a sensor outage is not counted)
 */
public record ReplaySummary(Map<SprayReason, Integer> sprays, int skips, Duration sensorDown, long valveOpenS,
        Duration belowAlarmLow) {

    /** The longest time one reading stands for. */
    public static final Duration READING_SPAN = Duration.ofMinutes(1);

    public ReplaySummary {
        EnumMap<SprayReason, Integer> copy = new EnumMap<>(SprayReason.class);
        copy.putAll(sprays);
        sprays = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(sensorDown, "sensorDown");
        Objects.requireNonNull(belowAlarmLow, "belowAlarmLow");
    }

    /** All sprays, whatever the reason. */
    public int totalSprays() {
        return sprays.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int sprays(SprayReason reason) {
        return sprays.getOrDefault(reason, 0);
    }

    /**
     * Sums {@code decisions} (events in order; readings in it are ignored) and {@code readings} (in time order) over
     * {@code from..to}.
     *
     * @param modeAtStart the mode at {@code from}
     */
    public static ReplaySummary of(List<Event> decisions, List<HumidityChanged> readings, Mode modeAtStart,
            double alarmLowPct, Instant from, Instant to) {
        Map<SprayReason, Integer> sprays = new EnumMap<>(SprayReason.class);
        int skips = 0;
        long openS = 0;
        Duration down = Duration.ZERO;
        Instant downSince = modeAtStart == Mode.SENSOR_DOWN ? from : null;
        for (Event event : decisions) {
            Instant at = event.at();
            if (at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            if (event instanceof ValveOpened) {
                ValveOpened opened = (ValveOpened) event;
                sprays.merge(opened.reason(), 1, Integer::sum);
                openS += opened.durationS();
            } else if (event instanceof SpraySkipped) {
                skips++;
            } else if (event instanceof ModeChanged) {
                if (((ModeChanged) event).mode() == Mode.SENSOR_DOWN) {
                    downSince = downSince == null ? at : downSince;
                } else if (downSince != null) {
                    down = down.plus(positive(Duration.between(downSince, at)));
                    downSince = null;
                }
            }
        }
        if (downSince != null) {
            down = down.plus(positive(Duration.between(downSince, to)));
        }
        return new ReplaySummary(sprays, skips, down, openS, belowAlarmLow(readings, alarmLowPct, from, to));
    }

    private static Duration belowAlarmLow(List<HumidityChanged> readings, double alarmLowPct, Instant from,
            Instant to) {
        long ms = 0;
        for (int i = 0; i < readings.size(); i++) {
            HumidityChanged reading = readings.get(i);
            if (reading.humidityPct() >= alarmLowPct || reading.at().isBefore(from) || reading.at().isAfter(to)) {
                continue;
            }
            Instant until = i + 1 < readings.size() ? readings.get(i + 1).at() : to;
            long span = Math.min(READING_SPAN.toMillis(), Duration.between(reading.at(), until).toMillis());
            ms += Math.max(0, span);
        }
        return Duration.ofMillis(ms);
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
