package dev.spike.agent.doctor;

import dev.spike.agent.doctor.Gpiod.Chip;
import dev.spike.agent.doctor.Gpiod.Line;
import dev.spike.agent.valve.GpioValveOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Check 5: the header's GPIO chip exists and the valve's line on it is free, or held by the agent itself. The chip
 * is found as Pi4J finds it: the first whose label contains "pinctrl" ({@code gpiochip0 [pinctrl-bcm2711]} on a
 * Pi 4, {@code [pinctrl-rp1]} on a Pi 5). Uses {@code gpiodetect} and {@code gpioinfo} of Debian's gpiod package,
 * v1 (Bookworm) or v2 (Trixie).
 */
final class GpioLineCheck {

    static final String NAME = "gpio";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private GpioLineCheck() {
    }

    static Finding run(Path dev, CommandRunner commands, int gpio) throws InterruptedException {
        List<Path> chips = DevicePermissionCheck.gpioChips(dev);
        if (chips.isEmpty()) {
            return Finding.fail(NAME, "no GPIO chip: no " + dev.resolve("gpiochip0")
                            + " (this is not a Raspberry Pi, or its kernel has no GPIO character device).",
                    "run the agent on a Raspberry Pi with a current Raspberry Pi OS.");
        }
        CommandRunner.Result detect = commands.run(TIMEOUT, List.of("gpiodetect"));
        if (!detect.started()) {
            return Finding.fail(NAME, "gpiodetect is missing (" + detect.message() + ").",
                    "sudo apt-get install gpiod (the stop step's gpioset needs it too).");
        }
        if (!detect.ok()) {
            return Finding.fail(NAME, "gpiodetect failed (exit " + detect.exitCode() + "): " + detect.message(),
                    "see permissions, then run gpiodetect yourself.");
        }
        List<Chip> detected = Gpiod.parseDetect(detect.stdout());
        Optional<Chip> header = Gpiod.headerChip(detected);
        if (header.isEmpty()) {
            return Finding.fail(NAME, "no GPIO chip labelled pinctrl-*, found: " + (detected.isEmpty() ? "none"
                            : detected.stream().map(Chip::toString).collect(Collectors.joining(", "))) + ".",
                    "run the agent on a Raspberry Pi with a current Raspberry Pi OS.");
        }
        CommandRunner.Result info = commands.run(TIMEOUT, List.of("gpioinfo"));
        if (!info.ok()) {
            return Finding.fail(NAME, "gpioinfo failed (exit " + info.exitCode() + "): " + info.message(),
                    "see permissions, then run gpioinfo yourself.");
        }
        Optional<Line> line = Gpiod.parseInfo(info.stdout(), header.get().name()).stream()
                .filter(l -> l.offset() == gpio).findFirst();
        return judge(header.get(), gpio, line.orElse(null));
    }

    /** @param line the line's state, or null if the chip has no such line */
    static Finding judge(Chip chip, int gpio, Line line) {
        if (line == null) {
            return Finding.fail(NAME, chip + " has no line " + gpio + ".",
                    "set valve.gpio to the relay's BCM pin (0..27) and re-run install.sh.");
        }
        String what = chip + " line " + gpio + " " + (line.name() == null ? "(unnamed)" : line.name());
        if (!line.used()) {
            return Finding.ok(NAME, what + " is free (" + line.direction() + ").");
        }
        if (GpioValveOutput.consumer(gpio).equals(line.consumer())) {
            return Finding.ok(NAME, what + " is held by the running spike-agent (consumer " + line.consumer()
                    + ", " + line.direction() + ").");
        }
        return Finding.fail(NAME, what + " is in use by \"" + line.consumer() + "\" (" + line.direction()
                        + "), so the agent cannot drive the valve.",
                "stop that program (a leftover gpioset, a second agent, a dtoverlay such as gpio-led), or wire the"
                        + " relay to a free pin and set valve.gpio.");
    }
}
