package dev.spike.station.alarms;

import dev.spike.station.agents.Presence;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AlarmRecord.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alarms the station raises itself, as a pure function like the agent's spray rules:
 * {@code (state, input, now) -> (state, raise/clear)}. No I/O, no clock, no threads; {@link AlarmTracker} is the thin
 * shell that feeds it and stores what it decides.
 *
 * <table>
 *   <caption>station alarms</caption>
 *   <tr><th>key</th><th>raised (on a tick)</th><th>cleared</th></tr>
 *   <tr><td>{@code offline}</td><td>the agent's status says offline for {@link #OFFLINE_AFTER}, as seen by the
 *       station</td><td>status online</td></tr>
 *   <tr><td>{@code no_reading}</td><td>an online agent's newest reading is stale by {@link Presence#stale}
 *       (since it came online, if later) on the agent's clock ({@link ClockSkew})</td><td>a fresh reading</td></tr>
 *   <tr><td>{@code spray_unconfirmed:<id>}</td><td>no answer {@link #SPRAY_CONFIRM_TIMEOUT} after the station sent
 *       a manual spray; once</td><td>a late {@code valve_opened} for it</td></tr>
 * </table>
 *
 * While the station is disconnected it cannot see agents come and go: offline and no-reading checks pause, and
 * their timers restart on reconnect.
 */
public final class StationAlarmPolicy {

    public static final Duration OFFLINE_AFTER = Duration.ofSeconds(120);
    public static final Duration SPRAY_CONFIRM_TIMEOUT = Duration.ofSeconds(5);
    /** How long a sent spray is remembered, so a late {@code valve_opened} still clears its alarm. */
    public static final Duration EXPECTATION_KEPT = Duration.ofMinutes(10);

    private StationAlarmPolicy() {
    }

    /**
     * What the station knows of one agent. Null: not known yet.
     *
     * @param offlineSince  station time
     * @param onlineSince   station time
     * @param readingAt     agent time
     * @param skew          the agent's clock minus the station's, as {@code AgentClock} reports it (zero: none known)
     */
    public record Watch(Boolean online, Instant offlineSince, Instant onlineSince, Instant readingAt,
                        Integer readIntervalS, Duration skew) {
        static final Watch UNKNOWN = new Watch(null, null, null, null, null, Duration.ZERO);

        /** Now on the agent's clock at the station's {@code now}. */
        Instant agentNow(Instant now) {
            return now.plus(skew);
        }
    }

    /** A manual spray waiting for its {@code valve_opened}. */
    public record Expectation(String agentId, String commandId, int durationS, Instant sentAt, boolean raised) {
    }

    /** Immutable; {@link #initial} to start. */
    public record State(boolean connected, Map<String, Watch> watches, Map<String, Expectation> expectations) {

        public State {
            watches = Map.copyOf(watches);
            expectations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expectations));
        }

        public static State initial(boolean connected) {
            return new State(connected, Map.of(), Map.of());
        }

        public Watch watch(String agentId) {
            return watches.getOrDefault(agentId, Watch.UNKNOWN);
        }
    }

    /** What happened. */
    public sealed interface Input permits Connection, StatusSeen, ReadingSeen, ReadInterval, ClockSkew,
            SprayExpected, SprayAnswered, Tick {
    }

    public record Connection(boolean connected) implements Input {
    }

    public record StatusSeen(String agentId, boolean online) implements Input {
    }

    public record ReadingSeen(String agentId, Instant at) implements Input {
    }

    public record ReadInterval(String agentId, int seconds) implements Input {
    }

    /** The agent's clock is {@code skew} ahead of the station's (negative: behind), as its messages tell. */
    public record ClockSkew(String agentId, Duration skew) implements Input {
    }

    public record SprayExpected(String agentId, String commandId, int durationS, Instant sentAt) implements Input {
    }

    /** A {@code valve_opened} for the command ({@code opened}), or its rejection. */
    public record SprayAnswered(String agentId, String commandId, boolean opened, Instant at) implements Input {
    }

    /** Once a second: the time-based checks. */
    public record Tick() implements Input {
    }

    /** What to do. */
    public sealed interface Decision permits Raise, Clear {
    }

    public record Raise(String agentId, String key, Severity severity, String message) implements Decision {
    }

    public record Clear(String agentId, String key, Instant at) implements Decision {
    }

    public record Result(State state, List<Decision> decisions) {
    }

    /**
     * @param texts for the messages' clock times (its zone)
     */
    public static Result decide(State state, Input input, Instant now, EventTexts texts) {
        Map<String, Watch> watches = new HashMap<>(state.watches());
        Map<String, Expectation> expectations = new LinkedHashMap<>(state.expectations());
        List<Decision> decisions = new ArrayList<>();
        boolean connected = state.connected();
        if (input instanceof Connection) {
            boolean nowConnected = ((Connection) input).connected();
            if (nowConnected && !connected) {
                // the station could not see the agents come and go: their timers restart
                watches.replaceAll((id, w) -> new Watch(w.online(),
                        Boolean.FALSE.equals(w.online()) ? now : w.offlineSince(),
                        Boolean.TRUE.equals(w.online()) ? now : w.onlineSince(), w.readingAt(), w.readIntervalS(),
                        w.skew()));
            }
            connected = nowConnected;
        } else if (input instanceof StatusSeen) {
            StatusSeen seen = (StatusSeen) input;
            Watch w = state.watch(seen.agentId());
            if (seen.online()) {
                watches.put(seen.agentId(), new Watch(true, null,
                        Boolean.TRUE.equals(w.online()) ? w.onlineSince() : now, w.readingAt(), w.readIntervalS(),
                        w.skew()));
                decisions.add(new Clear(seen.agentId(), "offline", now));
            } else {
                watches.put(seen.agentId(), new Watch(false, w.offlineSince() == null ? now : w.offlineSince(),
                        w.onlineSince(), w.readingAt(), w.readIntervalS(), w.skew()));
            }
        } else if (input instanceof ReadingSeen) {
            ReadingSeen seen = (ReadingSeen) input;
            Watch w = state.watch(seen.agentId());
            Instant newest = w.readingAt() == null || seen.at().isAfter(w.readingAt()) ? seen.at() : w.readingAt();
            watches.put(seen.agentId(), new Watch(w.online(), w.offlineSince(), w.onlineSince(), newest,
                    w.readIntervalS(), w.skew()));
            if (w.readIntervalS() == null || !Presence.stale(newest, w.readIntervalS(), w.agentNow(now))) {
                decisions.add(new Clear(seen.agentId(), "no_reading", seen.at()));
            }
        } else if (input instanceof ReadInterval) {
            ReadInterval interval = (ReadInterval) input;
            Watch w = state.watch(interval.agentId());
            watches.put(interval.agentId(), new Watch(w.online(), w.offlineSince(), w.onlineSince(), w.readingAt(),
                    interval.seconds(), w.skew()));
        } else if (input instanceof ClockSkew) {
            ClockSkew clock = (ClockSkew) input;
            Watch w = state.watch(clock.agentId());
            watches.put(clock.agentId(), new Watch(w.online(), w.offlineSince(), w.onlineSince(), w.readingAt(),
                    w.readIntervalS(), clock.skew()));
        } else if (input instanceof SprayExpected) {
            SprayExpected sent = (SprayExpected) input;
            expectations.put(sent.commandId(), new Expectation(sent.agentId(), sent.commandId(), sent.durationS(),
                    sent.sentAt(), false));
        } else if (input instanceof SprayAnswered) {
            SprayAnswered answer = (SprayAnswered) input;
            expectations.remove(answer.commandId());
            if (answer.opened()) {
                decisions.add(new Clear(answer.agentId(), "spray_unconfirmed:" + answer.commandId(), answer.at()));
            }
        } else if (input instanceof Tick) {
            if (connected) {
                checkAgents(watches, now, texts, decisions);
            }
            checkSprays(expectations, now, decisions);
        }
        return new Result(new State(connected, watches, expectations), decisions);
    }

    private static void checkAgents(Map<String, Watch> watches, Instant now, EventTexts texts,
                                    List<Decision> decisions) {
        for (Map.Entry<String, Watch> entry : watches.entrySet()) {
            String agentId = entry.getKey();
            Watch w = entry.getValue();
            if (Boolean.FALSE.equals(w.online()) && w.offlineSince() != null
                    && !now.isBefore(w.offlineSince().plus(OFFLINE_AFTER))) {
                decisions.add(new Raise(agentId, "offline", Severity.CRITICAL, agentId + " is offline since "
                        + texts.clockTime(w.offlineSince(), now)
                        + ": no readings, no sprays seen, commands do not reach it"));
            }
            if (Boolean.TRUE.equals(w.online()) && w.readIntervalS() != null) {
                // the reading's time is the agent's: compared with now on the agent's clock, a skewed agent neither
                // raises this alarm with fresh readings nor hides a silent sensor
                Instant agentNow = w.agentNow(now);
                Instant since = later(w.readingAt(), w.onlineSince() == null ? null : w.onlineSince().plus(w.skew()));
                if (since != null && Presence.stale(since, w.readIntervalS(), agentNow)) {
                    decisions.add(new Raise(agentId, "no_reading", Severity.WARNING, "no reading from " + agentId
                            + " since " + texts.clockTime(since, agentNow) + " (expected every " + w.readIntervalS()
                            + " s)"));
                }
            }
        }
    }

    private static void checkSprays(Map<String, Expectation> expectations, Instant now, List<Decision> decisions) {
        for (Expectation e : List.copyOf(expectations.values())) {
            if (now.isBefore(e.sentAt().plus(SPRAY_CONFIRM_TIMEOUT))) {
                continue;
            }
            if (!e.raised()) {
                decisions.add(new Raise(e.agentId(), "spray_unconfirmed:" + e.commandId(), Severity.WARNING,
                        "manual spray of " + e.durationS() + " s on " + e.agentId() + " not confirmed within "
                                + SPRAY_CONFIRM_TIMEOUT.toSeconds() + " s (no valve_opened for " + e.commandId()
                                + ")"));
                expectations.put(e.commandId(), new Expectation(e.agentId(), e.commandId(), e.durationS(),
                        e.sentAt(), true));
            }
            if (!now.isBefore(e.sentAt().plus(EXPECTATION_KEPT))) {
                expectations.remove(e.commandId());
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
