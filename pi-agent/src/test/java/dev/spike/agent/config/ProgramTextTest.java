package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.Program;
import dev.spike.model.Program.Period;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramTextTest {

    @TempDir
    Path dir;

    @Test
    void readsPeriodsWithAndWithoutCooldown() {
        assertThat(ProgramText.parse("22:00-07:00 85% 20min, 12:00 - 15:00 65.5 %")).isEqualTo(Program.of(
                new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20),
                new Period(LocalTime.of(12, 0), LocalTime.of(15, 0), 65.5, null)));
        assertThat(ProgramText.parse("6:30-9:00 80% 15 min").periods().get(0).from()).isEqualTo(LocalTime.of(6, 30));
    }

    @Test
    void emptyOrNoneIsNoProgram() {
        assertThat(ProgramText.parse("  ")).isEqualTo(Program.NONE);
        assertThat(ProgramText.parse("none")).isEqualTo(Program.NONE);
    }

    @Test
    void namesThePeriodAndWhatIsWrong() {
        assertThatThrownBy(() -> ProgramText.parse("22:00-07:00 85% 20min, 12:00-15:00"))
                .hasMessageStartingWith("rules.program period 2 (\"12:00-15:00\") must be like 22:00-07:00 85% or"
                        + " 22:00-07:00 85% 20min");
        assertThatThrownBy(() -> ProgramText.parse("22:00-07:00 120%"))
                .hasMessage("rules.program period 1 (\"22:00-07:00 120%\"): lowHumidityPct must be 1..99, was 120");
        assertThatThrownBy(() -> ProgramText.parse("25:00-07:00 85%"))
                .hasMessageStartingWith("rules.program period 1 (\"25:00-07:00 85%\"): times must be HH:mm");
        assertThatThrownBy(() -> ProgramText.parse("22:00-07:00 85%, 06:00-09:00 80%"))
                .hasMessage("rules.program program[1] must not overlap program[0] (22:00–07:00), was 06:00–09:00"
                        + " (program[0] is the first period)");
    }

    @Test
    void theConfigFileSetsTheProgramOfTheFirstRules() throws Exception {
        AgentConfig config = AgentConfig.load(write("rules.lowHumidityPct=70\nrules.program=22:00-07:00 85% 20min\n"));

        assertThat(config.rules().lowHumidityPct()).isEqualTo(70);
        assertThat(config.rules().program()).isEqualTo(Program.of(
                new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20)));
        assertThat(AgentConfig.load(write("agent.id=t\n")).rules().program()).isEqualTo(Program.NONE);
    }

    @Test
    void aBadProgramInTheConfigFileIsAConfigErrorNamingTheKey() throws IOException {
        Path file = write("rules.program=22:00-07:00 eighty%\n");

        assertThatThrownBy(() -> AgentConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ": rules.program period 1 (\"22:00-07:00 eighty%\") must be like");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, text);
        return file;
    }
}
