package dev.spike.model;

import java.time.Instant;

/** The rules in force, retained on {@code config} at start and after every change. */
public record ConfigSnapshot(Instant at, Rules rules) {

    public ConfigSnapshot {
        Checks.notNull("at", at);
        Checks.notNull("rules", rules);
    }
}
