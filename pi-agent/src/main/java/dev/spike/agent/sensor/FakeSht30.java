package dev.spike.agent.sensor;

import static dev.spike.agent.sensor.Sht30Protocol.CLEAR_STATUS;
import static dev.spike.agent.sensor.Sht30Protocol.COMMAND_GAP;
import static dev.spike.agent.sensor.Sht30Protocol.HEATER_OFF;
import static dev.spike.agent.sensor.Sht30Protocol.HEATER_ON;
import static dev.spike.agent.sensor.Sht30Protocol.MEASURE_HIGH;
import static dev.spike.agent.sensor.Sht30Protocol.MEASURE_LOW;
import static dev.spike.agent.sensor.Sht30Protocol.MEASURE_MEDIUM;
import static dev.spike.agent.sensor.Sht30Protocol.READ_SERIAL_NUMBER;
import static dev.spike.agent.sensor.Sht30Protocol.READ_SERIAL_NUMBER_NO_STRETCH;
import static dev.spike.agent.sensor.Sht30Protocol.READ_STATUS;
import static dev.spike.agent.sensor.Sht30Protocol.SOFT_RESET;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_ALERT_PENDING;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_COMMAND_FAILED;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_HEATER_ON;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RESET_DETECTED;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RH_ALERT;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_T_ALERT;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_WRITE_CRC_FAILED;

import dev.spike.agent.time.Scheduler;
import dev.spike.model.SensorFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A simulated SHT30 on the I2C bus, on the scheduler's clock. It speaks the real protocol rather than replaying
 * expected calls: a read before the measurement time has passed is NACKed, a command less than 1 ms after the
 * previous one is NACKed, every word carries a CRC, the status register tracks the heater, resets and rejected
 * commands, and measured words carry +-2 LSB of noise as a live sensor's do.
 *
 * <p>Power-up state is the datasheet's: heater off (status bit 13 clear), alert pending and reset detected set; a
 * soft reset returns to it. {@link #withHeaterOnAtPowerUp} plays a board that comes up with its heater on. Values come from an {@link Environment}, sampled when the measurement
 * command arrives.
 *
 * <p>Faults ({@link #setFault}): {@code NACK} NACKs every transaction; {@code CRC} sends wrong CRC bytes;
 * {@code STUCK} repeats the raw words of the first measurement after the switch forever, with valid CRCs;
 * {@code ABSENT} throws {@link I2cException.Kind#ABSENT} as a missing bus does. Use from the scheduler's thread only.
 */
public final class FakeSht30 implements I2cTransport {

    /** After power-up and after a soft reset (datasheet: heater off, alert pending, reset detected). */
    static final int POWER_UP_STATUS = STATUS_ALERT_PENDING | STATUS_RESET_DETECTED;
    private static final int NOISE_LSB = 2;
    /** The serial number a fake answers with unless told otherwise (32 bits, as the device's). */
    public static final long DEFAULT_SERIAL_NUMBER = 0x0C8D_1B2AL;

    private final Scheduler scheduler;
    private final Environment environment;
    private final SplittableRandom noise;

    private SensorFault fault = SensorFault.OK;
    private int transientNacks;
    private int status = POWER_UP_STATUS;
    private Instant busyUntil = Instant.MIN;
    private int[] measurement;
    private Instant measurementReadyAt;
    /** Told how long each transaction takes on the bus, so that a virtual clock can let it pass; or null. */
    private Consumer<Duration> busTime;
    private boolean statusRequested;
    private boolean serialRequested;
    private long serialNumber = DEFAULT_SERIAL_NUMBER;
    private int[] stuckWords;
    private boolean closed;

    private final List<Integer> commandsReceived = new ArrayList<>();
    private int nacks;

    public FakeSht30(Scheduler scheduler, Environment environment) {
        this(scheduler, environment, 0x5EED);
    }

    /** {@code noiseSeed} makes the LSB noise repeatable. */
    public FakeSht30(Scheduler scheduler, Environment environment, long noiseSeed) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.noise = new SplittableRandom(noiseSeed);
    }

    /** A board whose heater comes up on, as some do: the driver must turn it off, or it reads warm and dry. */
    public static FakeSht30 withHeaterOnAtPowerUp(Scheduler scheduler, Environment environment) {
        FakeSht30 fake = new FakeSht30(scheduler, environment);
        fake.status |= STATUS_HEATER_ON;
        return fake;
    }

    /** Switches to a fault, or back to {@code OK}. Switching to {@code STUCK} latches the next measured words. */
    public void setFault(SensorFault fault) {
        this.fault = Objects.requireNonNull(fault, "fault");
        stuckWords = null;
    }

    public SensorFault fault() {
        return fault;
    }

    /** NACKs the next {@code count} transactions, as bus noise or a loose contact would. */
    public void nackNext(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        transientNacks = count;
    }

    /** The status register as the sensor holds it right now (what 0xF32D would return). */
    public int status() {
        return status;
    }

    /** What "read serial number" (0x3780 or 0x3682) answers from now on: two 16-bit words, high one first. */
    public void setSerialNumber(long serialNumber) {
        if (serialNumber < 0 || serialNumber > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("serialNumber must be 0..0xFFFFFFFF, was " + serialNumber);
        }
        this.serialNumber = serialNumber;
    }

    public boolean heaterOn() {
        return (status & STATUS_HEATER_ON) != 0;
    }

    /** Every command the sensor acknowledged, in order; NACKed transactions never reach the command decoder. */
    public List<Integer> commandsReceived() {
        return List.copyOf(commandsReceived);
    }

    /** How many transactions were NACKed, for whatever reason. */
    public int nacks() {
        return nacks;
    }

    /**
     * Makes every transaction take its time on a 100 kHz bus (START, address and data bytes of 9 clocks each, STOP:
     * 0.29 ms for a command), passed to {@code elapse} (a virtual clock's {@code spend}) while the transaction runs.
     * The 1 ms pause the SHT30 needs is counted from the end of a command, so a driver that times it from the start
     * of its write is caught.
     */
    public void takeBusTime(Consumer<Duration> elapse) {
        this.busTime = Objects.requireNonNull(elapse, "elapse");
    }

    private void transfer(int bytes) {
        if (busTime != null) {
            busTime.accept(Duration.ofNanos((2 + 9L * (1 + bytes)) * 10_000));
        }
    }

    /**
     * Time as the device lives it: the monotonic clock. The SHT30 measures for 15 ms whatever the Pi's clock says;
     * were it to follow a clock stepped back an hour, it would stay busy for that hour.
     */
    private Instant deviceNow() {
        return Instant.EPOCH.plusNanos(scheduler.nanoTime());
    }

    @Override
    public void write(byte[] data) throws I2cException {
        Objects.requireNonNull(data, "data");
        Instant now = deviceNow();
        checkReachable();
        // While measuring or resetting, and for 1 ms after any command, the SHT30 ignores its address.
        if (now.isBefore(busyUntil)) {
            throw nack("SHT30 busy: command sent less than 1 ms after the previous one, or while measuring");
        }
        transfer(data.length);
        // the command takes effect at its STOP condition, once all of it has crossed the bus
        now = deviceNow();
        if (data.length == 0) {
            return; // address probe, as i2cdetect does it
        }
        if (data.length != 2) {
            // Alert-limit writes (command + data + CRC) are not simulated; a 1-byte write is an incomplete command.
            status |= STATUS_COMMAND_FAILED;
            return;
        }
        int command = (data[0] & 0xFF) << 8 | (data[1] & 0xFF);
        commandsReceived.add(command);
        // Any command discards a result that was not read, as on the device.
        measurement = null;
        statusRequested = false;
        serialRequested = false;
        busyUntil = now.plus(COMMAND_GAP);
        if (command != READ_STATUS) {
            // Reading the status must not overwrite what it reports about the command before it.
            status &= ~(STATUS_COMMAND_FAILED | STATUS_WRITE_CRC_FAILED);
        }
        switch (command) {
            case MEASURE_HIGH -> startMeasurement(now, Sht30Protocol.HIGH_DURATION);
            case MEASURE_MEDIUM -> startMeasurement(now, Sht30Protocol.MEDIUM_DURATION);
            case MEASURE_LOW -> startMeasurement(now, Sht30Protocol.LOW_DURATION);
            case SOFT_RESET -> {
                status = POWER_UP_STATUS;
                busyUntil = now.plus(Sht30Protocol.SOFT_RESET_DURATION);
            }
            case HEATER_ON -> status |= STATUS_HEATER_ON;
            case HEATER_OFF -> status &= ~STATUS_HEATER_ON;
            case CLEAR_STATUS -> status &= ~(STATUS_ALERT_PENDING | STATUS_RH_ALERT | STATUS_T_ALERT
                    | STATUS_RESET_DETECTED);
            case READ_STATUS -> statusRequested = true;
            case READ_SERIAL_NUMBER, READ_SERIAL_NUMBER_NO_STRETCH -> serialRequested = true;
            default -> status |= STATUS_COMMAND_FAILED;
        }
    }

    @Override
    public void read(byte[] buffer) throws I2cException {
        Objects.requireNonNull(buffer, "buffer");
        Instant now = deviceNow();
        checkReachable();
        transfer(buffer.length);
        int[] words;
        if (statusRequested) {
            words = new int[] {status};
            statusRequested = false;
        } else if (serialRequested) {
            words = new int[] {(int) (serialNumber >>> 16), (int) (serialNumber & 0xFFFF)};
            serialRequested = false;
        } else if (measurement != null) {
            if (now.isBefore(measurementReadyAt)) {
                throw nack("SHT30 still measuring: read before the measurement time has passed");
            }
            words = measurement;
            measurement = null;
        } else {
            throw nack("SHT30 has nothing to send: no measurement, status or serial number was requested");
        }
        byte[] bytes = new byte[words.length * 3];
        for (int i = 0; i < words.length; i++) {
            int crc = Crc8.ofWord(words[i]);
            bytes[i * 3] = (byte) (words[i] >> 8);
            bytes[i * 3 + 1] = (byte) words[i];
            bytes[i * 3 + 2] = (byte) (fault == SensorFault.CRC ? crc ^ 0xFF : crc);
        }
        // A master may stop early; if it reads on, the released bus reads as 0xFF.
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = i < bytes.length ? bytes[i] : (byte) 0xFF;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void startMeasurement(Instant now, Duration duration) {
        int[] words = new int[] {
            toWord((environment.temperatureC() + 45) / 175 * 65535),
            toWord(environment.humidityPct() / 100 * 65535)
        };
        if (fault == SensorFault.STUCK) {
            if (stuckWords == null) {
                stuckWords = words;
            }
            words = stuckWords;
        }
        measurement = words;
        measurementReadyAt = now.plus(duration);
        busyUntil = measurementReadyAt;
    }

    private int toWord(double value) {
        long word = Math.round(value) + noise.nextInt(-NOISE_LSB, NOISE_LSB + 1);
        return (int) Math.max(0, Math.min(0xFFFF, word));
    }

    private void checkReachable() throws I2cException {
        if (closed) {
            throw new I2cException(I2cException.Kind.IO, "fake SHT30 transport is closed; create a new one");
        }
        if (fault == SensorFault.ABSENT) {
            throw new I2cException(I2cException.Kind.ABSENT,
                    "SHT30 absent: nothing on the bus (simulated unplug); check the sensor cable");
        }
        if (fault == SensorFault.NACK) {
            throw nack("SHT30 not answering (simulated NACK fault): check wiring and address");
        }
        if (transientNacks > 0) {
            transientNacks--;
            throw nack("SHT30 not answering (simulated bus noise)");
        }
    }

    private I2cException nack(String message) {
        nacks++;
        return new I2cException(I2cException.Kind.NACK, message);
    }
}
