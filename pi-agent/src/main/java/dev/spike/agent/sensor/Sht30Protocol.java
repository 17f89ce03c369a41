package dev.spike.agent.sensor;

import java.time.Duration;

/**
 * The SHT3x-DIS command set and timings (Sensirion datasheet v5), shared by the driver and the fake so that both
 * speak exactly the same protocol.
 */
final class Sht30Protocol {

    /** Single shot, high repeatability, no clock stretching: the Pi's I2C controller mishandles stretching. */
    static final int MEASURE_HIGH = 0x2400;
    static final int MEASURE_MEDIUM = 0x240B;
    static final int MEASURE_LOW = 0x2416;
    static final int SOFT_RESET = 0x30A2;
    static final int HEATER_ON = 0x306D;
    static final int HEATER_OFF = 0x3066;
    static final int CLEAR_STATUS = 0x3041;
    static final int READ_STATUS = 0xF32D;
    /**
     * Read the serial number: two words, each with its CRC. Sensirion's "Electronic Identification Code SHT3x" note
     * gives 0x3780 with clock stretching (the Linux kernel's sht3x driver sends it) and 0x3682 without; the Pi's
     * controller mishandles stretching, so 0x3682 goes first and 0x3780 is the fallback.
     */
    static final int READ_SERIAL_NUMBER = 0x3780;
    static final int READ_SERIAL_NUMBER_NO_STRETCH = 0x3682;

    static final int STATUS_ALERT_PENDING = 1 << 15;
    static final int STATUS_HEATER_ON = 1 << 13;
    static final int STATUS_RH_ALERT = 1 << 11;
    static final int STATUS_T_ALERT = 1 << 10;
    static final int STATUS_RESET_DETECTED = 1 << 4;
    static final int STATUS_COMMAND_FAILED = 1 << 1;
    static final int STATUS_WRITE_CRC_FAILED = 1;

    /** Datasheet maxima of the single-shot measurement durations. */
    static final Duration HIGH_DURATION = Duration.ofMillis(15);
    static final Duration MEDIUM_DURATION = Duration.ofMillis(6);
    static final Duration LOW_DURATION = Duration.ofMillis(4);
    /** The minimum pause between two commands. */
    static final Duration COMMAND_GAP = Duration.ofMillis(1);
    /** Datasheet soft reset time is 1.5 ms at most. */
    static final Duration SOFT_RESET_DURATION = Duration.ofNanos(1_500_000);

    /** The sensor's specified range; the conversion formulas alone reach -45..130 degC. */
    static final double MIN_TEMPERATURE_C = -40;
    static final double MAX_TEMPERATURE_C = 125;

    private Sht30Protocol() {
    }

    static byte[] command(int command) {
        return new byte[] {(byte) (command >> 8), (byte) command};
    }

    static double temperatureC(int raw) {
        return -45 + 175.0 * raw / 65535;
    }

    static double humidityPct(int raw) {
        return 100.0 * raw / 65535;
    }

    static String hex4(int command) {
        return String.format("0x%04X", command);
    }
}
