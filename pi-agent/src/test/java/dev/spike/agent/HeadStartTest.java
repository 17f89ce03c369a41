package dev.spike.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.model.Mode;
import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.ModeChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.SensorRecovered;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --head-start}: a simulated agent lives through a day within seconds, then runs at its live scale. */
class HeadStartTest {

    @TempDir
    Path dir;

    @Test
    void aSimulatedDayOfHistoryIsThereWithinSecondsThenTheClockIsPacedFromThePresent() throws Exception {
        Instant launched = Instant.now();
        List<Event> events;
        AtomicReference<Instant> agentNow = new AtomicReference<>();
        try (ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), 1, Duration.ofHours(24));
                ResilientEventStore store = ResilientEventStore.open(dir.resolve("sim.db"), "sim")) {
            Simulation simulation = new Simulation(scheduler, ZoneId.of("UTC"), 70, 42);
            AgentConfig config = AgentConfig.defaults().withAgentId("sim").withDataDir(dir);
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler),
                    simulation.valve(), store, "test");
            agent.start();
            // held until begin(): however long the set-up takes, the day goes by after it
            assertThat(scheduler.now()).isBefore(launched.minus(Duration.ofHours(23)));
            scheduler.begin();

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                scheduler.runAndWait(() -> agentNow.set(scheduler.now()), Duration.ofSeconds(5));
                return !agentNow.get().isBefore(launched);
            });
            scheduler.runAndWait(agent::stopOnAgentThread, Duration.ofSeconds(5));
            events = store.read(1, 1_000_000);
        }

        // at scale 1 from the present on: the clock reads the wall clock's time, not a day behind or ahead
        assertThat(Duration.between(Instant.now(), agentNow.get()).abs()).isLessThan(Duration.ofSeconds(30));
        assertThat(events.get(0).at()).isBefore(launched.minus(Duration.ofHours(23)));
        assertThat(events).filteredOn(ValveOpened.class::isInstance).map(e -> ((ValveOpened) e).reason())
                .contains(SprayReason.LOW_HUMIDITY);
    }

    @Test
    void theAgentsHeadStartDayHasASprayOfEveryReasonAndASensorOutage() {
        // the command line the demo uses, standalone; --stop-after counts from the head start's beginning
        int code = AgentMain.run("--simulate", "--head-start", "24h", "--stop-after", "24h", "--agent-id", "day",
                "--data-dir", dir.toString());

        assertThat(code).isZero();
        List<Event> events;
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve("day.db"), "day")) {
            events = store.read(1, 1_000_000);
        }
        assertThat(events).filteredOn(ValveOpened.class::isInstance).map(e -> ((ValveOpened) e).reason())
                .containsAll(List.of(SprayReason.values()));
        assertThat(events).filteredOn(SensorError.class::isInstance).isNotEmpty();
        assertThat(events).filteredOn(ModeChanged.class::isInstance).map(e -> ((ModeChanged) e).mode())
                .containsExactly(Mode.SENSOR_DOWN, Mode.NORMAL);
        assertThat(events).filteredOn(SensorRecovered.class::isInstance).hasSize(1);
    }

    @Test
    void aHeadStartShorterThanADayIsNotScripted() {
        int code = AgentMain.run("--simulate", "--head-start", "23h", "--stop-after", "23h", "--agent-id", "short",
                "--data-dir", dir.toString());

        assertThat(code).isZero();
        List<Event> events;
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve("short.db"), "short")) {
            events = store.read(1, 1_000_000);
        }
        assertThat(events).filteredOn(ValveOpened.class::isInstance).map(e -> ((ValveOpened) e).reason())
                .contains(SprayReason.LOW_HUMIDITY).doesNotContain(SprayReason.MANUAL, SprayReason.SENSOR_DOWN);
        assertThat(events).filteredOn(SensorError.class::isInstance).isEmpty();
    }
}
