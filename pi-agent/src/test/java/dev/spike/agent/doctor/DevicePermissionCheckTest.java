package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.doctor.DevicePermissionCheck.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePermissionCheckTest {

    private static final Mode I2C = new Mode("root", "i2c", PosixFilePermissions.fromString("rw-rw----"));
    private static final Mode GPIO = new Mode("root", "gpio", PosixFilePermissions.fromString("rw-rw----"));

    @TempDir
    Path root;

    private Path dev;
    private Path etc;
    private final Map<String, Mode> modes = new HashMap<>();

    @BeforeEach
    void aPiWithOneBusAndOneChip() throws IOException {
        dev = Files.createDirectories(root.resolve("dev"));
        etc = Files.createDirectories(root.resolve("etc"));
        Files.createFile(dev.resolve("i2c-1"));
        Files.createFile(dev.resolve("gpiochip0"));
        modes.put("i2c-1", I2C);
        modes.put("gpiochip0", GPIO);
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n"
                + "pi:x:1000:1000::/home/pi:/bin/bash\n"
                + "spike:x:998:998::/var/lib/spike:/usr/sbin/nologin\n");
    }

    private void groups(String i2cMembers, String gpioMembers) throws IOException {
        Files.writeString(etc.resolve("group"), "root:x:0:\npi:x:1000:\nspike:x:998:\n"
                + "i2c:x:994:" + i2cMembers + "\ngpio:x:993:" + gpioMembers + "\n");
    }

    private Finding run(String runningUser) {
        return DevicePermissionCheck.run(dev, etc, 1, runningUser, file -> {
            Mode mode = modes.get(file.getFileName().toString());
            if (mode == null) {
                throw new NoSuchFileException(file.toString());
            }
            return mode;
        });
    }

    @Test
    void okWhenTheServiceUserIsInBothGroupsEvenIfRootRunsTheDoctor() throws IOException {
        groups("pi,spike", "spike");

        Finding finding = run("root");

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).startsWith("running as root; spike (the service's user) may read and write")
                .contains("i2c-1", "gpiochip0");
    }

    @Test
    void failsWhenTheServiceUserIsNotInGroupGpio() throws IOException {
        groups("spike", "pi");

        Finding finding = run("root");

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("may not read and write " + dev.resolve("gpiochip0")
                + " (root:gpio rw-rw----)").doesNotContain("i2c-1 (");
        assertThat(finding.fix()).startsWith("sudo usermod -aG i2c,gpio spike");
    }

    @Test
    void checksTheRunningUserWhenThereIsNoServiceUser() throws IOException {
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/bash\npi:x:1000:1000::/home/pi:/bin/bash\n");
        groups("", "");

        Finding finding = run("pi");

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.fix()).startsWith("sudo usermod -aG i2c,gpio pi");
    }

    @Test
    void rootWithoutAServiceUserIsAdviceToInstall() throws IOException {
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/bash\n");
        groups("", "");

        Finding finding = run("root");

        assertThat(finding.verdict()).isEqualTo(Verdict.WARN);
        assertThat(finding.fix()).contains("install.sh");
    }

    @Test
    void devicesOpenToEveryoneAreFineWithoutTheGroups() throws IOException {
        groups("", "");
        modes.put("i2c-1", new Mode("root", "root", PosixFilePermissions.fromString("rw-rw-rw-")));
        modes.put("gpiochip0", new Mode("root", "root", PosixFilePermissions.fromString("rw-rw-rw-")));

        assertThat(run("root").verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void theOwnerClassDecidesForTheOwnerAsTheKernelDoes() {
        DevicePermissionCheck.Account spike = new DevicePermissionCheck.Account("spike", java.util.Set.of("i2c"));

        assertThat(DevicePermissionCheck.mayReadAndWrite(spike,
                new Mode("spike", "i2c", PosixFilePermissions.fromString("---rw-rw-")))).isFalse();
        assertThat(DevicePermissionCheck.mayReadAndWrite(spike,
                new Mode("root", "i2c", PosixFilePermissions.fromString("rw-r-----")))).isFalse();
        assertThat(DevicePermissionCheck.mayReadAndWrite(spike,
                new Mode("root", "i2c", PosixFilePermissions.fromString("rw-rw----")))).isTrue();
    }

    @Test
    void thePrimaryGroupCounts() throws IOException {
        Files.writeString(etc.resolve("passwd"), "spike:x:998:994::/var/lib/spike:/usr/sbin/nologin\n");
        groups("", "spike");

        assertThat(DevicePermissionCheck.account(etc, "spike").groups()).containsExactlyInAnyOrder("i2c", "gpio");
    }

    @Test
    void warnsThatThereIsNothingToCheckWithoutDevices() throws IOException {
        Files.delete(dev.resolve("i2c-1"));
        Files.delete(dev.resolve("gpiochip0"));
        groups("spike", "spike");

        assertThat(run("root").verdict()).isEqualTo(Verdict.WARN);
    }
}
