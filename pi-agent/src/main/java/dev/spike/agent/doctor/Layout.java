package dev.spike.agent.doctor;

import java.nio.file.Path;

/**
 * Where the doctor looks: the system's /dev, /sys, /etc and /run, the installed unit and the stop step. Tests put
 * all of it under a temporary directory.
 *
 * @param unitFile         the installed systemd unit
 * @param valveCloseScript the stop step the unit's {@code ExecStopPost=} must run
 */
record Layout(Path dev, Path sys, Path etc, Path run, Path unitFile, Path valveCloseScript) {

    public static final Layout SYSTEM = under(Path.of("/"));

    /** The standard paths below {@code root}. */
    public static Layout under(Path root) {
        return new Layout(root.resolve("dev"), root.resolve("sys"), root.resolve("etc"), root.resolve("run"),
                root.resolve("etc/systemd/system/spike-agent.service"),
                root.resolve("opt/spike/bin/spike-valve-close"));
    }
}
