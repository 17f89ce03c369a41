package dev.spike.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.time.ScaledScheduler;
import dev.spike.agent.time.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    /** Records what would go to systemd, with the thread that sent it. */
    private static final class FakeNotifier implements ServiceNotifier {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void send(String state) {
            sent.add(state);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public boolean enabled() {
            return true;
        }
    }

    @Test
    void aHealthyAgentPingsEveryHalfWatchdogTimeOnAVirtualClock() {
        VirtualScheduler scheduler = new VirtualScheduler(T0);
        List<Instant> pings = new ArrayList<>();
        ServiceNotifier notifier = new ServiceNotifier() {
            @Override
            public void send(String state) {
                assertThat(state).isEqualTo(ServiceNotifier.WATCHDOG);
                pings.add(scheduler.now());
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        Duration period = ServiceNotifier.watchdogPeriod(
                Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000"), 1).orElseThrow();

        new Watchdog(notifier, scheduler, period, () -> false).start();
        scheduler.advance(Duration.ofSeconds(60));

        assertThat(period).isEqualTo(Duration.ofSeconds(15));
        assertThat(pings).containsExactly(T0, T0.plusSeconds(15), T0.plusSeconds(30), T0.plusSeconds(45),
                T0.plusSeconds(60));
    }

    @Test
    void aHungAgentThreadStopsThePingsAndTheyResumeWhenItIsFree() throws InterruptedException {
        FakeNotifier notifier = new FakeNotifier();
        try (ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), 1)) {
            new Watchdog(notifier, scheduler, Duration.ofMillis(20), () -> false).start();
            await().atMost(Duration.ofSeconds(5)).until(() -> notifier.sent.size() >= 3);

            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean hung = new AtomicBoolean();
            scheduler.execute(() -> {
                hung.set(true);
                try {
                    release.await(30, TimeUnit.SECONDS); // the agent thread, stuck
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(5)).untilTrue(hung);
            int before = notifier.sent.size();

            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                    .until(() -> notifier.sent.size() == before);

            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> notifier.sent.size() > before);
        }
        assertThat(notifier.threads).containsOnly("agent");
    }

    @Test
    void stopsPingingOnceTheAgentStopped() {
        VirtualScheduler scheduler = new VirtualScheduler(T0);
        FakeNotifier notifier = new FakeNotifier();
        AtomicBoolean stopped = new AtomicBoolean();

        new Watchdog(notifier, scheduler, Duration.ofSeconds(15), stopped::get).start();
        scheduler.advance(Duration.ofSeconds(20));
        stopped.set(true);
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(notifier.sent).hasSize(2);
    }

    @Test
    void withoutNotifySocketNothingIsSentAndThereIsNoWatchdog() {
        Map<String, String> desk = Map.of("WATCHDOG_USEC", "30000000");

        assertThat(ServiceNotifier.fromEnvironment(desk).enabled()).isFalse();
        assertThat(ServiceNotifier.watchdogPeriod(desk, 1)).isEmpty();
    }

    @Test
    void aWatchdogMeantForAnotherProcessIsNotOurs() {
        Map<String, String> env = Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "30000000",
                "WATCHDOG_PID", "4242");

        assertThat(ServiceNotifier.watchdogPeriod(env, 4242)).contains(Duration.ofSeconds(15));
        assertThat(ServiceNotifier.watchdogPeriod(env, 7)).isEmpty();
        assertThat(ServiceNotifier.watchdogPeriod(Map.of("NOTIFY_SOCKET", "/run/systemd/notify"), 7)).isEmpty();
    }
}
