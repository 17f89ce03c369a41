package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.model.Mode;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ModeChanged;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo at {@code --time-scale 600} on a busy machine: its own start-up lag must not read as a fault. */
class ScaledStartTest {

    @TempDir
    Path dir;

    @Test
    void aLateFirstTickAtTimeScale600IsNoSensorFault() throws Exception {
        List<Event> events;
        try (ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), 600);
                ResilientEventStore store = ResilientEventStore.open(dir.resolve("sim.db"), "sim")) {
            Simulation simulation = new Simulation(scheduler, ZoneId.of("UTC"), 70, 42);
            AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir);
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "test");
            agent.start();
            // a cold JVM on a busy machine: the agent thread is held 200 ms (2 min of agent time at x600) right
            // after the start, before the sensor's first reading and the first tick
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Instant> heldAt = new AtomicReference<>();
            scheduler.execute(() -> {
                heldAt.set(scheduler.now());
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long heldFrom = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - heldFrom >= 200_000_000L);
            release.countDown();

            AtomicReference<Instant> agentNow = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                scheduler.runAndWait(() -> agentNow.set(scheduler.now()), Duration.ofSeconds(5));
                return agentNow.get().isAfter(heldAt.get().plus(Duration.ofMinutes(5)));
            });
            scheduler.runAndWait(agent::stopOnAgentThread, Duration.ofSeconds(5));
            events = store.read(1, 1_000_000);
        }

        assertThat(events).noneMatch(e -> e.type() == EventType.SENSOR_ERROR);
        assertThat(events).filteredOn(ModeChanged.class::isInstance).map(e -> ((ModeChanged) e).mode())
                .doesNotContain(Mode.SENSOR_DOWN);
    }
}
