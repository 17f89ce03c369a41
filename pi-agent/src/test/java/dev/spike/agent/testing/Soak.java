package dev.spike.agent.testing;

import java.time.Duration;

/**
 * The one switch between the short fault, fuzz and load runs that CI does on every build and the long ones that
 * prove more: {@code mvn -B verify -Dspike.long=true} (see docs/reliability.md). Tests size themselves here, never
 * with their own flags, so one run widens all of them.
 */
public final class Soak {

    /** Maven passes {@code -D} user properties on to the forked test JVM. */
    public static final boolean LONG = Boolean.getBoolean("spike.long");

    private Soak() {
    }

    /** {@code ci} on every build, {@code longRun} with {@code -Dspike.long=true}. */
    public static int count(int ci, int longRun) {
        return LONG ? longRun : ci;
    }

    /** {@code ci} on every build, {@code longRun} with {@code -Dspike.long=true}. */
    public static Duration duration(Duration ci, Duration longRun) {
        return LONG ? longRun : ci;
    }
}
