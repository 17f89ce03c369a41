package dev.spike.station.connection;

/**
 * Where a command (rules, simulation) stands; {@code name().toLowerCase()} makes a CSS pseudo-class.
 *
 * <pre>
 *  IDLE ──send──▶ PENDING ──command_result accepted──▶ ACCEPTED
 *                   │  │  └─command_result rejected──▶ REJECTED (with the agent's reason)
 *                   │  └─not sent (disconnected)────▶ FAILED
 *                   └─no answer within 10 s─────────▶ NO_ANSWER ──late answer──▶ ACCEPTED / REJECTED
 * </pre>
 *
 * Every state but PENDING allows a new command.
 */
public enum CommandState {
    IDLE, PENDING, ACCEPTED, REJECTED, FAILED, NO_ANSWER
}
