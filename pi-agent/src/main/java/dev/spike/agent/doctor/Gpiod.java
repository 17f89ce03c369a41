package dev.spike.agent.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the output of libgpiod's {@code gpiodetect} and {@code gpioinfo}, in both versions Raspberry Pi OS
 * ships: v1 (gpiod 1.6, Bookworm) and v2 (gpiod 2.x, Trixie). Formats as printed by libgpiod's tools/gpiodetect.c
 * and tools/gpioinfo.c (v1) and tools/gpioinfo.c with tools-common.c (v2):
 *
 * <pre>
 * gpiodetect, both:  gpiochip0 [pinctrl-bcm2711] (58 lines)
 * gpioinfo, both:    gpiochip0 - 58 lines:
 * v1 line:           \tline  17:     "GPIO17"       unused   input  active-high
 * v1 line, used:     \tline  17:     "GPIO17" "valve-bcm17"  output  active-high [used]
 * v2 line:           \tline  17:\t"GPIO17"        \tinput
 * v2 line, used:     \tline  17:\t"GPIO17"        \toutput consumer="valve-bcm17"
 * </pre>
 *
 * A name is quoted, or {@code unnamed}; v1 prints an unused line's consumer as {@code unused} and a line the kernel
 * holds without a consumer label as {@code kernel}, v2 prints {@code consumer=...} only for a used line.
 */
final class Gpiod {

    /** A GPIO chip as gpiodetect lists it. */
    record Chip(String name, String label, int lines) {
        @Override
        public String toString() {
            return name + " [" + label + "]";
        }
    }

    /**
     * One line of a chip.
     *
     * @param name      the line's name without quotes, or null if unnamed
     * @param consumer  who holds it ("kernel" if the kernel does without a label), or null if unused
     * @param direction "input" or "output"
     */
    record Line(int offset, String name, boolean used, String consumer, String direction) {
    }

    private static final Pattern DETECT = Pattern.compile("^(\\S+) \\[(.*)\\] \\((\\d+) lines\\)\\s*$");
    private static final Pattern CHIP_HEADER = Pattern.compile("^(\\S+) - (\\d+) lines:\\s*$");
    private static final Pattern LINE = Pattern.compile("^\\s*line\\s+(\\d+):\\s*(\"[^\"]*\"|unnamed)\\s*(.*)$");
    private static final Pattern V1_REST = Pattern.compile(
            "^(\"[^\"]*\"|unused|kernel)\\s+(input|output)\\s+(active-high|active-low)\\s*(\\[[^\\]]*\\])?\\s*$");
    private static final Pattern V2_CONSUMER = Pattern.compile("\\bconsumer=(\"(.*)\"|(\\S+))\\s*$");

    private Gpiod() {
    }

    static List<Chip> parseDetect(String output) {
        List<Chip> chips = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = DETECT.matcher(line.strip());
            if (m.matches()) {
                chips.add(new Chip(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
            }
        }
        return chips;
    }

    /** The header's chip as Pi4J's gpiod provider picks it: the first whose label contains "pinctrl". */
    static Optional<Chip> headerChip(List<Chip> chips) {
        return chips.stream().filter(chip -> chip.label().contains("pinctrl")).findFirst();
    }

    /** The lines of one chip in the output of a plain {@code gpioinfo}, which lists every chip. */
    static List<Line> parseInfo(String output, String chipName) {
        List<Line> lines = new ArrayList<>();
        boolean inChip = false;
        for (String text : output.split("\n")) {
            Matcher header = CHIP_HEADER.matcher(text.strip());
            if (header.matches()) {
                inChip = header.group(1).equals(chipName);
                continue;
            }
            if (inChip) {
                Line line = parseLine(text);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** One {@code line N: ...} row of either version, or null if it is not one. */
    static Line parseLine(String text) {
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        int offset = Integer.parseInt(m.group(1));
        String name = m.group(2).equals("unnamed") ? null : unquote(m.group(2));
        String rest = m.group(3).strip();
        Matcher v1 = V1_REST.matcher(rest);
        if (v1.matches()) {
            String consumer = v1.group(1);
            boolean used = !consumer.equals("unused");
            return new Line(offset, name, used, used ? unquote(consumer) : null, v1.group(2));
        }
        // v2: the direction, then attributes, consumer=... last and only for a used line
        String direction = rest.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        Matcher consumer = V2_CONSUMER.matcher(rest);
        if (consumer.find()) {
            return new Line(offset, name, true, consumer.group(2) != null ? consumer.group(2) : consumer.group(3),
                    direction);
        }
        return new Line(offset, name, false, null, direction);
    }

    private static String unquote(String text) {
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
    }
}
