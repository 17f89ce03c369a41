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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system for a newcomer, in one process tree: the built-in broker, and the agent with {@code --simulate}
 * as a separate process on a fast clock, so cooldowns, evening and fallback sprays happen within minutes. The agent
 * first lives through a simulated day ({@code --head-start}, a few seconds), so the station's first screen has a
 * day of history, sent and backfilled through the real protocol. The
 * station connects to it like to any broker. {@link #close()} stops the agent (it closes its valve on SIGTERM) and
 * the broker: no orphan processes, no ports left open. A JVM shutdown hook stops the agent if the station is stopped
 * by a signal, and leaves the broker to the exit ({@link #closeForExit()}).
 */
public final class DemoSystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSystem.class);

    /**
     * The simulated agent's JVM: the flags of the Pi's systemd unit (pi-agent/src/main/dist/spike-agent.service),
     * with a small initial heap. On the Pi the initial heap is 1/64 of its memory; on a desktop it would be the whole
     * 64 MB at once, for an agent that uses about 12 MB (docs/performance.md, "The demo's start"). Native access
     * keeps JDK 24+ from warning about sqlite-jdbc's library; JDK 17 accepts the flag too.
     */
    static final List<String> AGENT_JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xms8m", "-Xmx64m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=24m");

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

    /**
     * The demo agent's config file: the default rules with a day/night program, so the chart's threshold steps up
     * at night and the history shows both thresholds at work. Like any agent.properties, it sets the rules of the
     * first start only; an agent with a store keeps the rules in force.
     */
    static final String AGENT_PROPERTIES = "# written by the station's demo (DemoSystem)\n"
            + "rules.program=22:00-07:00 85%\n";

    /** The simulated history the demo starts with. */
    public static final Duration DEFAULT_HISTORY = Duration.ofHours(24);

    private final BuiltInBroker broker;
    private final Process agent;
    private final Thread hook;
    private boolean brokerDone;

    private DemoSystem(BuiltInBroker broker, Process agent) {
        this.broker = broker;
        this.agent = agent;
        // the process is ending: the broker ends with it, its graceful stop would only delay the exit
        this.hook = new Thread(this::closeForExit, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the agent and the broker side by side and returns once the broker accepts connections. The agent's JVM
     * takes about as long to reach its first connect as the broker to listen; should it come first, its link tries
     * again within a second, as after any loss, and meanwhile it controls and stores as it always does.
     */
    public static DemoSystem start(Options options) throws BrokerException, IOException {
        if (!Files.isRegularFile(options.agentJar())) {
            throw new IOException("no agent jar at " + options.agentJar()
                    + ": build it first with `mvn -B -DskipTests install` at the project root");
        }
        BuiltInBroker.Settings settings = BuiltInBroker.Settings.loopback(options.brokerPort());
        // before the agent: with the port taken, it would talk to whichever broker holds it
        BuiltInBroker.checkPortIsFree(settings);
        Files.createDirectories(options.dataDir());
        Path agentConfig = Files.writeString(options.dataDir().resolve("demo-agent.properties"), AGENT_PROPERTIES);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AGENT_JVM_OPTIONS);
        command.addAll(List.of("-jar", options.agentJar().toString(),
                "--config", agentConfig.toString(),
                "--simulate", "--time-scale", Double.toString(options.timeScale()),
                "--head-start", options.history().toSeconds() + "s",
                "--agent-id", options.agentId(),
                "--data-dir", options.dataDir().toString(),
                "--broker", settings.uri()));
        ProcessBuilder agentBuilder = new ProcessBuilder(command).inheritIO();
        // as for the station (launch.TunedJvm): two malloc arenas are plenty for its native allocations
        agentBuilder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        Process agent = agentBuilder.start();
        BuiltInBroker broker;
        try {
            broker = BuiltInBroker.start(settings);
        } catch (BrokerException | RuntimeException e) {
            stop(agent);
            throw e;
        }
        LOG.info("demo: broker {}, simulated agent {} (pid {}, time x{})", broker.uri(), options.agentId(),
                agent.pid(), options.timeScale());
        return new DemoSystem(broker, agent);
    }

    /**
     * {@link #start} on a thread of its own, so that the station's window need not wait for the broker: the window
     * shows "connecting" until the future completes and the station connects.
     */
    public static CompletableFuture<DemoSystem> startInBackground(Options options) {
        CompletableFuture<DemoSystem> started = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                started.complete(start(options));
            } catch (BrokerException | IOException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        }, "demo-start");
        thread.setDaemon(true);
        thread.start();
        return started;
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
        removeShutdownHook();
    }

    /**
     * For a caller whose own shutdown hook closes this demo (the station's, which first stops the UI from repainting):
     * without this, both hooks would run at once on SIGTERM, and the agent would go offline under a live window.
     */
    public void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    /**
     * Sends the agent SIGTERM without waiting, so that its valve closes and its last events go out while the caller
     * closes the station; {@link #closeForExit()} or {@link #close()} then waits for it.
     */
    public void beginStop() {
        if (agent.isAlive()) {
            agent.destroy();
        }
    }

    /**
     * Closing the demo's window: stops the agent as {@link #close()} does (valve closed, its last events handed to
     * the broker), then leaves the broker to the process's exit ({@link BuiltInBroker#leaveToProcessExit}) rather than
     * wait about 4 s for its graceful stop. The caller ends the JVM next; the station must have disconnected.
     */
    public synchronized void closeForExit() {
        stop(agent);
        if (!brokerDone) {
            brokerDone = true;
            broker.leaveToProcessExit();
        }
    }

    private synchronized void stopAll() {
        stop(agent);
        if (!brokerDone) {
            brokerDone = true;
            broker.close();
        }
    }

    /** SIGTERM: the agent closes its valve, says offline and hands the broker its last events, then exits. */
    private static void stop(Process agent) {
        if (!agent.isAlive()) {
            return;
        }
        agent.destroy();
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
}
