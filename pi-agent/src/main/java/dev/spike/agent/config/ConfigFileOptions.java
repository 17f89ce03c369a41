package dev.spike.agent.config;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the subcommands that read the installed agent's config ({@code doctor}, {@code notify-test}) share, as a
 * picocli mixin: {@code --config} with the path the service uses, {@code -h/--help}, options in declaration order and
 * the heading of the exit code list. Each command keeps its own description and exit codes.
 */
@Command(sortOptions = false, exitCodeListHeading = "%nExit codes:%n")
public final class ConfigFileOptions {

    /** Where install.sh puts the config the service reads. */
    public static final String DEFAULT_CONFIG = "/etc/spike/agent.properties";

    @Option(names = "--config", paramLabel = "FILE", defaultValue = DEFAULT_CONFIG,
            description = "The agent's properties file, as the service uses it (default ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The properties file to read. */
    public Path configFile() {
        return configFile;
    }
}
