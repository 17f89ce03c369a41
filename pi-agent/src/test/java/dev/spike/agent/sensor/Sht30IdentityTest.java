package dev.spike.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.SensorFault;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Sht30IdentityTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2024-05-01T12:00:00Z"));
    private final FakeSht30 fake = new FakeSht30(scheduler, Environment.constant(50, 25));

    @Test
    void readsTheStatusAndTheSerialNumberWithoutChangingAnything() throws Exception {
        // a board that powers up with its heater on: reading the identity must leave the heater as it is
        FakeSht30 heated = FakeSht30.withHeaterOnAtPowerUp(scheduler, Environment.constant(50, 25));
        heated.setSerialNumber(0xDEAD_BEEFL);

        Sht30Identity identity = Sht30Identity.read(heated, scheduler::advance);

        assertThat(identity.serialNumber()).isEqualTo(0xDEAD_BEEFL);
        assertThat(identity.statusFlags()).isEqualTo("alert pending, heater on, reset detected");
        assertThat(identity).hasToString(
                "serial number 0xDEADBEEF, status 0xA010 (alert pending, heater on, reset detected)");
        assertThat(heated.commandsReceived()).containsExactly(Sht30Protocol.READ_STATUS,
                Sht30Protocol.READ_SERIAL_NUMBER_NO_STRETCH);
        assertThat(heated.heaterOn()).isTrue();
    }

    @Test
    void readsTheDatasheetsPowerUpStatus() throws Exception {
        Sht30Identity identity = Sht30Identity.read(fake, scheduler::advance);

        assertThat(identity.status()).isEqualTo(FakeSht30.POWER_UP_STATUS).isEqualTo(0x8010);
        assertThat(identity.statusFlags()).isEqualTo("alert pending, reset detected");
    }

    @Test
    void fallsBackToTheClockStretchingCommandWhenTheFirstIsNotAnswered() throws Exception {
        NackingOnce transport = new NackingOnce(fake, Sht30Protocol.READ_SERIAL_NUMBER_NO_STRETCH);

        Sht30Identity identity = Sht30Identity.read(transport, scheduler::advance);

        assertThat(identity.serialNumber()).isEqualTo(FakeSht30.DEFAULT_SERIAL_NUMBER);
        assertThat(fake.commandsReceived()).endsWith(Sht30Protocol.READ_SERIAL_NUMBER);
    }

    @Test
    void theFakeAnswersBothSerialNumberCommandsWithTwoWordsAndTheirCrcs() throws Exception {
        fake.setSerialNumber(0x1234_5678L);
        for (int command : new int[] {Sht30Protocol.READ_SERIAL_NUMBER, Sht30Protocol.READ_SERIAL_NUMBER_NO_STRETCH}) {
            scheduler.advance(Sht30Protocol.COMMAND_GAP);
            fake.write(Sht30Protocol.command(command));
            byte[] data = new byte[6];
            fake.read(data);

            assertThat(data).containsExactly(0x12, 0x34, Crc8.of(0x12, 0x34), 0x56, 0x78, Crc8.of(0x56, 0x78));
        }
    }

    @Test
    void aWrongCrcIsAnIoErrorThatNamesTheCable() {
        fake.setFault(SensorFault.CRC);

        assertThatThrownBy(() -> Sht30Identity.read(fake, scheduler::advance))
                .isInstanceOfSatisfying(I2cException.class, e -> assertThat(e.kind()).isEqualTo(I2cException.Kind.IO))
                .hasMessageContaining("CRC mismatch in the status (0xF32D)").hasMessageContaining("pull-ups");
    }

    @Test
    void aSensorThatDoesNotAnswerIsANack() {
        fake.setFault(SensorFault.NACK);

        assertThatThrownBy(() -> Sht30Identity.read(fake, scheduler::advance))
                .isInstanceOfSatisfying(I2cException.class,
                        e -> assertThat(e.kind()).isEqualTo(I2cException.Kind.NACK));
    }

    /** A part that does not know one command: it NACKs the read that follows it. */
    private static final class NackingOnce implements I2cTransport {
        private final FakeSht30 fake;
        private final int unknownCommand;
        private boolean nackNextRead;

        NackingOnce(FakeSht30 fake, int unknownCommand) {
            this.fake = fake;
            this.unknownCommand = unknownCommand;
        }

        @Override
        public void write(byte[] data) throws I2cException {
            fake.write(data);
            nackNextRead = data.length == 2 && ((data[0] & 0xFF) << 8 | (data[1] & 0xFF)) == unknownCommand;
        }

        @Override
        public void read(byte[] buffer) throws I2cException {
            if (nackNextRead) {
                nackNextRead = false;
                throw new I2cException(I2cException.Kind.NACK, "no acknowledge");
            }
            fake.read(buffer);
        }

        @Override
        public void close() {
        }
    }
}
