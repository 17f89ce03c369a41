package dev.spike.agent.sim;

import dev.spike.agent.sensor.Environment;
import dev.spike.model.TankLevel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A simulated terrarium for running without a Pi: what the fake SHT30 measures and what the fake valve wets.
 *
 * <ul>
 *   <li>Humidity decays toward {@value #AMBIENT_PCT} % with a time constant of 30 min (a ventilated glass box);
 *       toward more while the vents are closed ({@link #setAmbientPct}).</li>
 *   <li>Each second the valve is open adds {@value #SPRAY_PCT_PER_S} points, so a 6 s spray adds about 12, capped
 *       at {@value #CAP_PCT} %; an empty tank adds nothing.</li>
 *   <li>With a tank configured ({@link #configureTank}), every second the valve is open drains the valve's flow
 *       from it, and a spray stops wetting the moment it runs dry; without one the tank never drains.</li>
 *   <li>A nozzle that clogs ({@link #setCloggingPctPerDay}) wets that much less each day, compounded: at 10 % a day
 *       a spray raises the humidity by half as much after a week. {@link #cleanNozzle} restores it.</li>
 *   <li>Temperature follows a day/night curve in the given zone: 24 °C at 03:00, 30 °C at 15:00.</li>
 *   <li>Readings carry a little Gaussian noise (0.05 %RH, 0.02 °C), from a seeded source so runs repeat.</li>
 * </ul>
 *
 * <p>Time comes from the agent's clock, so a time-scaled or virtual run behaves like a real one. Like all agent
 * state it is confined to the agent thread.
 */
public final class Terrarium implements Environment {

    static final double AMBIENT_PCT = 55;
    static final double SPRAY_PCT_PER_S = 2;
    static final double CAP_PCT = 99;
    static final Duration TIME_CONSTANT = Duration.ofMinutes(30);

    private final Supplier<Instant> clock;
    private final ZoneId zone;
    private final SplittableRandom noise;
    private double humidityPct;
    private Instant updatedAt;
    private boolean spraying;
    private TankLevel tank = TankLevel.FULL;
    /** The water in a configured tank, in litres; NaN while the tank is unlimited (not configured). */
    private double tankL = Double.NaN;
    private double capacityL = Double.NaN;
    private double flowMlPerS;
    private double cloggingPctPerDay;
    /** Since when the nozzle clogs; its efficiency is (1 - rate) per day since. */
    private Instant cloggingSince;
    /** What the humidity decays toward: the room's air, unless the keeper closed the vents. */
    private double ambientPct = AMBIENT_PCT;

    public Terrarium(Supplier<Instant> clock, ZoneId zone, double startHumidityPct, long seed) {
        this.clock = clock;
        this.zone = zone;
        this.noise = new SplittableRandom(seed);
        this.humidityPct = startHumidityPct;
        this.updatedAt = clock.get();
    }

    /** The valve opened or closed: humidity is brought up to date first, so the spray counts from this moment. */
    public void setSpraying(boolean on) {
        update();
        spraying = on;
    }

    /** Full is the tank's capacity; empty is no water at all. */
    public void setTank(TankLevel level) {
        update();
        tank = level;
        if (!Double.isNaN(capacityL)) {
            tankL = level == TankLevel.FULL ? capacityL : 0;
        }
    }

    /** A tank of {@code capacityL} litres, full, drained by {@code flowMlPerS} while the valve is open. */
    public void configureTank(double capacityL, double flowMlPerS) {
        if (!(capacityL > 0) || !(flowMlPerS > 0)) {
            throw new IllegalArgumentException("capacityL and flowMlPerS must be > 0, were " + capacityL + " and "
                    + flowMlPerS);
        }
        update();
        this.capacityL = capacityL;
        this.flowMlPerS = flowMlPerS;
        this.tankL = capacityL;
        this.tank = TankLevel.FULL;
    }

    /** The keeper poured water in: {@code litres}, or up to the capacity when null. */
    public void refill(Double litres) {
        update();
        if (Double.isNaN(capacityL)) {
            tank = TankLevel.FULL;
            return;
        }
        tankL = litres == null ? capacityL : Math.max(0, Math.min(capacityL, litres));
        tank = tankL > 0 ? TankLevel.FULL : TankLevel.EMPTY;
    }

    /** The water left in a configured tank, in litres, or NaN without one. */
    public double tankL() {
        update();
        return tankL;
    }

    /** The nozzle loses {@code pct} of its effect per day from now on, compounded; 0 keeps it clean. */
    public void setCloggingPctPerDay(double pct) {
        if (!(pct >= 0 && pct < 100)) {
            throw new IllegalArgumentException("cloggingPctPerDay must be 0..<100, was " + pct);
        }
        update();
        cloggingPctPerDay = pct;
        cloggingSince = clock.get();
    }

    /** A cleaned nozzle wets as well as a new one; the clogging goes on from now at the same rate. */
    public void cleanNozzle() {
        update();
        cloggingSince = clock.get();
    }

    /** What share of a clean nozzle's effect a spray has now, 0..1. */
    public double nozzleEfficiency() {
        return efficiencyAt(clock.get());
    }

    private double efficiencyAt(Instant now) {
        if (cloggingPctPerDay == 0 || cloggingSince == null) {
            return 1;
        }
        double days = Math.max(0, Duration.between(cloggingSince, now).toMillis() / 86_400_000.0);
        return Math.pow(1 - cloggingPctPerDay / 100, days);
    }

    /**
     * What the humidity settles toward from now on: the room's {@value #AMBIENT_PCT} %, or more while the keeper keeps
     * the vents closed (a {@link ScriptedDay} evening).
     */
    public void setAmbientPct(double pct) {
        if (!(pct >= 0 && pct <= CAP_PCT)) {
            throw new IllegalArgumentException("ambientPct must be 0.." + CAP_PCT + ", was " + pct);
        }
        update();
        ambientPct = pct;
    }

    /** The keeper mists by hand: {@code points} of humidity at once, capped at {@value #CAP_PCT} %; not a spray. */
    public void mist(double points) {
        if (!(points >= 0)) {
            throw new IllegalArgumentException("points must be >= 0, was " + points);
        }
        update();
        humidityPct = Math.min(CAP_PCT, humidityPct + points);
    }

    public TankLevel tank() {
        return tank;
    }

    /** The true humidity now, without noise. */
    public double trueHumidityPct() {
        update();
        return humidityPct;
    }

    /** What a sensor measures now: the true humidity plus noise, within 0..100. */
    @Override
    public double humidityPct() {
        update();
        return Math.max(0, Math.min(100, humidityPct + noise.nextDouble(-1, 1) * 0.05));
    }

    /** What a sensor measures now: the day/night curve plus noise. */
    @Override
    public double temperatureC() {
        Instant now = clock.get();
        double hour = now.atZone(zone).toLocalTime().toSecondOfDay() / 3600.0;
        double curve = 27 - 3 * Math.cos(2 * Math.PI * (hour - 3) / 24);
        return curve + noise.nextDouble(-1, 1) * 0.02;
    }

    private void update() {
        Instant now = clock.get();
        double seconds = Duration.between(updatedAt, now).toNanos() / 1e9;
        if (seconds <= 0) {
            // a clock stepped back: take the new time as the reference and change nothing
            updatedAt = now.isBefore(updatedAt) ? now : updatedAt;
            return;
        }
        if (spraying && tank == TankLevel.FULL) {
            double wetS = seconds;
            if (!Double.isNaN(tankL)) {
                wetS = Math.min(seconds, tankL * 1000 / flowMlPerS);
                tankL = tankL - wetS * flowMlPerS / 1000;
                if (tankL < 1e-9) {
                    tankL = 0;
                    tank = TankLevel.EMPTY;
                }
            }
            humidityPct = Math.min(CAP_PCT, humidityPct + SPRAY_PCT_PER_S * efficiencyAt(now) * wetS);
        }
        double decay = Math.exp(-seconds / TIME_CONSTANT.toSeconds());
        humidityPct = ambientPct + (humidityPct - ambientPct) * decay;
        updatedAt = now;
    }
}
