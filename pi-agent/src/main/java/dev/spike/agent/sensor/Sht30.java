package dev.spike.agent.sensor;

import static dev.spike.agent.sensor.Sht30Protocol.CLEAR_STATUS;
import static dev.spike.agent.sensor.Sht30Protocol.COMMAND_GAP;
import static dev.spike.agent.sensor.Sht30Protocol.HEATER_OFF;
import static dev.spike.agent.sensor.Sht30Protocol.MEASURE_HIGH;
import static dev.spike.agent.sensor.Sht30Protocol.READ_STATUS;
import static dev.spike.agent.sensor.Sht30Protocol.SOFT_RESET;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_HEATER_ON;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RESET_DETECTED;

import dev.spike.agent.sensor.SensorResult.Failure;
import dev.spike.agent.sensor.SensorResult.Reading;
import dev.spike.agent.time.Scheduler;
import dev.spike.model.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHT30 driver: single-shot, high-repeatability measurements without clock stretching, CRC-checked, retried, and
 * judged for plausibility before anyone sees them.
 *
 * <p>Asynchronous because a measurement takes 15 ms and the agent thread must not block: every wait is a
 * {@link Scheduler} task. Each call of {@link #measure} or {@link #start} calls its {@code done} exactly once, always
 * from a scheduler task (never from inside the call), even when the transport throws something unexpected. Use it
 * from the scheduler's thread only; it keeps no locks.
 *
 * <p>Plausibility: a reading is rejected when its raw words have not changed for {@link Plausibility#stuckReads()}
 * reads in a row (a live sensor always has noise in the last bits), when it is outside the sensor's range, or when it
 * jumps more than {@link Plausibility#maxHumidityJumpPct()} / {@link Plausibility#maxTemperatureJumpC()} from the last
 * accepted reading taken less than {@link Plausibility#jumpWindow()} earlier. The jump reference is only ever an
 * accepted reading, so a real step change is accepted once the window has passed since the last good read.
 */
public final class Sht30 {

    private static final Logger LOG = LoggerFactory.getLogger(Sht30.class);

    public static final int DEFAULT_ADDRESS = 0x44;

    static final int ATTEMPTS = 3;
    /** The datasheet's 15 ms maximum plus 1 ms, so that a millisecond-rounding clock never reads too early. */
    static final Duration MEASUREMENT_WAIT = Duration.ofMillis(16);
    /** The datasheet needs 1.5 ms; Sensirion's and the kernel's drivers allow more, so do we. */
    static final Duration SOFT_RESET_WAIT = Duration.ofMillis(10);
    static final Duration RETRY_BACKOFF = Duration.ofMillis(20);
    /** Consecutive NACKs after which the next attempt is preceded by a soft reset, which unwedges a hung sensor. */
    static final int NACKS_BEFORE_RESET = 2;

    /**
     * Thresholds for rejecting readings that cannot be true.
     *
     * @param stuckReads          this many reads in a row with identical raw words count as stuck, 2..100000
     * @param maxHumidityJumpPct  largest believable humidity change between good reads within the window, %RH
     * @param maxTemperatureJumpC largest believable temperature change between good reads within the window, degC
     * @param jumpWindow          reads further apart than this are not compared; zero turns jump checks off
     */
    public record Plausibility(int stuckReads, double maxHumidityJumpPct, double maxTemperatureJumpC,
            Duration jumpWindow) {

        /** 30 stuck reads, 25 %RH or 8 degC within 60 s. */
        public static final Plausibility DEFAULTS = new Plausibility(30, 25, 8, Duration.ofSeconds(60));

        public Plausibility {
            Checks.range("stuckReads", stuckReads, 2, 100_000);
            Checks.range("maxHumidityJumpPct", maxHumidityJumpPct, 0.1, 100);
            Checks.range("maxTemperatureJumpC", maxTemperatureJumpC, 0.1, 200);
            Checks.notNull("jumpWindow", jumpWindow);
            if (jumpWindow.isNegative()) {
                throw new IllegalArgumentException("jumpWindow must be >= 0, was " + jumpWindow);
            }
        }

        public Plausibility withStuckReads(int value) {
            return new Plausibility(value, maxHumidityJumpPct, maxTemperatureJumpC, jumpWindow);
        }

        public Plausibility withJumps(double humidityPct, double temperatureC, Duration window) {
            return new Plausibility(stuckReads, humidityPct, temperatureC, window);
        }
    }

    private final I2cTransport transport;
    private final Scheduler scheduler;
    private final String device;
    private final Plausibility plausibility;

    /**
     * When the last command's write returned, on the scheduler's monotonic clock, or null before the first: the SHT30
     * counts its 1 ms pause from the end of a command, and a wall clock could step or round it away.
     */
    private Long lastCommandEndNanos;
    private boolean busy;

    private int lastRawTemperature = -1;
    private int lastRawHumidity = -1;
    private int sameWords;
    private Reading lastGood;
    private Instant lastGoodAt;

    public Sht30(I2cTransport transport, Scheduler scheduler) {
        this(transport, scheduler, DEFAULT_ADDRESS, Plausibility.DEFAULTS);
    }

    /** {@code address} is only used in messages; the transport is already bound to the device. */
    public Sht30(I2cTransport transport, Scheduler scheduler, int address, Plausibility plausibility) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.plausibility = Objects.requireNonNull(plausibility, "plausibility");
        this.device = String.format("SHT30 at 0x%02X", address);
    }

    /**
     * Prepares the sensor after power-up (soft reset, heater off, status cleared and checked) and then takes the
     * first measurement, so {@code done} gets a {@link Reading} only if all of it worked. Some boards power up with
     * the heater on, which reads several degrees too warm and far too dry. A failed start can be repeated; plain
     * {@link #measure} works without it.
     */
    public void start(Consumer<SensorResult> done) {
        Operation op = begin(done);
        if (op != null) {
            op.afterGap(Duration.ZERO, () -> initReset(op, 1));
        }
    }

    /** One measurement: up to {@value #ATTEMPTS} attempts, done after about 16 ms, about 70 ms at worst. */
    public void measure(Consumer<SensorResult> done) {
        Operation op = begin(done);
        if (op != null) {
            op.afterGap(Duration.ZERO, () -> measureAttempt(op, 1, 0));
        }
    }

    private Operation begin(Consumer<SensorResult> done) {
        Objects.requireNonNull(done, "done");
        if (busy) {
            scheduler.execute(() -> done.accept(new Failure(device + " is busy with the previous measurement;"
                    + " wait for its result before asking again")));
            return null;
        }
        busy = true;
        return new Operation(done);
    }

    // --- start-up sequence --------------------------------------------------------------------------------------

    private void initReset(Operation op, int attempt) {
        try {
            send(SOFT_RESET);
        } catch (I2cException e) {
            initFailed(op, attempt, "soft reset (0x30A2): " + describe(e), e);
            return;
        }
        op.afterGap(SOFT_RESET_WAIT, () -> initHeaterOff(op, attempt));
    }

    private void initHeaterOff(Operation op, int attempt) {
        try {
            send(HEATER_OFF);
        } catch (I2cException e) {
            initFailed(op, attempt, "heater off (0x3066): " + describe(e), e);
            return;
        }
        op.afterGap(Duration.ZERO, () -> initClearStatus(op, attempt));
    }

    private void initClearStatus(Operation op, int attempt) {
        try {
            send(CLEAR_STATUS);
        } catch (I2cException e) {
            initFailed(op, attempt, "clear status (0x3041): " + describe(e), e);
            return;
        }
        op.afterGap(Duration.ZERO, () -> initCheckStatus(op, attempt));
    }

    private void initCheckStatus(Operation op, int attempt) {
        byte[] data = new byte[3];
        try {
            send(READ_STATUS);
            transport.read(data);
        } catch (I2cException e) {
            initFailed(op, attempt, "status read (0xF32D): " + describe(e), e);
            return;
        }
        String crcProblem = crcProblem("status", data, 0);
        if (crcProblem != null) {
            initFailed(op, attempt, crcProblem, null);
            return;
        }
        int status = word(data, 0);
        if ((status & STATUS_HEATER_ON) != 0) {
            initFailed(op, attempt, String.format("heater still on after the heater-off command (status 0x%04X)",
                    status), null);
            return;
        }
        if ((status & STATUS_RESET_DETECTED) != 0) {
            initFailed(op, attempt, String.format("status not cleared by 0x3041 (status 0x%04X)", status), null);
            return;
        }
        LOG.info("{} ready: heater off, status 0x{}", device, String.format("%04X", status));
        op.afterGap(Duration.ZERO, () -> measureAttempt(op, 1, 0));
    }

    private void initFailed(Operation op, int attempt, String what, I2cException cause) {
        if (cause != null && isHopeless(cause)) {
            op.finish(new Failure("start: " + cause.getMessage()));
        } else if (attempt < ATTEMPTS) {
            LOG.debug("{} start attempt {} failed, retrying: {}", device, attempt, what);
            op.afterGap(RETRY_BACKOFF, () -> initReset(op, attempt + 1));
        } else {
            op.finish(new Failure("start: " + what + " (" + attempt + " attempts)"));
        }
    }

    // --- measurement --------------------------------------------------------------------------------------------

    private void measureAttempt(Operation op, int attempt, int nacks) {
        try {
            send(MEASURE_HIGH);
        } catch (I2cException e) {
            measureFailed(op, attempt, nacks, e);
            return;
        }
        op.after(MEASUREMENT_WAIT, () -> measureRead(op, attempt, nacks));
    }

    private void measureRead(Operation op, int attempt, int nacks) {
        byte[] data = new byte[6];
        try {
            transport.read(data);
        } catch (I2cException e) {
            measureFailed(op, attempt, nacks, e);
            return;
        }
        String crcProblem = crcProblem("temperature", data, 0);
        if (crcProblem == null) {
            crcProblem = crcProblem("humidity", data, 3);
        }
        if (crcProblem != null) {
            retryMeasure(op, attempt, 0, crcProblem);
            return;
        }
        op.finish(judge(word(data, 0), word(data, 3)));
    }

    private void measureFailed(Operation op, int attempt, int nacks, I2cException e) {
        if (isHopeless(e)) {
            op.finish(new Failure(e.getMessage()));
            return;
        }
        retryMeasure(op, attempt, e.kind() == I2cException.Kind.NACK ? nacks + 1 : 0, describe(e));
    }

    private void retryMeasure(Operation op, int attempt, int nacks, String reason) {
        if (attempt >= ATTEMPTS) {
            op.finish(new Failure(reason + " (" + attempt + " attempts)"));
            return;
        }
        LOG.debug("{} measurement attempt {} failed, retrying: {}", device, attempt, reason);
        if (nacks >= NACKS_BEFORE_RESET) {
            op.afterGap(Duration.ZERO, () -> {
                try {
                    send(SOFT_RESET);
                } catch (I2cException e) {
                    // The attempt after the reset wait tells whether the sensor is back; nothing to decide here.
                    LOG.debug("{} soft reset failed as well: {}", device, e.getMessage());
                }
                op.after(SOFT_RESET_WAIT, () -> measureAttempt(op, attempt + 1, 0));
            });
        } else {
            op.afterGap(RETRY_BACKOFF, () -> measureAttempt(op, attempt + 1, nacks));
        }
    }

    // --- plausibility -------------------------------------------------------------------------------------------

    private SensorResult judge(int rawTemperature, int rawHumidity) {
        Instant now = scheduler.now();
        double temperature = Sht30Protocol.temperatureC(rawTemperature);
        double humidity = Math.min(100, Math.max(0, Sht30Protocol.humidityPct(rawHumidity)));

        if (rawTemperature == lastRawTemperature && rawHumidity == lastRawHumidity) {
            sameWords++;
        } else {
            lastRawTemperature = rawTemperature;
            lastRawHumidity = rawHumidity;
            sameWords = 1;
        }
        if (sameWords >= plausibility.stuckReads()) {
            return new Failure(String.format(Locale.ROOT,
                    "stuck: raw words unchanged for %d reads (temperature 0x%04X, humidity 0x%04X);"
                            + " power-cycle the sensor or replace it",
                    sameWords, rawTemperature, rawHumidity));
        }
        if (temperature < Sht30Protocol.MIN_TEMPERATURE_C || temperature > Sht30Protocol.MAX_TEMPERATURE_C) {
            return new Failure(String.format(Locale.ROOT,
                    "out of range: temperature %.1f \u00b0C is outside the SHT30's -40..125 \u00b0C (raw 0x%04X)",
                    temperature, rawTemperature));
        }
        if (lastGood != null) {
            Duration since = Duration.between(lastGoodAt, now);
            // a clock stepped back makes the interval negative: nothing is known about it, so no jump is judged
            if (!since.isNegative() && since.compareTo(plausibility.jumpWindow()) < 0) {
                if (Math.abs(humidity - lastGood.humidityPct()) > plausibility.maxHumidityJumpPct()) {
                    return jump("humidity", lastGood.humidityPct(), humidity, "%RH", since);
                }
                if (Math.abs(temperature - lastGood.temperatureC()) > plausibility.maxTemperatureJumpC()) {
                    return jump("temperature", lastGood.temperatureC(), temperature, "\u00b0C", since);
                }
            }
        }
        Reading reading = new Reading(humidity, temperature, rawHumidity, rawTemperature);
        lastGood = reading;
        lastGoodAt = now;
        return reading;
    }

    private static Failure jump(String quantity, double from, double to, String unit, Duration since) {
        double seconds = Math.round(since.toMillis() / 100.0) / 10.0;
        return new Failure(String.format(Locale.ROOT, "implausible jump: %s %.1f -> %.1f %s in %s s",
                quantity, from, to, unit, Checks.plain(seconds)));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private void send(int command) throws I2cException {
        try {
            transport.write(Sht30Protocol.command(command));
        } finally {
            // after the write, NACKed or not: the sensor may have seen the command's STOP just now
            lastCommandEndNanos = scheduler.nanoTime();
        }
    }

    private static boolean isHopeless(I2cException e) {
        return e.kind() == I2cException.Kind.ABSENT || e.kind() == I2cException.Kind.PERMISSION
                || e.kind() == I2cException.Kind.BUSY;
    }

    private String describe(I2cException e) {
        return switch (e.kind()) {
            case NACK -> "no acknowledge from " + device;
            case IO -> "I/O error on " + device + ": " + e.getMessage();
            case ABSENT, PERMISSION, BUSY -> e.getMessage();
        };
    }

    private static String crcProblem(String what, byte[] data, int offset) {
        int expected = Crc8.of(data[offset], data[offset + 1]);
        int got = data[offset + 2] & 0xFF;
        return got == expected
                ? null
                : String.format("CRC mismatch on %s word: got 0x%02X, expected 0x%02X", what, got, expected);
    }

    private static int word(byte[] data, int offset) {
        return (data[offset] & 0xFF) << 8 | (data[offset + 1] & 0xFF);
    }

    /** One call of measure or start: its done, called once, and the scheduling of its steps. */
    private final class Operation {
        private final Consumer<SensorResult> done;
        private boolean finished;

        Operation(Consumer<SensorResult> done) {
            this.done = done;
        }

        /** Runs {@code step} after {@code delay}, and never sooner than the sensor's pause after the last command. */
        void afterGap(Duration delay, Runnable step) {
            Duration wait = delay;
            if (lastCommandEndNanos != null) {
                Duration gapLeft = COMMAND_GAP.minusNanos(scheduler.nanoTime() - lastCommandEndNanos);
                if (gapLeft.compareTo(wait) > 0) {
                    wait = gapLeft;
                }
            }
            after(wait, step);
        }

        void after(Duration delay, Runnable step) {
            scheduler.schedule(delay, () -> run(step));
        }

        private void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (finished) {
                    throw e; // thrown by done itself: the scheduler logs it, and done must not be called again
                }
                LOG.error("{} driver step failed", device, e);
                finish(new Failure("driver error on " + device + ": " + e
                        + "; the transport is broken, see the agent log"));
            }
        }

        void finish(SensorResult result) {
            if (finished) {
                return;
            }
            finished = true;
            busy = false;
            done.accept(result);
        }
    }
}
