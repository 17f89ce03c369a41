package dev.spike.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.agent.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReopeningI2cTransportTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private final VirtualScheduler scheduler = new VirtualScheduler(T0);
    private final List<Instant> attempts = new ArrayList<>();
    private boolean enabled;

    private final I2cOpener opener = () -> {
        attempts.add(scheduler.now());
        if (!enabled) {
            throw new I2cException(I2cException.Kind.ABSENT, "no /dev/i2c-1: enable I2C with `sudo raspi-config`");
        }
        return new FakeSht30(scheduler, Environment.constant(50, 25));
    };

    @Test
    void retriesAfterOneSecondThenTwiceAsLateEachTimeUpToFiveMinutes() {
        new ReopeningI2cTransport(opener, scheduler);

        scheduler.advance(Duration.ofHours(1));

        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < attempts.size(); i++) {
            gaps.add(Duration.between(attempts.get(i - 1), attempts.get(i)).toSeconds());
        }
        assertThat(gaps).startsWith(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L);
        assertThat(gaps).allMatch(gap -> gap <= 300);
    }

    @Test
    void transfersSayWhyAndWhenTheNextAttemptComes() {
        ReopeningI2cTransport bus = new ReopeningI2cTransport(opener, scheduler);
        scheduler.advance(Duration.ofMillis(1500)); // attempt 2 failed at 1 s, the next at 3 s

        assertThatThrownBy(() -> bus.write(new byte[2]))
                .isInstanceOfSatisfying(I2cException.class, e -> {
                    assertThat(e.kind()).isEqualTo(I2cException.Kind.ABSENT);
                    assertThat(e.getMessage()).isEqualTo("no /dev/i2c-1: enable I2C with `sudo raspi-config`;"
                            + " retrying in 2 s");
                });
        scheduler.runUntil(T0.plusSeconds(511)); // attempts at 0, 1, 3, 7, ... 255, 511 s; the next at 811 s
        assertThatThrownBy(() -> bus.read(new byte[6])).hasMessageEndingWith("retrying in 5 min");
    }

    @Test
    void opensOnceItCanAndStopsTrying() throws I2cException {
        ReopeningI2cTransport bus = new ReopeningI2cTransport(opener, scheduler);
        scheduler.advance(Duration.ofSeconds(5));
        enabled = true;
        scheduler.advance(Duration.ofSeconds(10));
        int made = attempts.size();

        scheduler.advance(Duration.ofHours(1));

        assertThat(bus.isOpen()).isTrue();
        assertThat(attempts).hasSize(made);
        bus.write(Sht30Protocol.command(Sht30Protocol.SOFT_RESET));
    }

    @Test
    void closingStopsTheRetries() throws I2cException {
        ReopeningI2cTransport bus = new ReopeningI2cTransport(opener, scheduler);

        bus.close();
        scheduler.advance(Duration.ofHours(1));

        assertThat(attempts).hasSize(1);
    }
}
