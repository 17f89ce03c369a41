package dev.spike.agent.sensor;

import static dev.spike.agent.sensor.Sht30Protocol.COMMAND_GAP;
import static dev.spike.agent.sensor.Sht30Protocol.READ_SERIAL_NUMBER;
import static dev.spike.agent.sensor.Sht30Protocol.READ_SERIAL_NUMBER_NO_STRETCH;
import static dev.spike.agent.sensor.Sht30Protocol.READ_STATUS;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_ALERT_PENDING;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_COMMAND_FAILED;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_HEATER_ON;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RESET_DETECTED;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RH_ALERT;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_T_ALERT;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_WRITE_CRC_FAILED;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who answers at the sensor's address: its status word and serial number, read once by {@code spike-agent doctor}.
 * Unlike {@link Sht30}, which never blocks the agent thread, this reads synchronously: the doctor is a one-shot
 * command with nothing else to do. It changes nothing on the sensor (no reset, no heater command).
 *
 * @param status       the status register (0xF32D)
 * @param serialNumber the 32-bit serial number (0x3682, or 0x3780 on parts that NACK it)
 */
public record Sht30Identity(int status, long serialNumber) {

    /** Waits between commands; {@code Thread::sleep} on the Pi, a virtual clock's advance in tests. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /**
     * Reads the status, then the serial number.
     *
     * @throws I2cException on a NACK, an I/O error or a word whose CRC is wrong (kind {@code IO}), with a message
     *                      that says what to check
     */
    public static Sht30Identity read(I2cTransport transport, Pause pause) throws I2cException, InterruptedException {
        int status = words(transport, pause, READ_STATUS, 1, "status")[0];
        pause.pause(COMMAND_GAP);
        int[] serial;
        try {
            serial = words(transport, pause, READ_SERIAL_NUMBER_NO_STRETCH, 2, "serial number");
        } catch (I2cException e) {
            if (e.kind() == I2cException.Kind.ABSENT || e.kind() == I2cException.Kind.PERMISSION) {
                throw e;
            }
            // an older part may not know the command without clock stretching: ask as the kernel driver does
            pause.pause(COMMAND_GAP);
            serial = words(transport, pause, READ_SERIAL_NUMBER, 2, "serial number");
        }
        return new Sht30Identity(status, (long) serial[0] << 16 | serial[1]);
    }

    /** The set status bits in words, e.g. "alert pending, heater on, reset detected", or "no flags". */
    public String statusFlags() {
        List<String> flags = new ArrayList<>();
        flag(flags, STATUS_ALERT_PENDING, "alert pending");
        flag(flags, STATUS_HEATER_ON, "heater on");
        flag(flags, STATUS_RH_ALERT, "RH alert");
        flag(flags, STATUS_T_ALERT, "T alert");
        flag(flags, STATUS_RESET_DETECTED, "reset detected");
        flag(flags, STATUS_COMMAND_FAILED, "last command not processed");
        flag(flags, STATUS_WRITE_CRC_FAILED, "write checksum failed");
        return flags.isEmpty() ? "no flags" : String.join(", ", flags);
    }

    public boolean heaterOn() {
        return (status & STATUS_HEATER_ON) != 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "serial number 0x%08X, status 0x%04X (%s)", serialNumber, status,
                statusFlags());
    }

    private void flag(List<String> flags, int bit, String name) {
        if ((status & bit) != 0) {
            flags.add(name);
        }
    }

    private static int[] words(I2cTransport transport, Pause pause, int command, int count, String what)
            throws I2cException, InterruptedException {
        transport.write(Sht30Protocol.command(command));
        pause.pause(COMMAND_GAP);
        byte[] data = new byte[count * 3];
        transport.read(data);
        int[] words = new int[count];
        for (int i = 0; i < count; i++) {
            int msb = data[i * 3] & 0xFF;
            int lsb = data[i * 3 + 1] & 0xFF;
            int crc = data[i * 3 + 2] & 0xFF;
            if (crc != Crc8.of(msb, lsb)) {
                throw new I2cException(I2cException.Kind.IO, String.format(Locale.ROOT,
                        "CRC mismatch in the %s (%s): got 0x%02X, expected 0x%02X; check the cable (short, twisted"
                                + " or shielded) and the pull-ups", what, Sht30Protocol.hex4(command), crc,
                        Crc8.of(msb, lsb)));
            }
            words[i] = msb << 8 | lsb;
        }
        return words;
    }
}
