package dev.spike.station.desktop;

import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.AlarmRecord.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which alarms deserve a desktop notification: the spray rules' shape, (state, input) -> (state, notices), no I/O.
 *
 * <p>A notification goes out for each alarm that is new since the last look, still active and not acknowledged,
 * while the person is away from the window (it is not focused, or it is minimised) and has not turned notifications
 * off. The alarms already listed at the first look are not new: they are on screen when the window opens. More than
 * {@value #MAX_SINGLE} new alarms at once (a broker outage takes every agent offline together) make one notice that
 * counts them, so a screen of bubbles never buries the desktop.
 *
 * <p>The state remembers the alarm ids of the last look, so it holds no more than the alarm list does.
 */
public final class DesktopAlerts {

    static final int MAX_SINGLE = 3;

    private DesktopAlerts() {
    }

    /** Whether the person is looking at the station. */
    public enum Window {
        /** Focused and not minimised: the alarm list says it all. */
        IN_FRONT,
        /** Behind another window, or minimised. */
        AWAY
    }

    /**
     * What the last look saw.
     *
     * @param seen   the alarm ids listed then
     * @param primed a first look happened
     */
    public record State(Set<Long> seen, boolean primed) {

        public State {
            seen = Set.copyOf(seen);
        }

        public static State initial() {
            return new State(Set.of(), false);
        }
    }

    /** The next state and the notices to show, oldest alarm first. */
    public record Outcome(State state, List<Notice> notices) {

        public Outcome {
            notices = List.copyOf(notices);
        }
    }

    /**
     * @param state   the previous outcome's state
     * @param alarms  the station's alarm list as it is now (any order)
     * @param window  where the person is
     * @param enabled the person's setting
     */
    public static Outcome decide(State state, List<AlarmRecord> alarms, Window window, boolean enabled) {
        Set<Long> listed = new HashSet<>();
        List<AlarmRecord> fresh = new ArrayList<>();
        for (AlarmRecord alarm : alarms) {
            listed.add(alarm.id());
            if (state.primed() && !state.seen().contains(alarm.id()) && alarm.active() && !alarm.acknowledged()) {
                fresh.add(alarm);
            }
        }
        State next = new State(listed, true);
        if (!enabled || window == Window.IN_FRONT || fresh.isEmpty()) {
            return new Outcome(next, List.of());
        }
        fresh.sort((a, b) -> a.raisedAt().compareTo(b.raisedAt()));
        if (fresh.size() > MAX_SINGLE) {
            return new Outcome(next, List.of(summary(fresh)));
        }
        List<Notice> notices = new ArrayList<>(fresh.size());
        for (AlarmRecord alarm : fresh) {
            notices.add(new Notice(alarm.id(), "Spike: " + alarm.agentId(), alarm.message(),
                    alarm.severity() == Severity.CRITICAL));
        }
        return new Outcome(next, notices);
    }

    private static Notice summary(List<AlarmRecord> fresh) {
        Set<String> agents = new TreeSet<>();
        boolean critical = false;
        for (AlarmRecord alarm : fresh) {
            agents.add(alarm.agentId());
            critical |= alarm.severity() == Severity.CRITICAL;
        }
        String where = agents.size() == 1 ? agents.iterator().next() : agents.size() + " agents";
        AlarmRecord newest = fresh.get(fresh.size() - 1);
        return new Notice(0, "Spike: " + fresh.size() + " new alarms (" + where + ")",
                "Latest: " + newest.agentId() + ", " + newest.message(), critical);
    }
}
