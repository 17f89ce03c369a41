package dev.spike.station.launch;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The station's JVM options for the README's plain {@code java -jar spike-station.jar}. A jar cannot carry JVM
 * options, and the JVM's defaults on a desktop (G1, a heap of a quarter of the memory, its first 1/64 committed at
 * once) held 450 to 490 MB for the demo's station. So a JVM started with no options at all replaces itself, before
 * anything else is loaded, with one that has {@link #OPTIONS}: {@code execve(2)} through JNA, as a shell script's
 * {@code exec java ...} would. Same process id, terminal, standard streams and signals; nothing is left behind to
 * wait or forward signals.
 *
 * <p>Started any other way (options given, {@code java -cp}, an IDE, tests) it does nothing, so a keeper's own
 * options always win. If it cannot (not Linux, JNA missing, execve failing), it says so on stderr and the station
 * runs on the JVM it has.
 */
public final class TunedJvm {

    /**
     * The serial collector with a small initial heap grows the heap only as the live data needs, and gives back
     * what is more than 30 % free after a full collection: the station's live data is tens of MB. G1's remembered
     * sets and card tables alone were 45 MB of native memory, its heap 180 MB committed for 64 MB used (NMT,
     * docs/performance.md). 512 MB is a ceiling far above the 50-agent load test's 82 MB, not a reservation. One
     * Netty arena each for direct and heap buffers (the default is two per core, for the broker and the MQTT client
     * alike) holds 12 MB less; the station moves a few hundred messages a second at most. The client compiler only
     * ({@code TieredStopAtLevel=1}, as the agent's unit runs on the Pi): C2 compiles the start's one-off code at
     * length on the cores the window waits for, and holds memory for it; without it the demo's window came 1.4 s
     * sooner (4.9 to 3.5 s) and its station held 65 MB less (393 to 327 MB), for a UI whose hot loops (a chart's
     * redraw, the store's queries) are not compute-bound (docs/performance.md, "The demo's start").
     */
    static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms16m", "-Xmx512m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
            "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1");

    /**
     * glibc gives each thread that allocates its own malloc arena, up to 8 per core; the station runs about 60
     * threads (JavaFX, Netty, HiveMQ). Two arenas are plenty for its native allocations.
     */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private TunedJvm() {
    }

    /** Returns only if this JVM goes on as it is: it was started with options, or the replacement failed. */
    public static void replaceIfPlain() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return;
        }
        List<String> commandLine = ownCommandLine();
        if (!isPlainJar(commandLine)) {
            return;
        }
        List<String> argv = command(commandLine);
        String[] envp = environment(System.getenv());
        try {
            System.out.flush();
            System.err.flush();
            LibC.INSTANCE.execve(argv.get(0), argv.toArray(new String[0]), envp);
            // execve returns only on failure
            System.err.println("spike-station: cannot restart with the options " + OPTIONS + " (execve failed, errno "
                    + Native.getLastError() + "); going on with the JVM's defaults");
        } catch (LinkageError | RuntimeException e) {
            System.err.println("spike-station: cannot restart with the options " + OPTIONS + " (" + e
                    + "); going on with the JVM's defaults");
        }
    }

    /** {@code java -jar JAR ARGS...}: nothing between the launcher and {@code -jar}. */
    static boolean isPlainJar(List<String> commandLine) {
        return commandLine.size() >= 3 && commandLine.get(1).equals("-jar");
    }

    /**
     * The same launcher, the options, the build's class-data-sharing archive for this JVM if there is one, then
     * {@code -jar JAR ARGS...} as given.
     */
    static List<String> command(List<String> commandLine) {
        List<String> argv = new ArrayList<>();
        // the launcher that started this JVM: /proc/self/exe would be the same binary, but java.home is portable
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(OPTIONS);
        Path archive = archiveFor(Path.of(commandLine.get(2)), System.getProperty("java.vm.version"));
        if (Files.isReadable(archive)) {
            argv.add("-XX:SharedArchiveFile=" + archive);
        }
        argv.addAll(commandLine.subList(1, commandLine.size()));
        return argv;
    }

    /**
     * Where the build leaves the jar's class-data-sharing archive: {@code spike-station-17.0.15+6.jsa} next to
     * {@code spike-station.jar}, named after the JVM that wrote it (station-app/pom.xml, {@code CdsTraining}). An
     * archive holds the station's start-up classes parsed and verified, so the JVM maps them instead of loading them
     * one by one (the demo's window 0.5 s sooner, docs/performance.md). Only the JVM build that wrote it can read it,
     * hence the name; one that finds the jar rebuilt since ignores the archive by itself.
     */
    static Path archiveFor(Path jar, String vmVersion) {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        return jar.resolveSibling(name + "-" + vmVersion + ".jsa");
    }

    static String[] environment(Map<String, String> current) {
        Map<String, String> env = new TreeMap<>(current);
        ENVIRONMENT.forEach(env::putIfAbsent);
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** argv of this process, as the kernel has it; empty if unreadable. */
    private static List<String> ownCommandLine() {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8);
            return Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** JNA turns each String[] into a NULL-terminated char*[], as execve wants. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int execve(String path, String[] argv, String[] envp);
    }
}
