package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpioLineCheckTest {

    @TempDir
    Path dev;

    @BeforeEach
    void chips() throws Exception {
        Files.createFile(dev.resolve("gpiochip0"));
        Files.createFile(dev.resolve("gpiochip1"));
    }

    private static FakeCommands tools(int version) {
        return new FakeCommands().answer("gpiodetect", GpiodTest.DETECT_PI4)
                .answer("gpioinfo", version == 1 ? GpiodTest.INFO_V1 : GpiodTest.INFO_V2);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void okWhenTheLineIsFree(int version) throws Exception {
        Finding finding = GpioLineCheck.run(dev, tools(version), 17);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("gpiochip0 [pinctrl-bcm2711] line 17 GPIO17 is free (input).");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void okWhenTheRunningAgentHoldsTheLine(int version) throws Exception {
        Finding finding = GpioLineCheck.run(dev, tools(version), 18);

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).contains("held by the running spike-agent (consumer valve-bcm18");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void failsNamingAnyOtherConsumer(int version) throws Exception {
        Finding finding = GpioLineCheck.run(dev, tools(version), 27);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("line 27 GPIO27 is in use by \""
                + (version == 1 ? "gpioset" : "my relay") + "\"");
        assertThat(finding.fix()).contains("valve.gpio");
    }

    @Test
    void theAgentOfAnotherPinIsSomebodyElse() throws Exception {
        Finding finding = GpioLineCheck.run(dev, new FakeCommands().answer("gpiodetect", GpiodTest.DETECT_PI4)
                .answer("gpioinfo", "gpiochip0 - 58 lines:\n\tline  17:\t\"GPIO17\"\toutput consumer=\"valve-bcm4\"\n"),
                17);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void failsWithoutAnyGpioChip() throws Exception {
        Files.delete(dev.resolve("gpiochip0"));
        Files.delete(dev.resolve("gpiochip1"));
        FakeCommands tools = tools(1);

        Finding finding = GpioLineCheck.run(dev, tools, 17);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).startsWith("no GPIO chip: no " + dev.resolve("gpiochip0"));
        assertThat(tools.calls()).isEmpty();
    }

    @Test
    void failsWhenTheGpiodToolsAreMissing() throws Exception {
        Finding finding = GpioLineCheck.run(dev, new FakeCommands(), 17);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.fix()).startsWith("sudo apt-get install gpiod");
    }

    @Test
    void failsWithoutAPinctrlChip() throws Exception {
        Finding finding = GpioLineCheck.run(dev, new FakeCommands()
                .answer("gpiodetect", "gpiochip0 [gpio-mockup-A] (8 lines)\n").answer("gpioinfo", ""), 17);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("no GPIO chip labelled pinctrl-*, found: gpiochip0 [gpio-mockup-A]");
    }

    @Test
    void failsWhenTheChipHasNoSuchLine() throws Exception {
        Finding finding = GpioLineCheck.run(dev, tools(2), 26);

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).isEqualTo("gpiochip0 [pinctrl-bcm2711] has no line 26.");
    }
}
