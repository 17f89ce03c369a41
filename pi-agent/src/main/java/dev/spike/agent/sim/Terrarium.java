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

    public void setTank(TankLevel level) {
        update();
        tank = level;
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
            humidityPct = Math.min(CAP_PCT, humidityPct + SPRAY_PCT_PER_S * seconds);
        }
        double decay = Math.exp(-seconds / TIME_CONSTANT.toSeconds());
        humidityPct = ambientPct + (humidityPct - ambientPct) * decay;
        updatedAt = now;
    }
}
