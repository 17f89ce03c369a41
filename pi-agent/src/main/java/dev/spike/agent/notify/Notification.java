package dev.spike.agent.notify;

import dev.spike.model.Checks;
import dev.spike.model.WireName;
import java.time.Instant;

/**
 * One message to the keeper, as every notifier gets it. The {@code id} is stable across retries and restarts, so a
 * receiver can drop the rare repeat (a crash between the server's answer and the agent's record of it).
 *
 * @param id      unique per agent: {@code <agentId>-<epochMillis>-<subject>-<state>}
 * @param state   raised, cleared, reminder or notice
 * @param at      when the agent decided to notify (agent time)
 * @param since   when the condition began (raised, reminder), ended (cleared) or happened (notice)
 * @param title   one line, ASCII: {@code Spike terrarium: sensor down}
 * @param text    what happened, since when, what the agent does about it, what to check first
 */
public record Notification(String id, String agentId, Subject subject, State state, Priority priority, Instant at,
        Instant since, String title, String text) {

    public Notification {
        Checks.text("id", id, 200);
        Checks.agentId("agentId", agentId);
        Checks.notNull("subject", subject);
        Checks.notNull("state", state);
        Checks.notNull("priority", priority);
        Checks.notNull("at", at);
        Checks.notNull("since", since);
        Checks.text("title", title, 200);
        Checks.text("text", text, 4000);
    }

    /** The id the policy gives a notification: the same inputs give the same id. */
    static String idOf(String agentId, Instant at, Subject subject, State state) {
        return agentId + "-" + at.toEpochMilli() + "-" + subject.wire() + "-" + state.wire();
    }

    /** Where the alarm stands, in the webhook's {@code state} field. */
    public enum State implements WireName {
        RAISED("raised"),
        CLEARED("cleared"),
        REMINDER("reminder"),
        /** A one-off: a restart after an unclean stop, a test message. */
        NOTICE("notice");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    /** ntfy's priority names; e-mail and the webhook carry the name too. */
    public enum Priority implements WireName {
        URGENT("urgent"),
        HIGH("high"),
        DEFAULT("default");

        private final String wire;

        Priority(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }
}
