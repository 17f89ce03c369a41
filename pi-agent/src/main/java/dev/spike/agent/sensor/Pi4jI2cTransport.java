package dev.spike.agent.sensor;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real bus: Pi4J's linuxfs I2C provider on /dev/i2c-N, wired explicitly (an auto context would silently pick a
 * mock provider off the Pi). Pi4J reports every failure as a runtime exception with a generic message; this adapter
 * turns them into {@link I2cException}s that say what to do.
 */
public final class Pi4jI2cTransport implements I2cTransport {

    private static final Logger LOG = LoggerFactory.getLogger(Pi4jI2cTransport.class);

    public static final int DEFAULT_BUS = 1;
    private static final Path SYSFS = Path.of("/sys");
    /** Bookworm's and Trixie's place; older images had /boot/config.txt. */
    private static final String CONFIG_TXT = "/boot/firmware/config.txt";

    private final Context pi4j;
    private final I2C i2c;
    private final int bus;
    private final int address;
    /**
     * Set once the bus said EBUSY: Pi4J remembers the address as selected although the ioctl failed, so later
     * transfers would go out unaddressed and read as "not answering"; the real cause is repeated instead.
     */
    private I2cException busy;

    private Pi4jI2cTransport(Context pi4j, I2C i2c, int bus, int address) {
        this.pi4j = pi4j;
        this.i2c = i2c;
        this.bus = bus;
        this.address = address;
    }

    /** The SHT30 at its default address 0x44 on bus 1. */
    public static Pi4jI2cTransport open() throws I2cException {
        return open(DEFAULT_BUS, Sht30.DEFAULT_ADDRESS);
    }

    public static Pi4jI2cTransport open(int bus, int address) throws I2cException {
        if (bus < 0 || address < 0x03 || address > 0x77) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "bus must be >= 0 and address 0x03..0x77, was bus %d address 0x%02X", bus, address));
        }
        // Checked before Pi4J so that the common set-up mistakes get a precise message, also off the Pi.
        checkDevice(Path.of("/dev"), bus);
        checkAddressFree(SYSFS, bus, address);
        Context pi4j = Pi4J.newContextBuilder().noAutoDetect().add(LinuxFsI2CProvider.newInstance()).build();
        try {
            I2CProvider provider = pi4j.provider(LinuxFsI2CProvider.ID);
            I2C i2c = provider.create(I2C.newConfigBuilder(pi4j)
                    .id(String.format(Locale.ROOT, "i2c-%d-0x%02x", bus, address))
                    .bus(bus)
                    .device(address));
            return new Pi4jI2cTransport(pi4j, i2c, bus, address);
        } catch (RuntimeException e) {
            shutdownQuietly(pi4j);
            throw translate(e, bus, address);
        }
    }

    /** Fails with an actionable message unless {@code devDir}/i2c-{@code bus} exists and is readable and writable. */
    static void checkDevice(Path devDir, int bus) throws I2cException {
        checkDevice(devDir, bus, path -> Files.isReadable(path) && Files.isWritable(path));
    }

    /** The check with the access test passed in, because as root every file passes {@link Files#isReadable}. */
    static void checkDevice(Path devDir, int bus, java.util.function.Predicate<Path> accessible)
            throws I2cException {
        Path device = devDir.resolve("i2c-" + bus);
        if (!Files.exists(device)) {
            throw new I2cException(I2cException.Kind.ABSENT,
                    "no " + device + ": enable I2C with `sudo raspi-config` (Interface Options > I2C)");
        }
        if (!accessible.test(device)) {
            throw new I2cException(I2cException.Kind.PERMISSION, permissionDenied(device));
        }
    }

    /**
     * Fails with {@link I2cException.Kind#BUSY} when a kernel driver is bound to the address (sysfs under {@code sys}
     * has a {@code driver} link for it): i2c-dev would refuse the address with EBUSY at the first transfer.
     */
    static void checkAddressFree(Path sys, int bus, int address) throws I2cException {
        if (Files.exists(sys.resolve(devicePath(bus, address)).resolve("driver"), LinkOption.NOFOLLOW_LINKS)) {
            throw busy(bus, address, sys, null);
        }
    }

    private static String devicePath(int bus, int address) {
        return String.format(Locale.ROOT, "bus/i2c/devices/%d-%04x", bus, address);
    }

    /** The address is held by a kernel driver: name it from sysfs, and say how to free the address. */
    private static I2cException busy(int bus, int address, Path sys, Throwable cause) {
        String device = String.format(Locale.ROOT, "%d-%04x", bus, address);
        String link = "/sys/" + devicePath(bus, address) + "/driver";
        String what = String.format(Locale.ROOT, "address 0x%02X on /dev/i2c-%d is in use by ", address, bus);
        String driver = null;
        try {
            driver = Files.readSymbolicLink(sys.resolve(devicePath(bus, address)).resolve("driver"))
                    .getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no driver link for {}: {}", device, e.toString());
        }
        String message;
        if (driver == null) {
            message = what + "a kernel driver (no " + link + " link found); see `ls -l /sys/bus/i2c/devices/` and"
                    + " remove the dtoverlay that claims it from " + CONFIG_TXT;
        } else if (driver.equals("sht3x")) {
            message = what + "the kernel driver sht3x (" + link + "); remove dtoverlay=i2c-sensor,sht3x from "
                    + CONFIG_TXT;
        } else {
            message = what + "the kernel driver " + driver + " (" + link + "); remove the dtoverlay that loads it"
                    + " from " + CONFIG_TXT + ", or unbind it: echo " + device + " > /sys/bus/i2c/drivers/" + driver
                    + "/unbind";
        }
        return new I2cException(I2cException.Kind.BUSY, message, cause);
    }

    private static String permissionDenied(Path device) {
        return "permission denied on " + device + ": add the user to group i2c (`sudo usermod -aG i2c $USER`,"
                + " then log in again)";
    }

    @Override
    public void write(byte[] data) throws I2cException {
        Objects.requireNonNull(data, "data");
        if (busy != null) {
            throw busy;
        }
        try {
            i2c.write(data, 0, data.length);
        } catch (RuntimeException e) {
            throw remember(translate(e, bus, address));
        }
    }

    @Override
    public void read(byte[] buffer) throws I2cException {
        Objects.requireNonNull(buffer, "buffer");
        if (busy != null) {
            throw busy;
        }
        int count;
        try {
            count = i2c.read(buffer, 0, buffer.length);
        } catch (RuntimeException e) {
            throw remember(translate(e, bus, address));
        }
        if (count != buffer.length) {
            throw new I2cException(I2cException.Kind.IO, String.format(Locale.ROOT,
                    "short read from 0x%02X on bus %d: %d of %d bytes; check wiring and pull-ups",
                    address, bus, count, buffer.length));
        }
    }

    private I2cException remember(I2cException e) {
        if (e.kind() == I2cException.Kind.BUSY) {
            busy = e;
        }
        return e;
    }

    @Override
    public void close() throws I2cException {
        try {
            i2c.close();
        } catch (RuntimeException e) {
            LOG.warn("closing I2C device 0x{} on bus {} failed: {}", Integer.toHexString(address), bus, e.toString());
        } finally {
            shutdownQuietly(pi4j);
        }
    }

    /**
     * Maps a Pi4J failure by the errno text of its cause: the kernel's i2c-dev reports a NACK as EREMOTEIO ("Remote
     * I/O error") on the Pi's controller, ENXIO on some others.
     */
    static I2cException translate(RuntimeException e, int bus, int address) {
        return translate(e, bus, address, SYSFS);
    }

    /** As {@link #translate(RuntimeException, int, int)}, with sysfs at {@code sys} (a fake tree in tests). */
    static I2cException translate(RuntimeException e, int bus, int address, Path sys) {
        String text = causeChainText(e);
        if (text.contains("device or resource busy")) {
            // i2c-dev's I2C_SLAVE ioctl refuses an address that a kernel driver has bound
            return busy(bus, address, sys, e);
        }
        if (text.contains("remote i/o error") || text.contains("no such device or address")) {
            return new I2cException(I2cException.Kind.NACK, String.format(Locale.ROOT,
                    "SHT30 not answering at 0x%02X on bus %d: check wiring and address", address, bus), e);
        }
        if (text.contains("permission denied") || text.contains("not readable") || text.contains("not writable")) {
            return new I2cException(I2cException.Kind.PERMISSION, permissionDenied(Path.of("/dev/i2c-" + bus)), e);
        }
        if (text.contains("does not exist") || text.contains("no such file")) {
            return new I2cException(I2cException.Kind.ABSENT,
                    "no /dev/i2c-" + bus + ": enable I2C with `sudo raspi-config` (Interface Options > I2C)", e);
        }
        return new I2cException(I2cException.Kind.IO, String.format(Locale.ROOT,
                "I2C error at 0x%02X on bus %d: %s; check wiring, pull-ups and cable length",
                address, bus, e.getMessage()), e);
    }

    private static String causeChainText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            text.append(' ').append(t.getMessage());
        }
        return text.toString().toLowerCase(Locale.ROOT);
    }

    private static void shutdownQuietly(Context pi4j) {
        try {
            pi4j.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Pi4J shutdown failed: {}", e.toString());
        }
    }
}
