package dev.spike.model;

import java.time.Instant;

/**
 * The agent's presence, retained on {@code status}. The broker publishes the offline form as the agent's will.
 *
 * @param simulated true for an agent started with {@code --simulate}; a station offers the simulation panel only then
 */
public record Status(boolean online, Instant at, String version, boolean simulated) {

    public Status {
        Checks.notNull("at", at);
        Checks.text("version", version, 64);
    }
}
