package dev.spike.agent.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Check 2: the user the agent runs as may read and write {@code /dev/i2c-N} and every {@code /dev/gpiochip*}.
 * Judged from owner, group and mode rather than {@link Files#isReadable}, which is always true for root: the doctor
 * is usually run with sudo, and the service runs as {@value #SERVICE_USER}.
 */
final class DevicePermissionCheck {

    static final String NAME = "permissions";
    static final String SERVICE_USER = "spike";

    /** Owner, group and mode of a device file. */
    record Mode(String owner, String group, Set<PosixFilePermission> permissions) {

        @Override
        public String toString() {
            return owner + ":" + group + " " + PosixFilePermissions.toString(permissions);
        }
    }

    /** Reads a file's {@link Mode}; tests pass a map, since their files all belong to whoever runs them. */
    @FunctionalInterface
    interface ModeReader {
        Mode read(Path file) throws IOException;

        static ModeReader system() {
            return file -> {
                PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
                return new Mode(attributes.owner().getName(), attributes.group().getName(),
                        attributes.permissions());
            };
        }
    }

    /** A user and the groups it is in, from /etc/passwd and /etc/group. */
    record Account(String name, Set<String> groups) {
    }

    private DevicePermissionCheck() {
    }

    /** @param runningUser the user running the doctor ({@code user.name}) */
    static Finding run(Path dev, Path etc, int bus, String runningUser, ModeReader modes) {
        List<Path> devices = new ArrayList<>();
        Path i2c = dev.resolve("i2c-" + bus);
        if (Files.exists(i2c)) {
            devices.add(i2c);
        }
        devices.addAll(gpioChips(dev));
        if (devices.isEmpty()) {
            return Finding.warn(NAME, "nothing to check: no " + i2c + " and no " + dev.resolve("gpiochip*") + ".",
                    null);
        }
        Account account;
        boolean serviceUser;
        try {
            account = account(etc, SERVICE_USER);
            serviceUser = account != null;
            if (account == null) {
                account = "root".equals(runningUser) ? new Account("root", Set.of("root")) : account(etc, runningUser);
            }
        } catch (IOException e) {
            return Finding.warn(NAME, "cannot read " + etc.resolve("passwd") + " or " + etc.resolve("group") + ": "
                    + e.getMessage(), null);
        }
        if (account == null) {
            return Finding.warn(NAME, "cannot tell: neither " + SERVICE_USER + " nor " + runningUser + " is in "
                    + etc.resolve("passwd") + ".", null);
        }
        List<Device> facts = new ArrayList<>();
        for (Path device : devices) {
            try {
                facts.add(new Device(device, modes.read(device)));
            } catch (IOException e) {
                return Finding.warn(NAME, "cannot read the mode of " + device + ": " + e.getMessage(), null);
            }
        }
        return judge(account, serviceUser, "root".equals(runningUser), facts);
    }

    record Device(Path path, Mode mode) {
    }

    /**
     * @param serviceUser whether {@code account} is the service's user (else the one running the doctor)
     * @param asRoot      whether the doctor runs as root
     */
    static Finding judge(Account account, boolean serviceUser, boolean asRoot, List<Device> devices) {
        String who = account.name() + (serviceUser ? " (the service's user)" : "");
        String prefix = asRoot ? "running as root; " : "";
        if (account.name().equals("root")) {
            return Finding.warn(NAME, prefix + "root may open every device, but there is no user " + SERVICE_USER
                    + " for the service yet.", "run install.sh, which creates it.");
        }
        List<String> denied = new ArrayList<>();
        for (Device device : devices) {
            if (!mayReadAndWrite(account, device.mode())) {
                denied.add(device.path() + " (" + device.mode() + ")");
            }
        }
        String names = devices.stream().map(d -> d.path().getFileName().toString()).collect(Collectors.joining(", "));
        if (denied.isEmpty()) {
            return Finding.ok(NAME, prefix + who + " may read and write " + names + ".");
        }
        return Finding.fail(NAME, prefix + who + " may not read and write " + String.join(", ", denied)
                        + "; its groups: " + String.join(" ", account.groups()) + ".",
                "sudo usermod -aG i2c,gpio " + account.name() + ", then sudo systemctl restart spike-agent.");
    }

    static boolean mayReadAndWrite(Account account, Mode mode) {
        Set<PosixFilePermission> p = mode.permissions();
        // the kernel checks the first class that matches: owner, else group, else others
        if (account.name().equals(mode.owner())) {
            return p.contains(PosixFilePermission.OWNER_READ) && p.contains(PosixFilePermission.OWNER_WRITE);
        }
        if (account.groups().contains(mode.group())) {
            return p.contains(PosixFilePermission.GROUP_READ) && p.contains(PosixFilePermission.GROUP_WRITE);
        }
        return p.contains(PosixFilePermission.OTHERS_READ) && p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** The user's primary group and every group that lists it, or null if there is no such user. */
    static Account account(Path etc, String user) throws IOException {
        String primaryGid = null;
        for (String line : lines(etc.resolve("passwd"))) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 4 && fields[0].equals(user)) {
                primaryGid = fields[3];
                break;
            }
        }
        if (primaryGid == null) {
            return null;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String line : lines(etc.resolve("group"))) {
            String[] fields = line.split(":", -1);
            if (fields.length < 4) {
                continue;
            }
            boolean member = Stream.of(fields[3].split(",")).map(String::strip).anyMatch(user::equals);
            if (fields[2].equals(primaryGid) || member) {
                groups.add(fields[0]);
            }
        }
        return new Account(user, groups);
    }

    static List<Path> gpioChips(Path dev) {
        try (Stream<Path> entries = Files.list(dev)) {
            return entries.filter(p -> p.getFileName().toString().matches("gpiochip\\d+")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
