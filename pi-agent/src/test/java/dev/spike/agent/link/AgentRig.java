package dev.spike.agent.link;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.model.rules.WaterBudget;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.model.Rules;
import dev.spike.model.event.Event;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A whole simulated agent (fake SHT30, fake relay, simulated terrarium, real SQLite store, real policy and valve) on
 * a real-time {@link ScaledScheduler}, with its MQTT link: what {@code --simulate} runs, assembled for tests.
 *
 * <p>The terrarium starts humid and the evening spray is 12 hours away, so the agent does not spray by itself
 * during a test: every valve movement comes from a command.
 */
final class AgentRig implements AutoCloseable {

    final String agentId;
    final Path dir;
    final ScaledScheduler scheduler;
    final Simulation simulation;
    final ResilientEventStore store;
    final Agent agent;
    final MqttLink link;

    /**
     * @param simulated whether the link treats the agent as simulated (honours sim/set); the hardware underneath
     *                  is simulated either way, and stays untouched by a refused sim/set
     */
    AgentRig(Path dir, String agentId, LinkConfig linkConfig, double timeScale, boolean simulated) {
        this(dir, agentId, linkConfig, timeScale, simulated, null);
    }

    /** @param tank the water tank, configured in the agent and the simulation alike, or null for none */
    AgentRig(Path dir, String agentId, LinkConfig linkConfig, double timeScale, boolean simulated,
            WaterBudget.Settings tank) {
        this.agentId = agentId;
        this.dir = dir;
        this.scheduler = new ScaledScheduler(Clock.systemUTC(), timeScale);
        LocalTime farFromNow = LocalTime.now(ZoneOffset.UTC).plusHours(12).truncatedTo(ChronoUnit.MINUTES);
        Rules rules = Rules.defaults(ZoneOffset.UTC).withEveningTime(farFromNow);
        AgentConfig config = AgentConfig.defaults().withAgentId(agentId).withDataDir(dir).withRules(rules)
                .withTank(tank);
        this.simulation = new Simulation(scheduler, ZoneOffset.UTC, 92, 11);
        if (tank != null) {
            simulation.terrarium().configureTank(tank.capacityL(), tank.flowMlPerS());
        }
        this.store = ResilientEventStore.open(dir.resolve(agentId + ".db"), agentId);
        this.agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler), simulation.valve(),
                store, "test-1.0");
        this.link = new MqttLink(linkConfig, agent, store, scheduler, simulated ? simulation : null, "test-1.0");
        link.start();
        agent.start();
    }

    /** Runs {@code task} on the agent thread and returns its result. */
    <T> T onAgentThread(Supplier<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        try {
            scheduler.runAndWait(() -> result.set(task.get()), Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return result.get();
    }

    List<FakeValve.Transition> valveTransitions() {
        return onAgentThread(() -> simulation.relay().transitions());
    }

    List<Event> storedEvents() {
        return store.read(1, 1_000_000);
    }

    /** Stops as AgentMain does: control first, then the link (offline status), then the store. */
    @Override
    public void close() {
        try {
            agent.close();
            // the stop task runs before this one: the agent thread takes its tasks in order
            scheduler.runAndWait(() -> { }, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            simulation.valve().close();
            link.close();
            store.close();
            scheduler.close();
        }
    }
}
