package dev.spike.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * A Pi has no real-time clock: it boots with the time it was shut down at, and NTP steps the clock forward later,
 * while the agent runs. The sensor could not have been read during a step, so the step alone must not make it
 * stale.
 */
class ClockForwardTest {

    static final Rules RULES = Rules.defaults(ZoneId.of("Europe/Berlin"));
    static final Instant MORNING = Instant.parse("2026-06-01T08:00:00Z");

    @Test
    void aStepForwardDoesNotPutAHealthySensorInSensorDownMode() {
        PolicyDriver d = new PolicyDriver(RULES, MORNING).run(Duration.ofMinutes(5), 80.0);

        d.after(Duration.ofHours(2)).tick().run(Duration.ofMinutes(5), 80.0);

        assertThat(d.count(EventType.SENSOR_ERROR)).isZero();
        assertThat(d.count(EventType.MODE_CHANGED)).isZero();
        assertThat(d.state.mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void aSensorSilentAfterTheStepIsStaleThreeIntervalsLater() {
        PolicyDriver d = new PolicyDriver(RULES, MORNING).run(Duration.ofMinutes(5), 80.0);

        d.after(Duration.ofHours(2)).tick().run(Duration.ofSeconds(29), null);
        assertThat(d.state.mode()).isEqualTo(Mode.NORMAL);
        d.run(Duration.ofSeconds(1), null);

        assertThat(d.state.mode()).isEqualTo(Mode.SENSOR_DOWN);
        assertThat(d.count(EventType.SENSOR_ERROR)).isEqualTo(1);
    }
}
