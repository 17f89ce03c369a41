package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.sensor.Environment;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.I2cException;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.SensorFault;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensorCheckTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-12-01T12:00:00Z"));
    private final FakeSht30 fake = new FakeSht30(scheduler, Environment.constant(70, 24));
    private final List<String> opened = new ArrayList<>();

    private Finding run(int bus, int address) throws InterruptedException {
        return SensorCheck.run((b, a) -> {
            opened.add(b + "/" + Integer.toHexString(a));
            return fake;
        }, scheduler::advance, bus, address);
    }

    @Test
    void okShowsTheSerialNumberAndTheStatus() throws Exception {
        fake.setSerialNumber(0x1234_ABCDL);

        Finding finding = run(1, 0x44);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("SHT30 at 0x44 on bus 1: serial number 0x1234ABCD, status 0x8010"
                + " (alert pending, reset detected).");
        assertThat(opened).containsExactly("1/44");
    }

    @Test
    void failsWithTheWiringFixWhenNothingAnswers() throws Exception {
        fake.setFault(SensorFault.NACK);

        Finding finding = run(1, 0x45);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).isEqualTo("nothing answers at 0x45 on bus 1.");
        assertThat(finding.fix()).contains("SDA pin 3", "sensor.address", "i2cdetect");
    }

    @Test
    void failsOnACrcErrorNamingTheCable() throws Exception {
        fake.setFault(SensorFault.CRC);

        Finding finding = run(1, 0x44);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("CRC mismatch");
        assertThat(finding.fix()).contains("pull-ups");
    }

    @Test
    void failsWhenTheBusCannotBeOpened() throws Exception {
        Finding finding = SensorCheck.run((b, a) -> {
            throw new I2cException(I2cException.Kind.ABSENT, "no /dev/i2c-1: enable I2C");
        }, scheduler::advance, 1, 0x44);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("no /dev/i2c-1");
    }
}
