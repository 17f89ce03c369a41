package dev.spike.agent.doctor;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.link.BrokerProbe;
import dev.spike.agent.sensor.Pi4jI2cTransport;
import dev.spike.agent.sensor.Sht30Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Runs every check of {@code spike-agent doctor} against one machine and one config file. The checks read facts
 * through {@link Host}, so tests run them on a fake /dev and /sys, a fake SHT30 and fake tools.
 */
final class Doctor {

    /**
     * What the checks may touch.
     *
     * @param user the user running the doctor
     */
    record Host(Layout layout, CommandRunner commands, Clock clock, Map<String, String> env, String user,
            SensorCheck.Opener sensors, Sht30Identity.Pause pause, DiskCheck.Space space,
            DevicePermissionCheck.ModeReader modes, BrokerCheck.Probe broker, Duration brokerTimeout) {

        public Host {
            Objects.requireNonNull(layout, "layout");
            Objects.requireNonNull(commands, "commands");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(env, "env");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(sensors, "sensors");
            Objects.requireNonNull(pause, "pause");
            Objects.requireNonNull(space, "space");
            Objects.requireNonNull(modes, "modes");
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(brokerTimeout, "brokerTimeout");
        }

        /** This machine, as the agent sees it. */
        public static Host system(Map<String, String> env) {
            return new Host(Layout.SYSTEM, CommandRunner.system(), Clock.systemUTC(), env,
                    System.getProperty("user.name", "?"), Pi4jI2cTransport::open,
                    duration -> Thread.sleep(Math.max(1, duration.toMillis())), DiskCheck.Space.system(),
                    DevicePermissionCheck.ModeReader.system(), BrokerProbe::connectOnce, BrokerCheck.TIMEOUT);
        }
    }

    private final Host host;

    public Doctor(Host host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Every check, in the order a keeper would fix things; a config that does not load leaves the defaults. */
    public List<Finding> examine(Path configFile) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        AgentConfig config;
        try {
            config = AgentConfig.load(configFile);
            findings.add(Finding.ok("config", configFile + ": " + summary(config) + "."));
        } catch (ConfigException e) {
            config = AgentConfig.defaults();
            findings.add(Finding.fail("config", e.getMessage() + "; the checks below use the defaults ("
                    + summary(config) + ").", "correct " + configFile
                    + " (see docs/agent.md), or give the right one with --config."));
        }
        Layout layout = host.layout();
        findings.add(JavaCheck.run());
        findings.add(I2cBusCheck.run(layout.dev(), config.i2cBus()));
        findings.add(KernelDriverCheck.run(layout.sys(), config.i2cBus(), config.sensorAddress()));
        findings.add(DevicePermissionCheck.run(layout.dev(), layout.etc(), config.i2cBus(), host.user(),
                host.modes()));
        findings.add(SensorCheck.run(host.sensors(), host.pause(), config.i2cBus(), config.sensorAddress()));
        findings.add(GpioLineCheck.run(layout.dev(), host.commands(), config.valveGpio()));
        findings.add(StopStepCheck.run(layout.unitFile(), new StopStepCheck.Expected(layout.valveCloseScript(),
                configFile, config.valveGpio(), config.valveActiveLow()), host.commands()));
        findings.add(BrokerCheck.run(config.agentId(), config.mqtt(), host.env(), host.broker(),
                host.brokerTimeout()));
        findings.add(ClockCheck.run(host.commands(), layout.run(), host.clock()));
        findings.add(DiskCheck.run(dataDir(layout.unitFile(), config.dataDir()), host.space()));
        return findings;
    }

    /**
     * Where the service keeps its store: the unit's {@code ExecStart ... --data-dir DIR} overrides {@code data.dir}
     * (install.sh passes /var/lib/spike), so that is the disk to measure when the unit says so.
     */
    static Path dataDir(Path unitFile, Path configured) {
        try {
            for (List<String> command : StopStepCheck.commands(Files.readString(unitFile), "ExecStart")) {
                String dir = StopStepCheck.option(command, "--data-dir");
                if (dir != null) {
                    return Path.of(dir);
                }
            }
        } catch (IOException e) {
            // no unit (not installed, or not readable): the stop-step check reports that; measure data.dir
        }
        return configured;
    }

    /** 1 if anything failed, else 0. */
    public static int exitCode(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.verdict() == Verdict.FAIL) ? 1 : 0;
    }

    public static String tally(List<Finding> findings) {
        long fail = findings.stream().filter(f -> f.verdict() == Verdict.FAIL).count();
        long warn = findings.stream().filter(f -> f.verdict() == Verdict.WARN).count();
        long ok = findings.size() - fail - warn;
        return String.format(Locale.ROOT, "%d FAIL, %d WARN, %d OK", fail, warn, ok);
    }

    private static String summary(AgentConfig config) {
        return String.format(Locale.ROOT, "agent %s, SHT30 0x%02x on bus %d, valve on BCM %d (%s), %s",
                config.agentId(), config.sensorAddress(), config.i2cBus(), config.valveGpio(),
                config.valveActiveLow() ? "active-low" : "active-high",
                config.mqtt().enabled() ? "broker " + config.mqtt().endpoint() : "no broker");
    }
}
