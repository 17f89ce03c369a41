package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A press whose id carries its time is carried out for 30 s after it, never later (CommandHandler.lateness). */
class PressExpiryTest {

    static final Instant NOW = Instant.parse("2026-05-01T18:00:00Z");
    static final long NOW_MS = NOW.toEpochMilli();

    @Test
    void aPressUpTo30sOldIsCarriedOut() {
        assertThat(CommandHandler.lateness("ha-" + NOW_MS, NOW)).isEmpty();
        assertThat(CommandHandler.lateness("ha-" + (NOW_MS - 30_000), NOW)).isEmpty();
    }

    @Test
    void rejectsAPressMoreThan30sOld() {
        assertThat(CommandHandler.lateness("ha-" + (NOW_MS - 30_001), NOW)).hasValue(
                "expired: pressed at 2026-05-01T17:59:29.999Z, 30.0 s ago, more than 30 s; a late press never sprays"
                        + " (was the agent away?)");
        assertThat(CommandHandler.lateness("ha-" + (NOW_MS - 3_600_000), NOW)).isPresent();
    }

    @Test
    void aPressFromAClockAheadOfTheAgentsIsCarriedOut() {
        assertThat(CommandHandler.lateness("ha-" + (NOW_MS + 120_000), NOW)).isEmpty();
    }

    @Test
    void idsThatCarryNoTimeNeverExpireHere() {
        for (String id : new String[] {"spray-8b1c", "ha-press-45", "ha-12345", "ha-" + NOW_MS + "x",
            "x-ha-" + NOW_MS}) {
            assertThat(CommandHandler.lateness(id, NOW.plusSeconds(86_400))).as(id).isEmpty();
        }
    }
}
