package dev.spike.station.demo;

import dev.spike.station.broker.BrokerException;
import dev.spike.station.broker.BuiltInBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system for a newcomer, in one process tree: the built-in broker, and the agent with {@code --simulate}
 * as a separate process on a fast clock, so cooldowns, evening and fallback sprays happen within minutes. The agent
 * first lives through a simulated day ({@code --head-start}, a few seconds), so the station's first screen has a
 * day of history, sent and backfilled through the real protocol. The
 * station connects to it like to any broker. {@link #close()} stops the agent (it closes its valve on SIGTERM) and
 * the broker: no orphan processes, no ports left open. A JVM shutdown hook does the same if the station is stopped
 * by a signal.
 */
public final class DemoSystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSystem.class);

    /**
     * @param agentJar   the agent's runnable jar
     * @param brokerPort where the built-in broker listens on loopback
     * @param timeScale  how much faster the agent's clock runs
     * @param agentId    the simulated agent's id
     * @param dataDir    where the agent's event store goes
     * @param history    how much simulated history the agent runs through before it goes live (zero: none)
     */
    public record Options(Path agentJar, int brokerPort, double timeScale, String agentId, Path dataDir,
                          Duration history) {
        public Options {
            Objects.requireNonNull(agentJar, "agentJar");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(history, "history");
        }

        /** The demo's: a day of history. */
        public Options(Path agentJar, int brokerPort, double timeScale, String agentId, Path dataDir) {
            this(agentJar, brokerPort, timeScale, agentId, dataDir, DEFAULT_HISTORY);
        }
    }

    /** The simulated history the demo starts with. */
    public static final Duration DEFAULT_HISTORY = Duration.ofHours(24);

    private final BuiltInBroker broker;
    private final Process agent;
    private final Thread hook;

    private DemoSystem(BuiltInBroker broker, Process agent) {
        this.broker = broker;
        this.agent = agent;
        this.hook = new Thread(this::stopAll, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts the broker, then the agent connected to it. */
    public static DemoSystem start(Options options) throws BrokerException, IOException {
        if (!Files.isRegularFile(options.agentJar())) {
            throw new IOException("no agent jar at " + options.agentJar()
                    + ": build it first with `mvn -B -DskipTests install` at the project root");
        }
        BuiltInBroker broker = BuiltInBroker.start(BuiltInBroker.Settings.loopback(options.brokerPort()));
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-jar", options.agentJar().toString(),
                    "--simulate", "--time-scale", Double.toString(options.timeScale()),
                    "--head-start", options.history().toSeconds() + "s",
                    "--agent-id", options.agentId(),
                    "--data-dir", options.dataDir().toString(),
                    "--broker", broker.uri()));
            Process agent = new ProcessBuilder(command).inheritIO().start();
            LOG.info("demo: broker {}, simulated agent {} (pid {}, time x{})", broker.uri(), options.agentId(),
                    agent.pid(), options.timeScale());
            return new DemoSystem(broker, agent);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The agent jar of a build from the project root or from station-app/, or as the system property says. */
    public static Optional<Path> findAgentJar() {
        String property = System.getProperty("spike.agent.jar");
        if (property != null) {
            return Optional.of(Path.of(property));
        }
        for (String candidate : List.of("pi-agent/target/spike-agent.jar", "../pi-agent/target/spike-agent.jar")) {
            Path path = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    public String brokerUri() {
        return broker.uri();
    }

    public ProcessHandle agentProcess() {
        return agent.toHandle();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void stopAll() {
        if (agent.isAlive()) {
            agent.destroy(); // SIGTERM: the agent closes its valve and says offline
            try {
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    LOG.warn("demo agent did not stop within 10 s; killing it");
                    agent.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                agent.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        broker.close();
    }
}
