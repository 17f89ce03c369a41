package dev.spike.agent.sim;

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
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hardware of {@code --simulate}: a fake SHT30 measuring a simulated terrarium, and a fake valve whose sprays
 * wet it. What {@code sim/set} changes (sensor faults, the tank) is switched here.
 *
 * <p>The relay's GPIO line can live in a file ({@code 1} open, {@code 0} closed). A real line keeps its level when
 * the process driving it dies; the file does the same across a killed simulated agent, so a restarted one finds the
 * relay as the killed one left it, and must close it first.
 */
public final class Simulation {

    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);

    /**
     * The tank of a simulated agent whose config names none: 10 L at 5 ml/s, so a 6 s spray uses 0.03 L and the
     * simulated terrarium, which dries fast and sprays about a hundred times a day, runs the tank low within days.
     */
    public static final WaterBudget.Settings DEMO_TANK = new WaterBudget.Settings(10, 5,
            AgentConfig.DEFAULT_LOW_WATER_PCT);

    private final Terrarium terrarium;
    private final FakeSht30 sensor;
    private final FakeValve relay;
    private final ValveOutput valve;

    /** A simulation whose relay line lives only in this process. */
    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed) {
        this(scheduler, zone, startHumidityPct, seed, null);
    }

    /** @param relayLine the file that holds the relay line's level across processes, or null */
    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed, Path relayLine) {
        this.terrarium = new Terrarium(scheduler::now, zone, startHumidityPct, seed);
        this.sensor = new FakeSht30(scheduler, terrarium, seed);
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

    /** The relay the fail-safe valve drives; every switch also starts or stops the terrarium's spray. */
    public ValveOutput valve() {
        return valve;
    }

    /** The fake relay underneath, with its recorded transitions. */
    public FakeValve relay() {
        return relay;
    }

    public void setSensorFault(SensorFault fault) {
        sensor.setFault(fault);
    }

    public void setTank(TankLevel tank) {
        terrarium.setTank(tank);
    }

    /** The keeper refilled the tank ({@code cmd/refill}): to {@code litres}, or full when null. */
    public void refill(Double litres) {
        terrarium.refill(litres);
    }
}
