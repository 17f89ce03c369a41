package dev.spike.agent.doctor;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spike-agent doctor}: checks the Pi, the wiring and the installation, one line per check. */
@Command(name = "doctor", sortOptions = false,
        description = {"Checks what the agent needs on this Pi: config, Java, I2C, the SHT30, the valve's GPIO"
                + " line, the systemd stop step, the broker, the clock and the disk. One line per check: OK, WARN"
                + " (advice) or FAIL with the fix. Run it after installing and whenever something is wrong;"
                + " sudo lets it read everything.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no check failed (warnings allowed)", "1:at least one check failed",
            "2:bad flag"})
public final class DoctorCommand implements Callable<Integer> {

    /** Where install.sh puts the config the service reads. */
    static final String DEFAULT_CONFIG = "/etc/spike/agent.properties";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_CONFIG,
            description = "The agent's properties file, as the service uses it (default ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

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
        List<Finding> findings = new Doctor(host.get()).examine(configFile);
        for (Finding finding : findings) {
            out.println(finding.line());
        }
        out.println(Doctor.tally(findings));
        out.flush();
        return Doctor.exitCode(findings);
    }
}
