package dev.spike.station.spray;

/**
 * Where a manual spray stands; {@code name().toLowerCase()} makes a CSS pseudo-class.
 *
 * <pre>
 *  IDLE ──spray()──▶ PENDING ──command_result accepted──▶ ACCEPTED ──valve_opened──▶ OPEN ──valve_closed──▶ DONE
 *                     │  │                                   │                      ▲
 *                     │  │                                   └──────────────────────┤ (valve_opened may come first)
 *                     │  └─command_result rejected──▶ REJECTED (with the agent's reason)
 *                     ├─not sent (disconnected)────▶ FAILED
 *                     └─no valve_opened within 5 s─▶ UNCONFIRMED (a station alarm too) ──late valve_opened──▶ OPEN
 * </pre>
 *
 * PENDING, ACCEPTED and OPEN block another spray; the others allow one.
 */
public enum SprayProgress {
    IDLE, PENDING, ACCEPTED, OPEN, DONE, REJECTED, FAILED, UNCONFIRMED;

    /** Whether a spray is under way, so another one must wait. */
    public boolean busy() {
        return this == PENDING || this == ACCEPTED || this == OPEN;
    }
}
