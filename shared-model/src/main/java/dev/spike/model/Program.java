package dev.spike.model;

import static dev.spike.model.Checks.notNull;
import static dev.spike.model.Checks.range;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A day program: periods of the day, local time in the rules' zone, in which another spray threshold (and
 * optionally another cooldown) holds than the rules' own {@code lowHumidityPct} and {@code minIntervalMin}, such as
 * 85 % from 22:00 to 07:00. Outside every period the rules' own values hold, so {@link #NONE} changes nothing.
 * Periods may wrap midnight and may not overlap; each is {@code [from, to)}.
 *
 * @param periods at most {@value #MAX_PERIODS}, in the order given
 */
public record Program(List<Period> periods) {

    /** Enough for night, morning, midday and evening with room to spare; bounds the rules' size on the wire. */
    public static final int MAX_PERIODS = 8;

    /** No periods: the rules' own threshold and cooldown all day. */
    public static final Program NONE = new Program(List.of());

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    public Program {
        notNull("program", periods);
        if (periods.size() > MAX_PERIODS) {
            throw new InvalidFieldException("program", "must have at most " + MAX_PERIODS + " periods, was "
                    + periods.size());
        }
        for (int i = 0; i < periods.size(); i++) {
            notNull("program[" + i + "]", periods.get(i));
        }
        periods = List.copyOf(periods);
        for (int i = 0; i < periods.size(); i++) {
            for (int j = i + 1; j < periods.size(); j++) {
                if (periods.get(i).overlaps(periods.get(j))) {
                    throw new InvalidFieldException("program[" + j + "]", "must not overlap program[" + i + "] ("
                            + periods.get(i).span() + "), was " + periods.get(j).span());
                }
            }
        }
    }

    public static Program of(Period... periods) {
        return new Program(List.of(periods));
    }

    public boolean isEmpty() {
        return periods.isEmpty();
    }

    /** The period in force at a local time of day, if any. */
    public Optional<Period> periodAt(LocalTime time) {
        return periods.stream().filter(period -> period.contains(time)).findFirst();
    }

    /** The period in force at an instant, read in {@code zone}, if any. */
    public Optional<Period> periodAt(Instant at, ZoneId zone) {
        return isEmpty() ? Optional.empty() : periodAt(at.atZone(zone).toLocalTime());
    }

    /** For a person: "22:00–07:00 85 % (cooldown 20 min), 12:00–15:00 65 %"; "none" without periods. */
    public String describe() {
        if (isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Period period : periods) {
            text.append(text.length() == 0 ? "" : ", ").append(period.describe());
        }
        return text.toString();
    }

    /**
     * The instants in {@code (from, to]} at which a period begins or ends, in order: where a threshold drawn over
     * time steps. A local time that a DST gap skips moves forward by the gap, as {@link ZonedDateTime#of} does.
     */
    public List<Instant> changesBetween(Instant from, Instant to, ZoneId zone) {
        List<Instant> changes = new ArrayList<>();
        if (isEmpty() || !to.isAfter(from)) {
            return changes;
        }
        LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            List<Instant> ofDay = new ArrayList<>();
            for (Period period : periods) {
                ofDay.add(ZonedDateTime.of(day, period.from(), zone).toInstant());
                ofDay.add(ZonedDateTime.of(day, period.to(), zone).toInstant());
            }
            ofDay.sort(null);
            for (Instant change : ofDay) {
                if (change.isAfter(from) && !change.isAfter(to)
                        && (changes.isEmpty() || !changes.get(changes.size() - 1).equals(change))) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    /**
     * One period of a program.
     *
     * @param from           local time it begins, whole minutes
     * @param to             local time it ends (exclusive), whole minutes; before {@code from} when it wraps midnight
     * @param lowHumidityPct the spray threshold in the period, in %RH
     * @param minIntervalMin the cooldown after a spray made in the period, in minutes; null for the rules' own
     */
    public record Period(LocalTime from, LocalTime to, double lowHumidityPct, Integer minIntervalMin) {

        public Period {
            wholeMinutes("from", from);
            wholeMinutes("to", to);
            if (from.equals(to)) {
                throw new InvalidFieldException("to", "must differ from from (" + from.format(HH_MM)
                        + "); without a program the rules' own threshold holds all day, was " + to.format(HH_MM));
            }
            range("lowHumidityPct", lowHumidityPct, 1, 99);
            if (minIntervalMin != null) {
                range("minIntervalMin", minIntervalMin.intValue(), 1, 24 * 60);
            }
        }

        public boolean contains(LocalTime time) {
            return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
                    : !time.isBefore(from) || time.isBefore(to);
        }

        boolean overlaps(Period other) {
            return contains(other.from) || other.contains(from);
        }

        /** "22:00–07:00 85 % (cooldown 20 min)", or without the cooldown when the period keeps the rules' own. */
        public String describe() {
            return span() + " " + Checks.plain(lowHumidityPct) + " %"
                    + (minIntervalMin == null ? "" : " (cooldown " + minIntervalMin + " min)");
        }

        /** "22:00–07:00", for messages and texts. */
        public String span() {
            return from.format(HH_MM) + "–" + to.format(HH_MM);
        }

        private static void wholeMinutes(String field, LocalTime time) {
            notNull(field, time);
            if (time.getSecond() != 0 || time.getNano() != 0) {
                throw new InvalidFieldException(field, "must be whole minutes (HH:mm), was " + time);
            }
        }
    }
}
