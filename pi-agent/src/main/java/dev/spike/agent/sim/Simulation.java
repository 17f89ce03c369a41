package dev.spike.agent.sim;

import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.time.Scheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.agent.valve.ValveOutput;
import dev.spike.model.SensorFault;
import dev.spike.model.TankLevel;
import java.time.ZoneId;

/**
 * The hardware of {@code --simulate}: a fake SHT30 measuring a simulated terrarium, and a fake valve whose sprays
 * wet it. What {@code sim/set} changes (sensor faults, the tank) is switched here.
 */
public final class Simulation {

    private final Terrarium terrarium;
    private final FakeSht30 sensor;
    private final FakeValve relay;
    private final ValveOutput valve;

    public Simulation(Scheduler scheduler, ZoneId zone, double startHumidityPct, long seed) {
        this.terrarium = new Terrarium(scheduler::now, zone, startHumidityPct, seed);
        this.sensor = new FakeSht30(scheduler, terrarium, seed);
        this.relay = new FakeValve(scheduler);
        this.valve = new ValveOutput() {
            @Override
            public void set(boolean open) {
                relay.set(open);
                terrarium.setSpraying(open);
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
}
