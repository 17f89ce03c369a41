package dev.spike.agent.valve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.agent.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeValveTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private final VirtualScheduler scheduler = new VirtualScheduler(T0);
    private final FakeValve valve = new FakeValve(scheduler);

    @Test
    void recordsEveryChangeWithTheSchedulersTime() {
        valve.set(true);
        scheduler.advance(Duration.ofMillis(6_001));
        valve.set(false);
        valve.set(false);

        assertThat(valve.transitions()).containsExactly(
                new FakeValve.Transition(T0, true), new FakeValve.Transition(T0.plusMillis(6_001), false));
        assertThat(valve.openDurations()).containsExactly(Duration.ofMillis(6_001));
    }

    @Test
    void aFailingSetThrowsAndLeavesTheRelayAsItWas() {
        valve.failWhenOpening(true);

        assertThatThrownBy(() -> valve.set(true)).hasMessageContaining("simulated relay failure");
        assertThat(valve.isOpen()).isFalse();
        assertThat(valve.transitions()).isEmpty();
    }

    @Test
    void closeLeavesTheRelayClosed() {
        valve.set(true);

        valve.close();

        assertThat(valve.isOpen()).isFalse();
        assertThatThrownBy(() -> valve.set(true)).isInstanceOf(IllegalStateException.class);
    }
}
