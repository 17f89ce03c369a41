package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.doctor.DevicePermissionCheck.Mode;
import dev.spike.agent.link.BrokerProbe;
import dev.spike.agent.sensor.Environment;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.time.VirtualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole doctor on a healthy fake Pi built in a temporary directory, then with one thing broken at a time. */
class DoctorTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path root;

    private Layout layout;
    private Path config;
    private final VirtualScheduler scheduler = new VirtualScheduler(NOW);
    private final FakeSht30 sht30 = new FakeSht30(scheduler, Environment.constant(80, 25));
    private final FakeCommands tools = new FakeCommands().orElse(CommandRunner.system());

    @BeforeEach
    void aHealthyPi() throws IOException {
        layout = Layout.under(root);
        Files.createDirectories(layout.dev());
        Files.createFile(layout.dev().resolve("i2c-1"));
        Files.createFile(layout.dev().resolve("gpiochip0"));
        Files.createDirectories(layout.sys());
        Files.createDirectories(layout.etc());
        Files.writeString(layout.etc().resolve("passwd"), "root:x:0:0::/root:/bin/bash\n"
                + "spike:x:998:998::/var/lib/spike:/usr/sbin/nologin\n");
        Files.writeString(layout.etc().resolve("group"), "root:x:0:\nspike:x:998:\ni2c:x:994:spike\n"
                + "gpio:x:993:spike\n");
        Path data = Files.createDirectories(root.resolve("var/lib/spike"));
        Files.createDirectories(layout.etc().resolve("spike"));
        config = Files.writeString(layout.etc().resolve("spike/agent.properties").toAbsolutePath(),
                "agent.id=terrarium\ndata.dir=" + data + "\nvalve.gpio=17\nvalve.activeLow=true\n");
        Files.createDirectories(layout.unitFile().getParent());
        Files.writeString(layout.unitFile(), "[Service]\nExecStopPost=" + layout.valveCloseScript() + " --config "
                + config + "\n");
        Files.createDirectories(layout.valveCloseScript().getParent());
        Files.writeString(layout.valveCloseScript(), "#!/bin/sh\nprintf '%s\\n' gpio=17 activeLow=true"
                + " closedLevel=1 chip=gpiochip0 'command=/usr/bin/gpioset -c gpiochip0 -t0 17=1'\n");
        Files.setPosixFilePermissions(layout.valveCloseScript(), PosixFilePermissions.fromString("rwxr-xr-x"));
        tools.answer("gpiodetect", GpiodTest.DETECT_PI4).answer("gpioinfo", GpiodTest.INFO_V2)
                .answer("timedatectl", "yes\n");
    }

    @Test
    void measuresTheDataDirTheUnitPassesOverTheConfigs() throws Exception {
        Path serviceData = Files.createDirectories(root.resolve("srv/spike"));
        Files.writeString(layout.unitFile(), "[Service]\nExecStart=/usr/bin/java -Xmx64m -jar /opt/spike/spike-agent.jar"
                + " --config " + config + " --data-dir " + serviceData + "\nExecStopPost=" + layout.valveCloseScript()
                + " --config " + config + "\n");

        List<Finding> findings = examine();

        assertThat(findings.get(findings.size() - 1).finding()).isEqualTo("20.0 GB free for the store in "
                + serviceData + ".");
        assertThat(Doctor.dataDir(root.resolve("absent.service"), Path.of("/x"))).isEqualTo(Path.of("/x"));
    }

    private List<Finding> examine() throws InterruptedException {
        Doctor.Host host = new Doctor.Host(layout, tools, Clock.fixed(NOW, ZoneOffset.UTC), Map.of(), "root",
                (bus, address) -> sht30, scheduler::advance, path -> 20_000_000_000L,
                file -> new Mode("root", file.getFileName().toString().startsWith("i2c") ? "i2c" : "gpio",
                        PosixFilePermissions.fromString("rw-rw----")),
                BrokerProbe::connectOnce, Duration.ofSeconds(5));
        return new Doctor(host).examine(config);
    }

    private static String verdicts(List<Finding> findings) {
        return findings.stream().map(f -> f.check() + "=" + f.verdict()).collect(Collectors.joining(" "));
    }

    @Test
    void aHealthyPiPassesEveryCheckInOrder() throws Exception {
        List<Finding> findings = examine();

        assertThat(verdicts(findings)).isEqualTo("config=OK java=OK i2c-bus=OK kernel-driver=OK permissions=OK"
                + " sensor=OK gpio=OK stop-step=OK broker=OK clock=OK disk=OK");
        assertThat(Doctor.exitCode(findings)).isZero();
        assertThat(Doctor.tally(findings)).isEqualTo("0 FAIL, 0 WARN, 11 OK");
    }

    @Test
    void aKernelDriverOnTheAddressFailsTheRun() throws Exception {
        Path driver = Files.createDirectories(layout.sys().resolve("bus/i2c/drivers/sht3x"));
        Path device = Files.createDirectories(layout.sys().resolve("bus/i2c/devices/1-0044"));
        Files.createSymbolicLink(device.resolve("driver"), driver);

        List<Finding> findings = examine();

        assertThat(verdicts(findings)).contains("kernel-driver=FAIL");
        assertThat(Doctor.exitCode(findings)).isEqualTo(1);
    }

    @Test
    void aConfigThatDoesNotLoadIsTheFirstFailAndTheOtherChecksUseTheDefaults() throws Exception {
        Files.writeString(config, "valve.gpio=42\n");

        List<Finding> findings = examine();

        assertThat(findings.get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(findings.get(0).finding()).contains("valve.gpio", "42", "use the defaults");
        // the defaults: active-high on BCM 17, which the installed stop step (active-low) contradicts
        assertThat(verdicts(findings)).contains("i2c-bus=OK", "stop-step=FAIL");
        assertThat(Doctor.exitCode(findings)).isEqualTo(1);
    }

    @Test
    void aMissingConfigFileIsNamed() throws Exception {
        Files.delete(config);

        Finding first = examine().get(0);

        assertThat(first.line()).startsWith("FAIL  config         config file " + config + " does not exist");
    }

    @Test
    void warningsAloneLeaveTheExitCodeZero() throws Exception {
        tools.answer("timedatectl", 1, "", "System has not been booted with systemd as init system (PID 1).");

        List<Finding> findings = examine();

        assertThat(verdicts(findings)).contains("clock=WARN");
        assertThat(Doctor.exitCode(findings)).isZero();
    }
}
