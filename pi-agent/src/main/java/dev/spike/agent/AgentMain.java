package dev.spike.agent;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.HomeAssistantSettings;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.doctor.DoctorCommand;
import dev.spike.agent.link.LinkConfig;
import dev.spike.agent.link.MqttLink;
import dev.spike.agent.notify.Alerts;
import dev.spike.agent.notify.Notifier;
import dev.spike.agent.notify.Notifiers;
import dev.spike.agent.notify.NotifyTestCommand;
import dev.spike.agent.sensor.I2cOpener;
import dev.spike.agent.sensor.I2cTransport;
import dev.spike.agent.sensor.Pi4jI2cTransport;
import dev.spike.agent.sensor.ReopeningI2cTransport;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.ScriptedDay;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.systemd.ServiceNotifier;
import dev.spike.agent.systemd.Watchdog;
import dev.spike.agent.time.ScaledScheduler;
import dev.spike.agent.time.Scheduler;
import dev.spike.agent.valve.GpioValveOutput;
import dev.spike.agent.valve.ValveOutput;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.rules.Input;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code java -jar spike-agent.jar}: the command line of the agent. */
@Command(name = "spike-agent", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = AgentMain.Version.class,
        description = {"Spike terrarium humidity controller: reads the SHT30, applies the spray rules, drives the "
                + "valve and keeps every event.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:the hardware could not be set up (the message says why)",
            "2:bad flag or config file (also a missing MQTT password file, a CA file that is not PEM, or a notifier"
                + " secret file - notify.ntfy.tokenFile, notify.email.passwordFile - that is missing, unreadable,"
                + " empty or readable by every user)"})
public final class AgentMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);
    static final int EXIT_HARDWARE = 1;
    static final int EXIT_USAGE = 2;
    /** With --simulate, the relay's GPIO line in the data directory; it outlives a killed agent, as a real line does. */
    static final String SIM_RELAY_LINE = "sim-relay-line";

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with identity, hardware and rules (see docs/agent.md).")
    Path configFile;

    @Option(names = "--simulate",
            description = "Run against a simulated SHT30, valve and terrarium: no Pi needed.")
    boolean simulate;

    @Option(names = "--time-scale", paramLabel = "N", defaultValue = "1",
            description = "With --simulate: run the agent's clock N times faster, 1..1000 (default ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--head-start", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --simulate: start the simulated clock this much in the past, e.g. 24h, and run it as"
                    + " fast as it goes until it reaches the present, then at --time-scale: a day of history in"
                    + " seconds. With 24h or more, the last day is scripted to show every kind of spray (an evening"
                    + " with the vents closed, a sensor outage, a manual spray; see docs/agent.md).")
    Duration headStart;

    @Option(names = "--sim-sensors", paramLabel = "N", defaultValue = "2",
            description = "With --simulate: how many simulated SHT30s, 1 or 2 (default ${DEFAULT-VALUE}); the second"
                    + " one drifts.")
    int simSensors;

    @Option(names = "--sim-drift", paramLabel = "PCT_PER_DAY", defaultValue = "2",
            description = "With --simulate: how fast the second simulated sensor drifts from the truth, %%RH per"
                    + " simulated day (default ${DEFAULT-VALUE}).")
    double simDrift;

    @Option(names = "--sim-clogging", paramLabel = "PCT", defaultValue = "0",
            description = "With --simulate: the simulated nozzle loses PCT %% of its effect per day, compounded, 0..50"
                    + " (default ${DEFAULT-VALUE}); at 10 a spray wets half as much after a week, which the clogging"
                    + " alarm should notice.")
    double simCloggingPctPerDay;

    @Option(names = "--agent-id", paramLabel = "ID", description = "This agent's id, [a-z0-9][a-z0-9-]{0,31}.")
    String agentId;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the event store lives.")
    Path dataDir;

    @Option(names = "--stop-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this much agent time, e.g. 24h, 90m, 30s (trials and benchmarks).")
    Duration stopAfter;

    @Option(names = "--broker", paramLabel = "URI",
            description = "MQTT broker, tcp://host:port or ssl://host:port; without one the agent runs standalone.")
    String broker;

    @Option(names = "--username", paramLabel = "NAME", description = "MQTT username.")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File whose first line is the MQTT password (else the environment variable "
                    + LinkConfig.PASSWORD_ENV + "); never pass a password as an argument.")
    Path passwordFile;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "With ssl://: trust the certificate authority in this PEM file; the broker's host name is"
                    + " checked against its certificate.")
    Path caFile;

    @Option(names = "--ha-discovery",
            description = "Announce the terrarium to Home Assistant (MQTT discovery), again whenever Home Assistant"
                    + " comes online; the same as ha.discovery=true in the config file.")
    boolean homeAssistant;

    /** The process environment: where the MQTT password may come from. */
    private final Map<String, String> env;

    AgentMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** As {@link #run(String...)} with the given environment, for tests. */
    static int run(Map<String, String> env, String... args) {
        CommandLine commandLine = new CommandLine(new AgentMain(env)).addSubcommand(new DoctorCommand(env))
                .addSubcommand(new NotifyTestCommand());
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            // an unexpected failure: the message and the trace go to the log, which journald keeps
            LOG.error("agent failed: {}", e.toString(), e);
            return EXIT_HARDWARE;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        LinkConfig link;
        List<Notifier> notifiers;
        try {
            config = config();
            link = link(config);
            // secrets are read now: a missing token or password file is a config error, not a silent alert gap
            notifiers = Notifiers.of(config.alerts());
        } catch (ConfigException e) {
            return usageError(e.getMessage());
        }
        try (ScaledScheduler scheduler = new ScaledScheduler(Clock.systemUTC(), timeScale,
                headStart == null ? Duration.ZERO : headStart)) {
            ValveOutput output;
            Sht30 sensor;
            Sht30 sensor2 = null;
            Simulation simulation = null;
            if (simulate) {
                simulation = new Simulation(scheduler, config.rules().timeZone(), 70, 42,
                        config.dataDir().resolve(SIM_RELAY_LINE), simDrift);
                simulation.terrarium().configureTank(config.tank().capacityL(), config.tank().flowMlPerS());
                simulation.terrarium().setCloggingPctPerDay(simCloggingPctPerDay);
                output = simulation.valve();
                sensor = new Sht30(simulation.sensor(), scheduler);
                if (simSensors == 2) {
                    if (!config.sensors().hasSecond()) {
                        config = config.withSensors(config.sensors().withSecond(config.i2cBus(),
                                config.sensorAddress() == 0x44 ? 0x45 : 0x44));
                    }
                    // at its configured address, so its messages name the sensor as a real one would
                    sensor2 = new Sht30(simulation.sensor2(), scheduler, config.sensors().sensor2Address(),
                            Sht30.Plausibility.DEFAULTS);
                }
            } else {
                try {
                    // the valve first: it is closed before anything else can happen
                    output = GpioValveOutput.open(config.valveGpio(), config.valveActiveLow());
                } catch (IOException | RuntimeException e) {
                    System.err.println("spike-agent: cannot drive the valve on BCM " + config.valveGpio() + ": "
                            + e.getMessage());
                    return EXIT_HARDWARE;
                }
                AgentConfig hardware = config;
                sensor = new Sht30(openSensor(() -> Pi4jI2cTransport.open(hardware.i2cBus(),
                        hardware.sensorAddress()), scheduler), scheduler, config.sensorAddress(),
                        Sht30.Plausibility.DEFAULTS);
                if (config.sensors().hasSecond()) {
                    int bus2 = config.sensors().sensor2Bus();
                    int address2 = config.sensors().sensor2Address();
                    sensor2 = new Sht30(openSensor(() -> Pi4jI2cTransport.open(bus2, address2), scheduler),
                            scheduler, address2, Sht30.Plausibility.DEFAULTS);
                }
            }
            return runUntilStopped(config, link, notifiers, scheduler, sensor, sensor2, output, simulation);
        }
    }

    /**
     * @param link       the MQTT link's settings, or null to run standalone
     * @param simulation the simulated hardware, or null on a real agent
     */
    private int runUntilStopped(AgentConfig config, LinkConfig link, List<Notifier> notifiers,
            ScaledScheduler scheduler, Sht30 sensor, Sht30 sensor2, ValveOutput output, Simulation simulation)
            throws InterruptedException {
        Path storeFile = config.dataDir().resolve(config.agentId() + ".db");
        ResilientEventStore store = ResilientEventStore.open(storeFile, config.agentId());
        store.lastError().ifPresent(error -> LOG.error("event store: {}; control goes on, events kept in memory",
                error));
        Agent agent = new Agent(config, scheduler, sensor, sensor2, output, store, Version.text());
        // systemd's Type=notify and watchdog; nothing at all without NOTIFY_SOCKET (a desk run, tests)
        ServiceNotifier notifier = ServiceNotifier.fromEnvironment(env);
        Optional<Duration> watchdogPeriod = ServiceNotifier.watchdogPeriod(env, ProcessHandle.current().pid());
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // On SIGTERM/SIGINT the JVM halts once its hooks return: the hook waits until the valve is closed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                cleanedUp.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("starting agent {} ({}{}), store {}, {}", config.agentId(), simulate ? "simulated" : "hardware",
                timeScale != 1 ? ", time x" + timeScale : "", storeFile,
                link == null ? "no MQTT broker (standalone)" : "MQTT broker " + link.endpoint());
        MqttLink mqtt = link == null ? null : new MqttLink(link, agent, store, scheduler, simulation, Version.text());
        Alerts alerts = null;
        try {
            alerts = Alerts.open(config, notifiers, scheduler, store, Alerts.agentClock(scheduler)).orElse(null);
        } catch (RuntimeException e) {
            // the outbox's file: control matters more than alerts, so the agent runs on without them
            LOG.error("alerts are off: {}", e.getMessage(), e);
        }
        if (alerts != null) {
            LOG.info("alerts: {}{}", notifiers.isEmpty() ? "no notifier" : notifiers.stream()
                    .map(n -> n.name() + " (" + n.target() + ")").reduce((a, b) -> a + ", " + b).orElse(""),
                    config.alerts().heartbeatUrl() == null ? "" : ", heartbeat every "
                            + config.alerts().heartbeatEveryMin() + " min");
            alerts.attach(agent);
        }
        try {
            if (mqtt != null) {
                // before the agent: the link sees the agent's first events and its first state
                mqtt.start();
            }
            agent.start();
            if (alerts != null) {
                // on the agent thread once the agent has recovered its state and started
                scheduler.execute(alerts::start);
            }
            if (simulation != null) {
                scriptLastDay(config, scheduler, simulation, agent);
            }
            // a head start's simulated day goes by from here on, with the link and the agent's loop in place
            scheduler.begin();
            // queued behind the agent's start, so it runs on the agent thread once the valve is closed, the store
            // open and the loop started
            scheduler.execute(() -> {
                notifier.send(ServiceNotifier.READY);
                watchdogPeriod.ifPresent(period -> new Watchdog(notifier, scheduler,
                        Duration.ofNanos((long) (period.toNanos() * timeScale)), () -> !agent.isRunning()).start());
            });
            if (stopAfter != null) {
                scheduler.schedule(stopAfter, stop::countDown);
            }
            stop.await();
            notifier.send(ServiceNotifier.STOPPING);
            scheduler.runAndWait(agent::stopOnAgentThread, Duration.ofSeconds(5));
        } finally {
            // whatever happened above, the relay is switched off before the process ends
            output.close();
            try {
                if (mqtt != null) {
                    // the retained offline status and how far the broker got; bounded by the link's timeouts
                    mqtt.close();
                }
            } finally {
                if (alerts != null) {
                    // bounded waits; what is not delivered yet stays in the outbox for the next start
                    alerts.close();
                }
                store.close();
                cleanedUp.countDown();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down because of a signal: nothing to remove
        }
        return 0;
    }

    /**
     * With a head start of a day or more, its last day is a {@link ScriptedDay}: the terrarium, the sensor and the
     * keeper act so that the demo's history shows every kind of spray, each decided by this agent. Call before
     * {@link ScaledScheduler#begin()}, while the clock stands at the head start's beginning.
     */
    private void scriptLastDay(AgentConfig config, ScaledScheduler scheduler, Simulation simulation, Agent agent) {
        if (headStart == null || headStart.compareTo(ScriptedDay.LENGTH) < 0) {
            return;
        }
        Instant dayStart = scheduler.now().plus(headStart).minus(ScriptedDay.LENGTH);
        Optional<ScriptedDay.Plan> plan = ScriptedDay.plan(dayStart, config.rules());
        if (plan.isEmpty()) {
            LOG.info("the simulated day from {} is not scripted: its scenes do not fit these rules", dayStart);
            return;
        }
        // queued behind the agent's start, so the scenes are scheduled on the agent thread
        scheduler.execute(() -> ScriptedDay.play(plan.get(), scheduler, simulation,
                (commandId, durationS) -> agent.submit(new Input.ManualSpray(commandId, durationS))));
    }

    /**
     * The real sensor's bus, opened again with backoff until it opens (see {@link ReopeningI2cTransport}): a
     * boot-time permission race or I2C enabled after install must not leave the agent on the fallback for good.
     */
    static I2cTransport openSensor(I2cOpener opener, Scheduler scheduler) {
        return new ReopeningI2cTransport(opener, scheduler);
    }

    /** The MQTT link's settings, with the password and CA file read; null without a broker. */
    private LinkConfig link(AgentConfig config) throws ConfigException {
        MqttSettings mqtt = config.mqtt();
        if (!mqtt.enabled()) {
            if (mqtt.username() != null || mqtt.passwordFile() != null || mqtt.caFile() != null) {
                LOG.warn("MQTT settings without a broker are ignored: set --broker or mqtt.broker to use them");
            }
            return null;
        }
        LinkConfig link = LinkConfig.resolve(config.agentId(), mqtt, env);
        // the flag switches discovery on; the config file's ha.discovery and ha.prefix do the rest
        HomeAssistantSettings ha = config.homeAssistant().withDiscovery(homeAssistant
                || config.homeAssistant().discovery());
        return link.withHomeAssistant(ha.discovery(), ha.prefix());
    }

    private AgentConfig config() throws ConfigException {
        AgentConfig config = configFile != null ? AgentConfig.load(configFile) : AgentConfig.defaults();
        try {
            if (agentId != null) {
                config = config.withAgentId(agentId);
            }
            if (dataDir != null) {
                config = config.withDataDir(dataDir);
            }
        } catch (InvalidFieldException e) {
            throw new ConfigException("--" + e.field().replace("agent.id", "agent-id") + ": " + e.reason());
        }
        MqttSettings mqtt = config.mqtt();
        try {
            // one at a time, so an error names the flag that caused it
            if (broker != null) {
                mqtt = mqtt.withBroker(broker);
            }
            if (username != null) {
                mqtt = mqtt.withUsername(username);
            }
            if (passwordFile != null) {
                mqtt = mqtt.withPasswordFile(passwordFile);
            }
            if (caFile != null) {
                mqtt = mqtt.withCaFile(caFile);
            }
            config = config.withMqtt(mqtt);
        } catch (InvalidFieldException e) {
            throw new ConfigException(flagOf(e.field()) + ": " + e.reason());
        }
        if (!(timeScale >= 1 && timeScale <= 1000)) {
            throw new ConfigException("--time-scale must be 1..1000, was " + timeScale);
        }
        if (headStart != null && !headStart.isZero() && !simulate) {
            throw new ConfigException("--head-start needs --simulate: a real agent's history is what happened");
        }
        if (headStart != null && headStart.compareTo(Duration.ofDays(7)) > 0) {
            throw new ConfigException("--head-start must be at most 7d, was " + headStart);
        }
        if (simSensors != 1 && simSensors != 2) {
            throw new ConfigException("--sim-sensors must be 1 or 2, was " + simSensors);
        }
        if (!Double.isFinite(simDrift) || Math.abs(simDrift) > 50) {
            throw new ConfigException("--sim-drift must be -50..50 %RH per day, was " + simDrift);
        }
        if (!(simCloggingPctPerDay >= 0 && simCloggingPctPerDay <= 50)) {
            throw new ConfigException("--sim-clogging must be 0..50 (% per day), was " + simCloggingPctPerDay);
        }
        if (simCloggingPctPerDay != 0 && !simulate) {
            throw new ConfigException("--sim-clogging needs --simulate: a real nozzle clogs by itself");
        }
        if (simulate && config.tank() == null) {
            // the demo shows the water budget: a small tank that drains within days
            config = config.withTank(Simulation.DEMO_TANK);
        }
        if (timeScale != 1 && !simulate) {
            // a faster clock would shorten the real sensor's measurement wait and the real valve's sprays
            throw new ConfigException("--time-scale needs --simulate: real hardware runs in real time");
        }
        return config;
    }

    /** The flag of an {@code mqtt.*} key, for messages about a value given as a flag. */
    private String flagOf(String field) {
        switch (field) {
            case "mqtt.broker":
                return broker != null ? "--broker" : "mqtt.broker";
            case "mqtt.username":
                return username != null ? "--username" : "mqtt.username";
            case "mqtt.caFile":
                return caFile != null ? "--ca-file" : "mqtt.caFile";
            default:
                return field;
        }
    }

    private static int usageError(String message) {
        PrintWriter err = new PrintWriter(System.err, true);
        err.println("spike-agent: " + message);
        err.println("Try 'spike-agent --help' for the flags.");
        return EXIT_USAGE;
    }

    /** Accepts 24h, 90m, 30s, 500ms, or ISO-8601 such as PT24H. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

        @Override
        public Duration convert(String value) {
            Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        return Duration.ofMillis(n);
                    case "s":
                        return Duration.ofSeconds(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    default:
                        return Duration.ofDays(n);
                }
            }
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 24h, 90m,"
                        + " 30s or PT24H");
            }
        }
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        static String text() {
            String version = AgentMain.class.getPackage().getImplementationVersion();
            return version == null ? "dev" : version;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"spike-agent " + text()};
        }
    }
}
