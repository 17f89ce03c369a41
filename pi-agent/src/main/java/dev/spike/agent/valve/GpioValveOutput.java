package dev.spike.agent.valve;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import dev.spike.model.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay on a GPIO pin through Pi4J's gpiod provider (the sysfs one is broken on kernel 6.6+ and on the Pi 5),
 * wired explicitly. Initial and shutdown level are the closed level, active-low relay boards included, so that Pi4J's
 * own shutdown also leaves the valve closed. A SIGKILL still leaves the line as it was: systemd's
 * {@code ExecStopPost=} with {@code gpioset} covers that.
 */
public final class GpioValveOutput implements ValveOutput {

    private static final Logger LOG = LoggerFactory.getLogger(GpioValveOutput.class);

    public static final int DEFAULT_BCM_PIN = 17;

    private final Context pi4j;
    private final DigitalOutput line;
    private final int bcmPin;
    private final boolean activeLow;
    private boolean open;
    private boolean closed;

    private GpioValveOutput(Context pi4j, DigitalOutput line, int bcmPin, boolean activeLow) {
        this.pi4j = pi4j;
        this.line = line;
        this.bcmPin = bcmPin;
        this.activeLow = activeLow;
    }

    /**
     * Claims the pin and drives it to the closed level.
     *
     * @param bcmPin    BCM (not header) pin number, 0..27
     * @param activeLow true for relay boards that switch on when the input is pulled low (most cheap ones)
     * @throws IOException with a message that says what to fix, if the GPIO device is missing or not accessible
     */
    public static GpioValveOutput open(int bcmPin, boolean activeLow) throws IOException {
        Checks.range("bcmPin", bcmPin, 0, 27);
        // Checked before Pi4J, whose errors from the native gpiod library do not say what to do.
        checkGpioChips(Path.of("/dev"));
        DigitalState closedLevel = level(false, activeLow);
        Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(GpioDDigitalOutputProvider.newInstance()).build();
        try {
            DigitalOutputProvider provider = pi4j.provider(GpioDDigitalOutputProvider.ID);
            DigitalOutput line = provider.create(DigitalOutput.newConfigBuilder(pi4j)
                    .id(consumer(bcmPin))
                    .name("spray valve relay")
                    .address(bcmPin)
                    .initial(closedLevel)
                    .shutdown(closedLevel));
            LOG.info("valve relay on BCM {} ({}), closed", bcmPin, activeLow ? "active-low" : "active-high");
            return new GpioValveOutput(pi4j, line, bcmPin, activeLow);
        } catch (RuntimeException e) {
            shutdownQuietly(pi4j);
            String what = "cannot claim BCM " + bcmPin + " for the valve relay";
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("no gpio chip")) {
                // Pi4J's gpiod context only looks for the GPIO chip when it recognises the board.
                throw new IOException(what + ": Pi4J found no Raspberry Pi GPIO chip (board not recognised);"
                        + " run the agent on a Raspberry Pi, or use the simulation", e);
            }
            throw new IOException(describe(what, e) + "; is another program (gpioset, a second agent) using the pin?",
                    e);
        }
    }

    /**
     * The consumer label under which the agent holds the line (Pi4J's gpiod provider passes the id), as
     * {@code gpioinfo} shows it; {@code spike-agent doctor} recognises the agent by it.
     */
    public static String consumer(int bcmPin) {
        return "valve-bcm" + bcmPin;
    }

    /** Fails with an actionable message unless every {@code devDir}/gpiochip* can be read and written. */
    static void checkGpioChips(Path devDir) throws IOException {
        checkGpioChips(devDir, chip -> Files.isReadable(chip) && Files.isWritable(chip));
    }

    /** The check with the access test passed in, because as root every file passes {@link Files#isReadable}. */
    static void checkGpioChips(Path devDir, java.util.function.Predicate<Path> accessible) throws IOException {
        List<Path> chips;
        try (Stream<Path> entries = Files.list(devDir)) {
            chips = entries.filter(path -> path.getFileName().toString().startsWith("gpiochip"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (chips.isEmpty()) {
            throw new IOException("no " + devDir.resolve("gpiochip0")
                    + ": no GPIO character device; run the agent on a Raspberry Pi with a current Raspberry Pi OS");
        }
        for (Path chip : chips) {
            if (!accessible.test(chip)) {
                throw new IOException(permissionDenied(chip));
            }
        }
    }

    @Override
    public void set(boolean open) {
        if (closed) {
            throw new IllegalStateException("valve output on BCM " + bcmPin + " is closed; restart the agent");
        }
        try {
            line.state(level(open, activeLow));
        } catch (RuntimeException e) {
            throw new IllegalStateException(describe(
                    "cannot switch the valve relay on BCM " + bcmPin + (open ? " on" : " off"), e), e);
        }
        this.open = open;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Forces the relay off, then shuts Pi4J down, which drives the shutdown level once more. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            set(false);
        } catch (RuntimeException e) {
            LOG.error("closing the valve before shutdown failed; Pi4J's shutdown level is the last chance: {}",
                    e.getMessage(), e);
        } finally {
            closed = true;
            shutdownQuietly(pi4j);
        }
    }

    static DigitalState level(boolean open, boolean activeLow) {
        return open != activeLow ? DigitalState.HIGH : DigitalState.LOW;
    }

    private static String describe(String what, RuntimeException e) {
        String text = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
        if (text.toLowerCase(Locale.ROOT).contains("permission denied")) {
            return what + ": " + permissionDenied(Path.of("/dev/gpiochip0"));
        }
        return what + ": " + e.getMessage();
    }

    private static String permissionDenied(Path chip) {
        return "permission denied on " + chip + ": add the user to group gpio (`sudo usermod -aG gpio $USER`,"
                + " then log in again)";
    }

    private static void shutdownQuietly(Context pi4j) {
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Pi4J shutdown failed: {}", e.toString());
        }
    }
}
