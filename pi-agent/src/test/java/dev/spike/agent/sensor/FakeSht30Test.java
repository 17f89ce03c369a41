package dev.spike.agent.sensor;

import static dev.spike.agent.sensor.Sht30Protocol.STATUS_ALERT_PENDING;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_COMMAND_FAILED;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_HEATER_ON;
import static dev.spike.agent.sensor.Sht30Protocol.STATUS_RESET_DETECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.SensorFault;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FakeSht30Test {

    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeSht30 fake = new FakeSht30(scheduler, Environment.constant(50, 25));

    @Test
    void nacksAReadBeforeTheMeasurementTimeHasPassed() throws Exception {
        fake.write(Sht30Protocol.command(Sht30Protocol.MEASURE_HIGH));
        scheduler.advance(Duration.ofMillis(14));

        assertThatThrownBy(() -> fake.read(new byte[6]))
                .isInstanceOfSatisfying(I2cException.class,
                        e -> assertThat(e.kind()).isEqualTo(I2cException.Kind.NACK));

        scheduler.advance(Duration.ofMillis(1));
        byte[] data = new byte[6];
        fake.read(data);
        assertThat(word(data, 0)).isCloseTo(rawTemperature(25), within(2));
    }

    @Test
    void sendsAValidCrcAfterEveryWord() throws Exception {
        byte[] data = measure();

        assertThat(data[2] & 0xFF).isEqualTo(Crc8.of(data[0], data[1]));
        assertThat(data[5] & 0xFF).isEqualTo(Crc8.of(data[3], data[4]));
    }

    @Test
    void hasNothingToSendTwice() throws Exception {
        measure();

        assertThatThrownBy(() -> fake.read(new byte[6])).isInstanceOf(I2cException.class);
    }

    @Test
    void powersUpWithTheHeaterOffAndResetDetectedAsTheDatasheetSays() throws Exception {
        assertThat(readStatus()).isEqualTo(STATUS_ALERT_PENDING | STATUS_RESET_DETECTED);
        assertThat(fake.heaterOn()).isFalse();
    }

    @Test
    void canPowerUpWithTheHeaterOnAsSomeBoardsDo() throws Exception {
        FakeSht30 board = FakeSht30.withHeaterOnAtPowerUp(scheduler, Environment.constant(50, 25));

        assertThat(board.heaterOn()).isTrue();
        assertThat(board.status()).isEqualTo(STATUS_ALERT_PENDING | STATUS_HEATER_ON | STATUS_RESET_DETECTED);
    }

    @Test
    void switchesTheHeaterAndClearsTheStatus() throws Exception {
        command(Sht30Protocol.HEATER_OFF);
        command(Sht30Protocol.CLEAR_STATUS);

        assertThat(readStatus()).isZero();
        assertThat(fake.heaterOn()).isFalse();

        command(Sht30Protocol.HEATER_ON);
        assertThat(readStatus()).isEqualTo(STATUS_HEATER_ON);
    }

    @Test
    void softResetTurnsTheHeaterOffAndSetsResetDetected() throws Exception {
        command(Sht30Protocol.CLEAR_STATUS);
        command(Sht30Protocol.SOFT_RESET);
        scheduler.advance(Duration.ofMillis(2));

        assertThat(readStatus()).isEqualTo(STATUS_ALERT_PENDING | STATUS_RESET_DETECTED);
    }

    @Test
    void flagsAnUnknownCommandUntilTheNextValidOne() throws Exception {
        command(0x1234);
        assertThat(readStatus() & STATUS_COMMAND_FAILED).isNotZero();

        command(Sht30Protocol.CLEAR_STATUS);
        assertThat(readStatus() & STATUS_COMMAND_FAILED).isZero();
    }

    @Test
    void nacksACommandLessThanOneMillisecondAfterThePreviousOne() throws Exception {
        fake.write(Sht30Protocol.command(Sht30Protocol.HEATER_OFF));

        assertThatThrownBy(() -> fake.write(Sht30Protocol.command(Sht30Protocol.CLEAR_STATUS)))
                .isInstanceOf(I2cException.class);
        assertThat(fake.commandsReceived()).containsExactly(Sht30Protocol.HEATER_OFF);
    }

    @Test
    void crcFaultSendsWrongChecksums() throws Exception {
        fake.setFault(SensorFault.CRC);
        byte[] data = measure();

        assertThat(data[2] & 0xFF).isNotEqualTo(Crc8.of(data[0], data[1]));
        assertThat(data[5] & 0xFF).isNotEqualTo(Crc8.of(data[3], data[4]));
    }

    @Test
    void stuckFaultRepeatsTheSameWordsWhileHealthyReadsVary() throws Exception {
        byte[] first = measure();
        boolean varied = false;
        for (int i = 0; i < 10; i++) {
            varied |= word(measure(), 0) != word(first, 0);
        }
        assertThat(varied).as("noise in the last bits").isTrue();

        fake.setFault(SensorFault.STUCK);
        byte[] stuck = measure();
        for (int i = 0; i < 10; i++) {
            assertThat(measure()).isEqualTo(stuck);
        }
    }

    @Test
    void nackFaultNacksEveryTransaction() {
        fake.setFault(SensorFault.NACK);

        assertThatThrownBy(() -> fake.write(new byte[0]))
                .isInstanceOfSatisfying(I2cException.class,
                        e -> assertThat(e.kind()).isEqualTo(I2cException.Kind.NACK));
        assertThatThrownBy(() -> fake.read(new byte[6])).isInstanceOf(I2cException.class);
        assertThat(fake.nacks()).isEqualTo(2);
    }

    @Test
    void absentFaultReportsAMissingDevice() {
        fake.setFault(SensorFault.ABSENT);

        assertThatThrownBy(() -> fake.write(Sht30Protocol.command(Sht30Protocol.MEASURE_HIGH)))
                .isInstanceOfSatisfying(I2cException.class,
                        e -> assertThat(e.kind()).isEqualTo(I2cException.Kind.ABSENT));
    }

    @Test
    void recoversWhenTheFaultIsCleared() throws Exception {
        fake.setFault(SensorFault.NACK);
        fake.setFault(SensorFault.OK);

        byte[] data = measure();
        assertThat(data[2] & 0xFF).isEqualTo(Crc8.of(data[0], data[1]));
    }

    private byte[] measure() throws I2cException {
        scheduler.advance(Duration.ofMillis(1));
        fake.write(Sht30Protocol.command(Sht30Protocol.MEASURE_HIGH));
        scheduler.advance(Duration.ofMillis(15));
        byte[] data = new byte[6];
        fake.read(data);
        return data;
    }

    private void command(int command) throws I2cException {
        scheduler.advance(Duration.ofMillis(1));
        fake.write(Sht30Protocol.command(command));
    }

    private int readStatus() throws I2cException {
        command(Sht30Protocol.READ_STATUS);
        byte[] data = new byte[3];
        fake.read(data);
        assertThat(data[2] & 0xFF).isEqualTo(Crc8.of(data[0], data[1]));
        return word(data, 0);
    }

    private static int rawTemperature(double celsius) {
        return (int) Math.round((celsius + 45) / 175 * 65535);
    }

    private static int word(byte[] data, int offset) {
        return (data[offset] & 0xFF) << 8 | (data[offset + 1] & 0xFF);
    }
}
