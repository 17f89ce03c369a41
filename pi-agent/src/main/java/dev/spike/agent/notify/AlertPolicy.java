package dev.spike.agent.notify;

import dev.spike.model.Checks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What to tell the keeper, and when, as a pure function: {@code (state, input, now) -> (new state, notifications)}.
 * No I/O, no clock reads, no threads; {@code Alerts} feeds it on the agent thread and hands the notifications to
 * the dispatcher, which delivers them.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>An alarm raised is told at once ({@link Notification.State#RAISED}), unless this alarm was already told
 *       within the last reminder period ({@code notify.remindEveryH}): then the raise is held back. A flapping sensor
 *       (down, up, down...) so makes at most one "raised" message per alarm per period.</li>
 *   <li>An alarm cleared is told at once ({@link Notification.State#CLEARED}) if the keeper was told it was raised;
 *       the clear of a held-back raise is held back too. So each told raise gets exactly one told clear.</li>
 *   <li>Once a period has passed since the last raised message of an alarm that flapped meanwhile, one summary
 *       tells where it stands now and how often it was raised since. Without flapping, an alarm still active after a
 *       period gets a {@link Notification.State#REMINDER}.</li>
 *   <li>A notice (a restart after an unclean stop) follows the same budget: a crash loop makes one message per
 *       period and a summary of how many more there were.</li>
 * </ul>
 * Per alarm and period that is at most one raised, reminder or summary message, plus the one clear that answers a
 * told raise.
 *
 * <p>A clock stepped back (NTP after a boot without RTC) makes a period look longer, never shorter: it can delay
 * a reminder, never repeat a message.
 */
public final class AlertPolicy {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ROOT);

    private final String agentId;
    private final ZoneId zone;
    private final Duration remindEvery;

    /**
     * @param zone        the zone times are written in (the rules' time zone)
     * @param remindEvery the reminder period, also the flapping limit
     */
    public AlertPolicy(String agentId, ZoneId zone, Duration remindEvery) {
        this.agentId = Checks.agentId("agentId", agentId);
        this.zone = Objects.requireNonNull(zone, "zone");
        if (remindEvery.isNegative() || remindEvery.isZero()) {
            throw new IllegalArgumentException("remindEvery must be > 0, was " + remindEvery);
        }
        this.remindEvery = remindEvery;
    }

    /** What a message says, in parts; the policy adds the times, reminders and flapping counts. */
    public record Description(String headline, String detail, String doing, String check) {
        public Description {
            Checks.text("headline", headline, 200);
        }
    }

    /** What the shell feeds the policy. */
    public sealed interface Input {
        /** An alarm began at {@code since}; a repeat of an active alarm is ignored. */
        record Raised(Subject subject, Instant since, Description description) implements Input {
        }

        /** An alarm ended at {@code at}; the clear of an alarm that is not active is ignored. */
        record Cleared(Subject subject, Instant at, Description description) implements Input {
        }

        /** A one-off that happened at {@code at}, such as a restart after an unclean stop. */
        record Notice(Subject subject, Instant at, Description description) implements Input {
        }

        /** Time passed: reminders and summaries fall due. */
        record Tick() implements Input {
        }
    }

    /**
     * What the policy remembers of one subject; kept in the outbox so that a restart neither repeats nor forgets.
     *
     * @param active      the alarm is raised now
     * @param since       when it was raised or cleared last (or the last notice)
     * @param description the latest description of that change
     * @param toldAt      when the last raised, reminder, summary or notice message went out; null if never
     * @param toldActive  the keeper's last word on it was "raised" (or a reminder): a clear is owed
     * @param held        raises (or notices) held back since {@code toldAt}
     * @param heldSince   when the first of those happened; null when none
     */
    public record Track(boolean active, Instant since, Description description, Instant toldAt, boolean toldActive,
            int held, Instant heldSince) {

        static final Track NEVER = new Track(false, null, null, null, false, 0, null);
    }

    /** Every subject's track; subjects never seen are absent. */
    public record State(Map<Subject, Track> tracks) {
        public static final State EMPTY = new State(Map.of());

        public State {
            tracks = tracks.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(tracks));
        }

        public Track track(Subject subject) {
            return tracks.getOrDefault(subject, Track.NEVER);
        }

        /** Whether any alarm is raised now: the heartbeat pings {@code /fail} then. */
        public boolean anyActive() {
            return tracks.entrySet().stream().anyMatch(e -> e.getKey().isAlarm() && e.getValue().active());
        }

        State with(Subject subject, Track track) {
            Map<Subject, Track> next = new EnumMap<>(Subject.class);
            next.putAll(tracks);
            next.put(subject, track);
            return new State(next);
        }
    }

    /** The new state and the messages to send, in order. */
    public record Outcome(State state, List<Notification> notifications) {
        public Outcome {
            notifications = List.copyOf(notifications);
        }
    }

    public Outcome apply(State state, Input input, Instant now) {
        List<Notification> out = new ArrayList<>();
        State next = state;
        if (input instanceof Input.Raised) {
            Input.Raised raised = (Input.Raised) input;
            next = raise(state, raised.subject(), raised.since(), raised.description(), now, out);
        } else if (input instanceof Input.Cleared) {
            Input.Cleared cleared = (Input.Cleared) input;
            next = clear(state, cleared.subject(), cleared.at(), cleared.description(), now, out);
        } else if (input instanceof Input.Notice) {
            Input.Notice notice = (Input.Notice) input;
            next = notice(state, notice.subject(), notice.at(), notice.description(), now, out);
        } else {
            for (Subject subject : Subject.values()) {
                next = tick(next, subject, now, out);
            }
        }
        return new Outcome(next, out);
    }

    private State raise(State state, Subject subject, Instant since, Description description, Instant now,
            List<Notification> out) {
        Track t = state.track(subject);
        if (t.active()) {
            return state;
        }
        if (budgetFree(t, now)) {
            out.add(message(subject, Notification.State.RAISED, subject.priority(), now, since,
                    raisedText(description, since, now)));
            return state.with(subject, new Track(true, since, description, now, true, 0, null));
        }
        return state.with(subject, new Track(true, since, description, t.toldAt(), t.toldActive(), t.held() + 1,
                t.heldSince() == null ? since : t.heldSince()));
    }

    private State clear(State state, Subject subject, Instant at, Description description, Instant now,
            List<Notification> out) {
        Track t = state.track(subject);
        if (!t.active()) {
            return state;
        }
        if (t.toldActive()) {
            out.add(message(subject, Notification.State.CLEARED, Notification.Priority.DEFAULT, now, at,
                    clearedText(description, at, now)));
        }
        return state.with(subject, new Track(false, at, description, t.toldAt(), false, t.held(), t.heldSince()));
    }

    private State notice(State state, Subject subject, Instant at, Description description, Instant now,
            List<Notification> out) {
        Track t = state.track(subject);
        if (budgetFree(t, now)) {
            out.add(message(subject, Notification.State.NOTICE, subject.priority(), now, at,
                    noticeText(description, at, now)));
            return state.with(subject, new Track(false, at, description, now, false, 0, null));
        }
        return state.with(subject, new Track(false, at, description, t.toldAt(), false, t.held() + 1,
                t.heldSince() == null ? at : t.heldSince()));
    }

    private State tick(State state, Subject subject, Instant now, List<Notification> out) {
        Track t = state.track(subject);
        if (t.toldAt() == null || !budgetFree(t, now)) {
            return state;
        }
        if (t.held() > 0) {
            String flapped = (t.held() == 1 ? "Once more" : t.held() + " more times") + " since "
                    + time(t.heldSince(), now) + " (held back to one message per " + hours(remindEvery) + "). ";
            Notification.State kind;
            String text;
            if (!subject.isAlarm()) {
                kind = Notification.State.NOTICE;
                text = flapped + "Latest: " + noticeText(t.description(), t.since(), now);
            } else if (t.active()) {
                kind = Notification.State.RAISED;
                text = flapped + "Now: " + raisedText(t.description(), t.since(), now);
            } else {
                kind = Notification.State.CLEARED;
                text = flapped + "Now: " + clearedText(t.description(), t.since(), now);
            }
            out.add(message(subject, kind, kind == Notification.State.CLEARED ? Notification.Priority.DEFAULT
                    : subject.priority(), now, t.since(), text));
            return state.with(subject, new Track(t.active(), t.since(), t.description(), now,
                    t.active() && subject.isAlarm(), 0, null));
        }
        if (t.active() && t.toldActive()) {
            out.add(message(subject, Notification.State.REMINDER, subject.priority(), now, t.since(),
                    "Still: " + raisedText(t.description(), t.since(), now) + " Next reminder in "
                            + hours(remindEvery) + " unless it clears."));
            return state.with(subject, new Track(true, t.since(), t.description(), now, true, 0, null));
        }
        return state;
    }

    /** No raised-side message of this subject within the last period (a clock stepped back counts as "not yet"). */
    private boolean budgetFree(Track t, Instant now) {
        return t.toldAt() == null || !now.isBefore(t.toldAt().plus(remindEvery));
    }

    private Notification message(Subject subject, Notification.State state, Notification.Priority priority,
            Instant now, Instant since, String text) {
        String title = "Spike " + agentId + ": " + subject.label()
                + (state == Notification.State.CLEARED ? " is over" : state == Notification.State.REMINDER
                ? " (reminder)" : "");
        return new Notification(Notification.idOf(agentId, now, subject, state), agentId, subject, state, priority,
                now, since, title, text);
    }

    private String raisedText(Description d, Instant since, Instant now) {
        return text(d, " since ", since, now);
    }

    private String noticeText(Description d, Instant at, Instant now) {
        return text(d, " at ", at, now);
    }

    private String text(Description d, String word, Instant since, Instant now) {
        StringBuilder text = new StringBuilder(d.headline()).append(word).append(time(since, now));
        if (d.doing() != null) {
            text.append(": ").append(d.doing());
        }
        text.append('.');
        if (d.detail() != null) {
            text.append(' ').append(d.detail()).append('.');
        }
        if (d.check() != null) {
            text.append(" Check first: ").append(d.check()).append('.');
        }
        return text.toString();
    }

    private String clearedText(Description d, Instant at, Instant now) {
        StringBuilder text = new StringBuilder(d.headline()).append(" since ").append(time(at, now));
        if (d.detail() != null) {
            text.append(" (").append(d.detail()).append(')');
        }
        if (d.doing() != null) {
            text.append(": ").append(d.doing());
        }
        return text.append('.').toString();
    }

    /** 14:02 on the same local day as {@code now}, else with the day: Mon 1 Jun 14:02. */
    String time(Instant at, Instant now) {
        ZonedDateTime local = at.atZone(zone);
        boolean sameDay = local.toLocalDate().equals(now.atZone(zone).toLocalDate());
        return (sameDay ? TIME : DAY_TIME).format(local);
    }

    private static String hours(Duration d) {
        long h = d.toHours();
        return h >= 1 && d.equals(Duration.ofHours(h)) ? h + " h" : d.toMinutes() + " min";
    }
}
