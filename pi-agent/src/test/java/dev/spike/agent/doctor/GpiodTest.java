package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.doctor.Gpiod.Chip;
import dev.spike.agent.doctor.Gpiod.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The formats as libgpiod's tools print them (v1.6: Bookworm; v2.2: Trixie), byte for byte where it matters. */
class GpiodTest {

    /** gpiodetect on a Pi 4 (both versions print this). */
    static final String DETECT_PI4 = "gpiochip0 [pinctrl-bcm2711] (58 lines)\n"
            + "gpiochip1 [raspberrypi-exp-gpio] (8 lines)\n";

    /** gpioinfo v1: "\tline %3u: " then 12-wide name, consumer, "input "/"output ", "active-high ", flags. */
    static final String INFO_V1 = "gpiochip0 - 58 lines:\n"
            + "\tline   0:     \"ID_SDA\"       unused   input  active-high \n"
            + "\tline  17:     \"GPIO17\"       unused   input  active-high \n"
            + "\tline  18:     \"GPIO18\" \"valve-bcm18\"  output  active-high [used]\n"
            + "\tline  27:     \"GPIO27\"  \"gpioset\"  output  active-high [used]\n"
            + "\tline  42:      unnamed     \"kernel\"   input  active-high [used]\n"
            + "\tline  43:      unnamed       kernel   input  active-low [used]\n"
            + "gpiochip1 - 8 lines:\n"
            + "\tline  17:      \"BT_ON\"       unused  output  active-high \n";

    /** gpioinfo v2: "\tline %3u:", a tab, the name padded to 16, a tab, the attributes, consumer=... last. */
    static final String INFO_V2 = "gpiochip0 - 58 lines:\n"
            + "\tline   0:\t\"ID_SDA\"        \tinput\n"
            + "\tline  17:\t\"GPIO17\"        \tinput\n"
            + "\tline  18:\t\"GPIO18\"        \toutput consumer=\"valve-bcm18\"\n"
            + "\tline  27:\t\"GPIO27\"        \toutput active-low drive=open-drain bias=pull-up consumer=\"my relay\"\n"
            + "\tline  42:\tunnamed         \tinput consumer=\"kernel\"\n"
            + "gpiochip1 - 8 lines:\n"
            + "\tline  17:\t\"BT_ON\"         \toutput\n";

    @Test
    void parsesGpiodetectAndPicksThePinctrlChipAsPi4jDoes() {
        List<Chip> chips = Gpiod.parseDetect(DETECT_PI4);

        assertThat(chips).containsExactly(new Chip("gpiochip0", "pinctrl-bcm2711", 58),
                new Chip("gpiochip1", "raspberrypi-exp-gpio", 8));
        assertThat(Gpiod.headerChip(chips)).contains(chips.get(0));
    }

    @Test
    void findsThePi5HeaderChipWhateverItsNumber() {
        List<Chip> chips = Gpiod.parseDetect("gpiochip0 [gpio-brcmstb@107d508500] (32 lines)\n"
                + "gpiochip4 [pinctrl-rp1] (54 lines)\n");

        assertThat(Gpiod.headerChip(chips)).map(Chip::name).contains("gpiochip4");
    }

    @Test
    void parsesVersionOneLines() {
        List<Line> lines = Gpiod.parseInfo(INFO_V1, "gpiochip0");

        assertThat(lines).containsExactly(
                new Line(0, "ID_SDA", false, null, "input"),
                new Line(17, "GPIO17", false, null, "input"),
                new Line(18, "GPIO18", true, "valve-bcm18", "output"),
                new Line(27, "GPIO27", true, "gpioset", "output"),
                new Line(42, null, true, "kernel", "input"),
                new Line(43, null, true, "kernel", "input"));
    }

    @Test
    void parsesVersionTwoLines() {
        List<Line> lines = Gpiod.parseInfo(INFO_V2, "gpiochip0");

        assertThat(lines).containsExactly(
                new Line(0, "ID_SDA", false, null, "input"),
                new Line(17, "GPIO17", false, null, "input"),
                new Line(18, "GPIO18", true, "valve-bcm18", "output"),
                new Line(27, "GPIO27", true, "my relay", "output"),
                new Line(42, null, true, "kernel", "input"));
    }

    @Test
    void readsOnlyTheChipAsked() {
        assertThat(Gpiod.parseInfo(INFO_V1, "gpiochip1")).containsExactly(new Line(17, "BT_ON", false, null,
                "output"));
        assertThat(Gpiod.parseInfo(INFO_V2, "gpiochip1")).containsExactly(new Line(17, "BT_ON", false, null,
                "output"));
    }

    @Test
    void theBriefsOwnExamplesParse() {
        assertThat(Gpiod.parseLine("\tline  17:     \"GPIO17\"       unused   input  active-high"))
                .isEqualTo(new Line(17, "GPIO17", false, null, "input"));
        assertThat(Gpiod.parseLine("\tline 17:\t\"GPIO17\"\tinput"))
                .isEqualTo(new Line(17, "GPIO17", false, null, "input"));
        assertThat(Gpiod.parseLine("gpiochip0 - 58 lines:")).isNull();
    }
}
