package dev.spike.agent.sim;

import dev.spike.agent.time.Scheduler;
import dev.spike.model.Rules;
import dev.spike.model.SensorFault;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last day of a simulated agent's {@code --head-start}, scripted so that the history a demo opens on holds every
 * kind of spray. Only the terrarium, the sensor and the keeper act here; the agent's rules decide every spray, its
 * valve opens, its store records and its link sends, exactly as on a Pi. Left alone, the simulated terrarium dries
 * below the threshold every quarter of an hour, so a low-humidity spray always falls in the hour before the evening
 * (and the evening spray is skipped), and its sensor never fails. So on this day:
 *
 * <ul>
 *   <li><b>Evening</b>: {@link #VENTS_CLOSED_BEFORE} before the rules' evening time the keeper mists by hand
 *       ({@value #MIST_POINTS} points) and closes the vents: the humidity settles toward
 *       {@value #CLOSED_AMBIENT_PCT} % instead of the room's, no reading falls below the threshold, and at the
 *       evening time nothing sprayed within the hour, so the evening rule sprays. The vents open
 *       {@link #VENTS_OPEN_AFTER} after.</li>
 *   <li><b>Sensor outage</b>: the sensor's cable works loose (every read is NACKed) for the rules'
 *       {@code sensorDownSprayEveryH} (6 h by default) and {@link #OUTAGE_BEYOND_FALLBACK} more: sensor errors,
 *       sensor-down mode, the fallback spray that many hours after the last spray (which came before the outage), then
 *       the sensor answers again and the agent recovers. It starts {@link #OUTAGE_LEAD} into the longer stretch of the
 *       day the evening leaves (at least 11 h), so with the default rules it fits whatever the time of day.</li>
 *   <li><b>Manual</b>: {@link #MANUAL_AFTER_OUTAGE} after the sensor is back the keeper sprays
 *       {@value #MANUAL_SPRAY_S} s through the agent's command input, as a {@code cmd/spray} would.</li>
 *   <li>Low-humidity sprays the rest of the time, as always.</li>
 * </ul>
 *
 * <p>Times are agent times; everything runs on the agent thread.
 */
public final class ScriptedDay {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedDay.class);

    public static final Duration LENGTH = Duration.ofHours(24);
    static final Duration VENTS_CLOSED_BEFORE = Duration.ofMinutes(75);
    static final Duration VENTS_OPEN_AFTER = Duration.ofMinutes(30);
    static final double MIST_POINTS = 10;
    static final double CLOSED_AMBIENT_PCT = 85;
    static final Duration OUTAGE_LEAD = Duration.ofMinutes(30);
    /** How much longer than the fallback cadence the outage lasts: the fallback spray falls well inside it. */
    static final Duration OUTAGE_BEYOND_FALLBACK = Duration.ofMinutes(30);
    static final Duration MANUAL_AFTER_OUTAGE = Duration.ofHours(1);
    static final int MANUAL_SPRAY_S = 8;
    static final String MANUAL_COMMAND_ID = "sim-keeper-spray";

    /** The keeper's manual spray: the agent's command input ({@code cmd/spray}'s path from the policy on). */
    public interface Keeper {
        void spray(String commandId, int durationS);
    }

    /** When each scene happens; every instant within the day. */
    public record Plan(Instant dayStart, Instant ventsClosed, Instant evening, Instant ventsOpened,
                       Instant sensorLoose, Instant sensorBack, Instant manualSpray) {
    }

    private ScriptedDay() {
    }

    /**
     * The scenes of the day from {@code dayStart} to {@code dayStart} + {@link #LENGTH}, around the rules' evening
     * spray; empty if they do not fit (no evening within the day, or a fallback cadence too long for the outage to
     * fit beside the evening).
     */
    public static Optional<Plan> plan(Instant dayStart, Rules rules) {
        Instant dayEnd = dayStart.plus(LENGTH);
        ZoneId zone = rules.timeZone();
        ZonedDateTime local = dayStart.atZone(zone);
        Instant evening = ZonedDateTime.of(local.toLocalDate(), rules.eveningTime(), zone).toInstant();
        if (!evening.isAfter(dayStart)) {
            evening = ZonedDateTime.of(local.toLocalDate().plusDays(1), rules.eveningTime(), zone).toInstant();
        }
        if (evening.isAfter(dayEnd)) {
            return Optional.empty();
        }
        Instant ventsClosed = latest(dayStart, evening.minus(VENTS_CLOSED_BEFORE));
        Instant ventsOpened = evening.plus(VENTS_OPEN_AFTER);
        // the outage and the manual spray go in the longer stretch left: at least (24 h - 1 h 45 min) / 2
        boolean before = Duration.between(dayStart, ventsClosed).compareTo(Duration.between(ventsOpened, dayEnd)) >= 0;
        Instant sensorLoose = (before ? dayStart : ventsOpened).plus(OUTAGE_LEAD);
        Instant sensorBack = sensorLoose.plus(Duration.ofHours(rules.sensorDownSprayEveryH()))
                .plus(OUTAGE_BEYOND_FALLBACK);
        Instant manualSpray = sensorBack.plus(MANUAL_AFTER_OUTAGE);
        if (manualSpray.plus(OUTAGE_LEAD).isAfter(before ? ventsClosed : dayEnd)) {
            return Optional.empty();
        }
        return Optional.of(new Plan(dayStart, ventsClosed, evening, ventsOpened, sensorLoose, sensorBack,
                manualSpray));
    }

    /**
     * Schedules the plan's scenes on the simulation. Call on the agent thread before the day goes by (with a head
     * start: before the scheduler begins).
     */
    public static void play(Plan plan, Scheduler scheduler, Simulation simulation, Keeper keeper) {
        LOG.info("simulated day from {}: the keeper closes the vents {}, evening spray {}, the sensor's cable loose"
                + " {} to {}, a manual spray {}", plan.dayStart(), plan.ventsClosed(), plan.evening(),
                plan.sensorLoose(), plan.sensorBack(), plan.manualSpray());
        at(scheduler, plan.ventsClosed(), () -> {
            simulation.terrarium().mist(MIST_POINTS);
            simulation.terrarium().setAmbientPct(CLOSED_AMBIENT_PCT);
        });
        at(scheduler, plan.ventsOpened(), () -> simulation.terrarium().setAmbientPct(Terrarium.AMBIENT_PCT));
        // the sensors share a cable: both go, and the agent goes to sensor-down mode
        at(scheduler, plan.sensorLoose(), () -> {
            simulation.setSensorFault(1, SensorFault.NACK);
            simulation.setSensorFault(2, SensorFault.NACK);
        });
        at(scheduler, plan.sensorBack(), () -> {
            simulation.setSensorFault(1, SensorFault.OK);
            simulation.setSensorFault(2, SensorFault.OK);
        });
        at(scheduler, plan.manualSpray(), () -> keeper.spray(MANUAL_COMMAND_ID, MANUAL_SPRAY_S));
    }

    private static void at(Scheduler scheduler, Instant when, Runnable scene) {
        Duration delay = Duration.between(scheduler.now(), when);
        scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, scene);
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
