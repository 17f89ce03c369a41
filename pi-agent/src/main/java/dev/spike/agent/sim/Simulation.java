package dev.spike.agent.sim;

import dev.spike.agent.sensor.Environment;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.time.Scheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.agent.valve.ValveOutput;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import dev.spike.model.rules.WaterBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware of {@code --simulate}: two fake SHT30s measuring a simulated terrarium, and a fake valve whose sprays
 * wet it. The second sensor drifts: it reads the terrarium plus {@code sensor2DriftPctPerDay} for every simulated
 * day since the simulation began, as a sensor does after long exposure to high humidity, so that a long simulated
 * run ends in a divergence alarm. What {@code sim/set} changes (sensor faults, the tank) is switched here.
 *
 * <p>The relay's GPIO line can live in a file ({@code 1} open, {@code 0} closed). A real line keeps its level when
 * the process driving it dies; the file does the same across a killed simulated agent, so a restarted one finds the
 * relay as the killed one left it, and must close it first.
 */
public final class Simulation {

    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);

    /**
     * The tank of a simulated agent whose config names none: 30 L at 5 ml/s, so a 6 s spray uses 0.03 L and the
     * simulated terrarium, which dries fast and sprays about a hundred times a day (3.3 L), runs the tank low in about
     * a week: a demo with a week's head start still has water, and its tank has visibly drained.
     */
    public static final WaterBudget.Settings DEMO_TANK = new WaterBudget.Settings(30, 5,
            AgentConfig.DEFAULT_LOW_WATER_PCT);

    private final Terrarium terrarium;
    private final FakeSht30 sensor;
    private final FakeSht30 sensor2;
    private final DriftingSensor drifting;
    private final FakeValve relay;
    private final ValveOutput valve;

    /** A simulation whose relay line lives only in this process. */
    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed) {
        this(scheduler, zone, startHumidityPct, seed, null);
    }

    /** @param relayLine the file that holds the relay line's level across processes, or null */
    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed, Path relayLine) {
        this(scheduler, zone, startHumidityPct, seed, relayLine, DEFAULT_DRIFT_PCT_PER_DAY);
    }

    /**
     * @param relayLine             the file that holds the relay line's level across processes, or null
     * @param sensor2DriftPctPerDay how fast the second sensor drifts from the truth, %RH per simulated day (may be
     *                              negative or 0)
     */
    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed, Path relayLine,
            double sensor2DriftPctPerDay) {
        this.terrarium = new Terrarium(scheduler::now, zone, startHumidityPct, seed);
        this.sensor = new FakeSht30(scheduler, terrarium, seed);
        this.drifting = new DriftingSensor(terrarium, scheduler::now, sensor2DriftPctPerDay);
        this.sensor2 = new FakeSht30(scheduler, drifting, seed + 1);
        boolean leftOpen = relayLine != null && readLine(relayLine);
        if (leftOpen) {
            LOG.warn("the simulated relay line {} is high: the previous agent died while spraying", relayLine);
        }
        this.relay = new FakeValve(scheduler, leftOpen);
        terrarium.setSpraying(leftOpen);
        this.valve = new ValveOutput() {
            @Override
            public void set(boolean open) {
                relay.set(open);
                terrarium.setSpraying(open);
                if (relayLine != null) {
                    writeLine(relayLine, open);
                }
            }

            @Override
            public boolean isOpen() {
                return relay.isOpen();
            }

            @Override
            public void close() {
                set(false);
                relay.close();
            }
        };
    }

    /** Sensor 2's drift unless configured: 2 %RH a day, past a 5 %RH margin in 2.5 days. */
    public static final double DEFAULT_DRIFT_PCT_PER_DAY = 2;

    /** What the second sensor measures: the terrarium plus a drift growing with simulated time. */
    static final class DriftingSensor implements Environment {
        private final Terrarium terrarium;
        private final Supplier<Instant> clock;
        private final Instant since;
        private final double pctPerDay;

        DriftingSensor(Terrarium terrarium, Supplier<Instant> clock, double pctPerDay) {
            this.terrarium = terrarium;
            this.clock = clock;
            this.since = clock.get();
            this.pctPerDay = pctPerDay;
        }

        double driftPct() {
            double days = Duration.between(since, clock.get()).toMillis() / 86_400_000.0;
            return pctPerDay * Math.max(0, days);
        }

        @Override
        public double humidityPct() {
            return Math.max(0, Math.min(100, terrarium.humidityPct() + driftPct()));
        }

        @Override
        public double temperatureC() {
            return terrarium.temperatureC();
        }
    }

    private static boolean readLine(Path file) {
        try {
            return Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).trim().equals("1");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulated relay line " + file, e);
        }
    }

    private static void writeLine(Path file, boolean high) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, high ? "1" : "0", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // as a real line that cannot be driven: the valve turns this into a refusal or a failure
            throw new UncheckedIOException("cannot drive the simulated relay line " + file, e);
        }
    }

    public Terrarium terrarium() {
        return terrarium;
    }

    /** The I2C side of the fake SHT30, for the driver. */
    public FakeSht30 sensor() {
        return sensor;
    }

    /** The I2C side of the second fake SHT30, the drifting one. */
    public FakeSht30 sensor2() {
        return sensor2;
    }

    /** How far sensor 2 has drifted from the truth by now, %RH. */
    public double sensor2DriftPct() {
        return drifting.driftPct();
    }

    /** The relay the fail-safe valve drives; every switch also starts or stops the terrarium's spray. */
    public ValveOutput valve() {
        return valve;
    }

    /** The fake relay underneath, with its recorded transitions. */
    public FakeValve relay() {
        return relay;
    }

    /** Sensor 1's fault. */
    public void setSensorFault(SensorFault fault) {
        sensor.setFault(fault);
    }

    /** Sensor 1's or 2's fault. */
    public void setSensorFault(int sensorNumber, SensorFault fault) {
        (sensorNumber == 2 ? sensor2 : sensor).setFault(fault);
    }

    public void setTank(TankLevel tank) {
        terrarium.setTank(tank);
    }

    /** The keeper refilled the tank ({@code cmd/refill}): to {@code litres}, or full when null. */
    public void refill(Double litres) {
        terrarium.refill(litres);
    }
}
