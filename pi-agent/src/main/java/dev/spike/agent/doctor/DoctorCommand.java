package dev.spike.agent.doctor;

import dev.spike.agent.config.ConfigFileOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code spike-agent doctor}: checks the Pi, the wiring and the installation, one line per check. */
@Command(name = "doctor",
        description = {"Checks what the agent needs on this Pi: config, Java, I2C, the SHT30, the valve's GPIO"
                + " line, the systemd stop step, the broker, the clock and the disk. One line per check: OK, WARN"
                + " (advice) or FAIL with the fix. Run it after installing and whenever something is wrong;"
                + " sudo lets it read everything.", ""},
        exitCodeList = {"0:no check failed (warnings allowed)", "1:at least one check failed",
            "2:bad flag"})
public final class DoctorCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOptions options;

    @Spec
    CommandSpec spec;

    /** Built only when the doctor runs, so that registering the subcommand costs the agent's start nothing. */
    private final Supplier<Doctor.Host> host;

    /** The real machine; {@code env} is where the MQTT password may come from, as for the agent. */
    public DoctorCommand(Map<String, String> env) {
        this.host = () -> Doctor.Host.system(env);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        List<Finding> findings = new Doctor(host.get()).examine(options.configFile());
        for (Finding finding : findings) {
            out.println(finding.line());
        }
        out.println(Doctor.tally(findings));
        out.flush();
        return Doctor.exitCode(findings);
    }
}
