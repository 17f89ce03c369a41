package dev.spike.station.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentClockTest {

    private static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");

    @Test
    void withoutObservationsTheAgentsClockIsTheStations() {
        AgentClock clock = new AgentClock();

        assertThat(clock.now(T0)).isEqualTo(T0);
        assertThat(clock.notable()).isFalse();
    }

    @Test
    void anAgentTwoHoursAheadReadsTwoHoursAheadDespiteDeliveryDelays() {
        AgentClock clock = new AgentClock();
        clock.observe(T0.plus(Duration.ofHours(2)), T0.plusMillis(300));
        clock.observe(T0.plus(Duration.ofHours(2)).plusSeconds(10), T0.plusSeconds(10).plusMillis(20));

        assertThat(clock.now(T0.plusSeconds(20))).isEqualTo(T0.plus(Duration.ofHours(2)).plusSeconds(20)
                .minusMillis(20));
        assertThat(clock.notable()).isTrue();
    }

    @Test
    void aSimulatedAgentAtSixtyTimesIsFollowedAsItRunsAhead() {
        AgentClock clock = new AgentClock();
        for (int s = 0; s <= 10; s++) {
            // x60: a minute of agent time per second of station time
            clock.observe(T0.plus(Duration.ofMinutes(s)), T0.plusSeconds(s));
        }

        assertThat(clock.skew()).isEqualTo(Duration.ofMinutes(10).minusSeconds(10));
    }

    @Test
    void anOldQueuedMessageDoesNotPullTheClockBack() {
        AgentClock clock = new AgentClock();
        clock.observe(T0.plus(Duration.ofHours(2)), T0);
        clock.observe(T0.plus(Duration.ofHours(1)), T0.plusSeconds(1));

        assertThat(clock.skew()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aClockSteppedBackIsFollowedOnceTheLargerOffsetIsOlderThanTheWindow() {
        AgentClock clock = new AgentClock();
        clock.observe(T0.plus(Duration.ofHours(2)), T0);
        Instant later = T0.plus(AgentClock.WINDOW).plusSeconds(1);
        clock.observe(later.plusSeconds(1), later);

        assertThat(clock.skew()).isZero();
        assertThat(clock.now(later)).isEqualTo(later);
    }

    @Test
    void aSkewWithinAMinuteIsNoSkew() {
        AgentClock clock = new AgentClock();
        clock.observe(T0.minusSeconds(40), T0);

        assertThat(clock.now(T0)).isEqualTo(T0);
        assertThat(clock.notable()).isFalse();
    }
}
