package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.doctor.DoctorCommand;
import dev.spike.agent.notify.NotifyTestCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code doctor} and {@code notify-test} take the installed agent's config through one shared mixin. */
class ConfigFileOptionsTest {

    private static List<CommandLine> commands() {
        return List.of(new CommandLine(new DoctorCommand(Map.of())), new CommandLine(new NotifyTestCommand()));
    }

    @Test
    void bothCommandsTakeConfigAndHelpFromTheMixin() {
        for (CommandLine command : commands()) {
            assertThat(command.getCommandSpec().mixins()).as(command.getCommandName())
                    .hasEntrySatisfying("options", mixin -> assertThat(mixin.userObject())
                            .isInstanceOf(ConfigFileOptions.class));
            OptionSpec config = command.getCommandSpec().findOption("--config");
            assertThat(config.defaultValue()).isEqualTo(ConfigFileOptions.DEFAULT_CONFIG);
            assertThat(command.getCommandSpec().findOption("-h").usageHelp()).isTrue();
        }
    }

    @Test
    void theMixinKeepsEachCommandsHelpShape() {
        for (CommandLine command : commands()) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            // --config before -h (declaration order), the exit codes under their heading, the command's own text
            assertThat(help).as(command.getCommandName())
                    .containsSubsequence("--config=FILE", "(default /etc/spike/agent.properties).",
                            "-h, --help", "Show this help and exit.", "\nExit codes:\n", "  0   ", "  2   ");
        }
    }

    @Test
    void aGivenConfigFileReachesTheCommand() {
        ConfigFileOptions options = new ConfigFileOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            ConfigFileOptions mixed = options;
        }).parseArgs("--config", "/tmp/agent.properties");
        assertThat(options.configFile()).isEqualTo(Path.of("/tmp/agent.properties"));
    }
}
