package dev.spike.station.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The one-command demo as a newcomer starts it: {@code java -jar station-app/target/spike-station.jar --demo} as a
 * child process, from the build's root folder, with a real window on a virtual display (Xvfb, GTK glass). It prints
 * three figures against their targets:
 *
 * <ul>
 *   <li><b>window</b>: launch until the main window is mapped and viewable, seen from outside by {@code xwininfo}
 *       (the X server's word, not the app's); the app's own "station window shown" log line, where it prints one, is
 *       given next to it;</li>
 *   <li><b>RSS</b>: {@code VmRSS} 60 s after launch of the station's process, which runs the built-in broker (the
 *       target's "demo process"), and, given next to it, of the simulated agent (its own JVM, as on a Pi) and of
 *       both;</li>
 *   <li><b>close</b>: SIGTERM to the station until it and every descendant have exited; the agent must have closed
 *       its valve and handed every event to the broker (its log lines say so) and the exit must be clean.</li>
 * </ul>
 *
 * <p>On this shared machine single runs vary a lot, so a reference build can run side by side: each round runs every
 * variant once, in alternating order, and the load average is printed next to every figure. Variants:
 * <ul>
 *   <li>{@code current}: the build in the working directory (or {@code -Dspike.bench.root=DIR});</li>
 *   <li>{@code reference}: with {@code -Dspike.bench.reference=DIR}, a build root holding the same two jars, e.g. main
 *       built in another folder;</li>
 *   <li>{@code current+flags}: with {@code -Dspike.bench.flags="-X..."}, the current build with these JVM options
 *       (given options make the station skip its own, see {@code launch.TunedJvm}), e.g. with and without
 *       {@code -XX:SharedArchiveFile=...} to measure class-data sharing; groups separated by {@code |} are variants
 *       {@code flags1}, {@code flags2}, ...</li>
 * </ul>
 *
 * <p>It needs only the JDK, Xvfb and xwininfo (Debian: xvfb, x11-utils, libgtk-3-0), so it runs as a single source
 * file from the project root after {@code mvn -B -q -DskipTests package}:
 *
 * <pre>
 * java station-app/src/test/java/dev/spike/station/bench/DemoStartBenchmark.java
 * java -Dspike.bench.reference=/tmp/main-build -Dspike.bench.rounds=3 \
 *     station-app/src/test/java/dev/spike/station/bench/DemoStartBenchmark.java
 * </pre>
 *
 * Exits 1 if a target is missed in the median of the current build, or if a run did not close cleanly. Not a test.
 */
public final class DemoStartBenchmark {

    static final String TITLE = "Spike station";
    static final double WINDOW_TARGET_S = 3.0;
    static final double RSS_TARGET_MB = 350;
    static final double CLOSE_TARGET_S = 2.0;
    /** Printed by the agent when its valve is closed on SIGTERM, and by its link when the broker has every event. */
    static final String VALVE_CLOSED = "stopped; valve closed";
    static final String LINK_CLOSED = "MQTT link closed; the broker has every event";
    static final String APP_WINDOW_LINE = "station window shown";

    record Variant(String label, Path root, List<String> jvmOptions) {
    }

    /** One run's figures; NaN where not reached. */
    record Run(String label, double windowS, double appWindowS, double brokerS, double connectedS, double rssMb,
            double stationRssMb, double agentRssMb, double closeS, boolean clean, String cleanWhy, String loadAtWindow,
            String loadAtRss, String loadAtClose) {
    }

    /** What this benchmark started and has not ended yet; a Ctrl-C ends it all (the agent first, then the rest). */
    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    private DemoStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("spike.bench.root", ".")).toAbsolutePath().normalize();
        int rounds = Integer.getInteger("spike.bench.rounds", 1);
        int rssAfterS = Integer.getInteger("spike.bench.rssAfterS", 60);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("current", root, List.of()));
        String reference = System.getProperty("spike.bench.reference");
        if (reference != null) {
            variants.add(new Variant("reference", Path.of(reference).toAbsolutePath().normalize(), List.of()));
        }
        // one variant per |-separated group of options
        String flags = System.getProperty("spike.bench.flags");
        if (flags != null) {
            String[] groups = flags.split("\\|");
            for (int i = 0; i < groups.length; i++) {
                variants.add(new Variant(groups.length == 1 ? "current+flags" : "flags" + (i + 1), root,
                        Arrays.asList(groups[i].trim().split("\\s+"))));
            }
        }
        for (Variant variant : variants) {
            for (Path jar : List.of(stationJar(variant.root()), agentJar(variant.root()))) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("no " + jar + ": build it first with"
                            + " `mvn -B -q -DskipTests package` in " + variant.root());
                }
            }
        }

        System.out.printf(Locale.ROOT, "Demo start, memory and close: %s, %d round(s), RSS at %d s, %d cores, %s%n",
                "java -jar station-app/target/spike-station.jar --demo", rounds, rssAfterS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (Variant variant : variants) {
            System.out.printf(Locale.ROOT, "  %-14s %s %s%n", variant.label(), stationJar(variant.root()),
                    String.join(" ", variant.jvmOptions()));
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }), "bench-cleanup"));
        List<Run> runs = new ArrayList<>();
        try (VirtualDisplay display = VirtualDisplay.start()) {
            for (int round = 0; round < rounds; round++) {
                List<Variant> order = new ArrayList<>(variants);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Variant variant : order) {
                    Run run = runOnce(variant, display, rssAfterS);
                    runs.add(run);
                    printRun(round + 1, run);
                }
            }
        }
        boolean ok = printSummary(variants, runs);
        System.exit(ok ? 0 : 1);
    }

    static Path stationJar(Path root) {
        return root.resolve("station-app/target/spike-station.jar");
    }

    static Path agentJar(Path root) {
        return root.resolve("pi-agent/target/spike-agent.jar");
    }

    private static Run runOnce(Variant variant, VirtualDisplay display, int rssAfterS) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(variant.jvmOptions());
        command.addAll(List.of("-jar", stationJar(variant.root()).toString(), "--demo",
                "--broker-port", Integer.toString(freePort())));
        // to a file, not a pipe: the agent inherits it, and nothing is lost when the station exits
        Path logFile = Files.createTempFile("spike-demo-bench-" + variant.label() + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(variant.root().toFile())
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().put("DISPLAY", display.name());
        builder.environment().put("GDK_BACKEND", "x11");

        Map<String, Double> firstSeen = new ConcurrentHashMap<>();
        List<String> log = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        Process station = builder.start();
        STARTED.add(station);
        AtomicBoolean treeEnded = new AtomicBoolean();
        Thread reader = new Thread(() -> followLog(logFile, treeEnded, t0, log, firstSeen), "station-log");
        reader.setDaemon(true);
        reader.start();
        try {
            double windowS = awaitWindow(display, station, t0, 60);
            String loadAtWindow = loadAverage();
            double remainingS = rssAfterS - seconds(t0);
            if (remainingS > 0) {
                Thread.sleep((long) (remainingS * 1000));
            }
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(station.toHandle());
            station.toHandle().descendants().forEach(tree::add);
            double stationRss = rssMb(station.toHandle());
            double total = tree.stream().mapToDouble(DemoStartBenchmark::rssMb).sum();
            String loadAtRss = loadAverage();

            long closeStart = System.nanoTime();
            station.destroy(); // SIGTERM, as a desktop session's logout or `kill` sends it
            boolean exited = station.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle process : tree) {
                process.onExit().get(Math.max(1, 30 - (long) seconds(closeStart)), TimeUnit.SECONDS);
            }
            double closeS = seconds(closeStart);
            treeEnded.set(true);
            String loadAtClose = loadAverage();
            reader.join(5_000);

            List<String> problems = new ArrayList<>();
            if (!exited) {
                problems.add("station still running 30 s after SIGTERM");
            } else if (station.exitValue() != 0 && station.exitValue() != 143) {
                problems.add("station exit code " + station.exitValue());
            }
            if (log.stream().noneMatch(line -> line.contains(VALVE_CLOSED))) {
                problems.add("no \"" + VALVE_CLOSED + "\" from the agent");
            }
            if (log.stream().noneMatch(line -> line.contains(LINK_CLOSED))) {
                problems.add("no \"" + LINK_CLOSED + "\" from the agent");
            }
            if (log.stream().anyMatch(line -> line.contains("did not stop within") || line.contains("Exception"))) {
                problems.add("warnings in the log: " + log.stream().filter(line -> line.contains("did not stop within")
                        || line.contains("Exception")).limit(3).collect(Collectors.joining(" | ")));
            }
            Path saved = Files.createTempFile("spike-demo-bench-" + variant.label() + "-", ".timed.log");
            Files.write(saved, log, StandardCharsets.UTF_8);
            Files.deleteIfExists(logFile);
            return new Run(variant.label(), windowS, firstSeen.getOrDefault(APP_WINDOW_LINE, Double.NaN),
                    firstSeen.getOrDefault("built-in MQTT broker listening", Double.NaN),
                    firstSeen.getOrDefault("connected to", Double.NaN), total, stationRss, total - stationRss, closeS,
                    problems.isEmpty(), problems.isEmpty() ? "clean (log: " + saved + ")"
                            : String.join("; ", problems) + " (log: " + saved + ")",
                    loadAtWindow, loadAtRss, loadAtClose);
        } finally {
            treeEnded.set(true);
            if (station.isAlive()) {
                station.descendants().forEach(ProcessHandle::destroyForcibly);
                station.destroyForcibly();
            }
            STARTED.remove(station);
        }
    }

    /** Follows the log file like {@code tail -f}, timing each line as it appears, until the process tree ended. */
    private static void followLog(Path file, AtomicBoolean treeEnded, long t0, List<String> log,
            Map<String, Double> firstSeen) {
        List<String> marks = List.of(APP_WINDOW_LINE, "built-in MQTT broker listening", "connected to");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder partial = new StringBuilder();
            boolean lastPass = false;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    if (lastPass) {
                        break;
                    }
                    // once every process of the tree has ended, the file is complete after one more pass
                    lastPass = treeEnded.get();
                    Thread.sleep(5);
                    continue;
                }
                if (c != '\n') {
                    partial.append((char) c);
                    continue;
                }
                String line = partial.toString();
                partial.setLength(0);
                double at = seconds(t0);
                log.add(String.format(Locale.ROOT, "%7.3f %s", at, line));
                for (String mark : marks) {
                    if (line.contains(mark) && !line.contains("MQTT link")) {
                        firstSeen.putIfAbsent(mark, at);
                    }
                }
            }
        } catch (IOException e) {
            log.add("(log read failed: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls the X server until a window named {@link #TITLE} is viewable. */
    private static double awaitWindow(VirtualDisplay display, Process station, long t0, int timeoutS)
            throws IOException, InterruptedException {
        while (seconds(t0) < timeoutS) {
            if (!station.isAlive()) {
                throw new IllegalStateException("the station exited with " + station.exitValue()
                        + " before its window was shown");
            }
            Process probe = new ProcessBuilder("xwininfo", "-display", display.name(), "-name", TITLE)
                    .redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor(5, TimeUnit.SECONDS);
            if (out.contains("Map State: IsViewable")) {
                return seconds(t0);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no viewable window \"" + TITLE + "\" within " + timeoutS + " s");
    }

    static double rssMb(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // the process ended in between
        }
        return 0;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load " + parts[0];
        } catch (IOException e) {
            return "load ?";
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void printRun(int round, Run run) {
        System.out.printf(Locale.ROOT, "round %d %-14s window %5.2f s (%s; app's line %5.2f s, broker %5.2f s,"
                        + " station connected %5.2f s)  RSS %4.0f MB = station %4.0f + agent %4.0f (%s)"
                        + "  close %5.2f s (%s)  %s%n",
                round, run.label(), run.windowS(), run.loadAtWindow(), run.appWindowS(), run.brokerS(),
                run.connectedS(), run.rssMb(), run.stationRssMb(), run.agentRssMb(), run.loadAtRss(), run.closeS(),
                run.loadAtClose(), run.cleanWhy());
    }

    private static boolean printSummary(List<Variant> variants, List<Run> runs) {
        Variant current = variants.get(0);
        List<Run> mine = runs.stream().filter(r -> r.label().equals(current.label())).collect(Collectors.toList());
        System.out.println();
        System.out.printf(Locale.ROOT, "%-32s %-8s", "median of " + mine.size() + " run(s)", "target");
        for (Variant variant : variants) {
            System.out.printf(Locale.ROOT, " %14s", variant.label());
        }
        for (Variant variant : variants.subList(1, variants.size())) {
            System.out.printf(Locale.ROOT, " %22s", "current / " + variant.label());
        }
        System.out.println();
        boolean ok = true;
        ok &= row("window shown (X server), s", "< 3 s", WINDOW_TARGET_S, variants, runs, Run::windowS);
        row("  the app's own log line, s", "", Double.NaN, variants, runs, Run::appWindowS);
        row("  built-in broker listening, s", "", Double.NaN, variants, runs, Run::brokerS);
        row("  station connected, s", "", Double.NaN, variants, runs, Run::connectedS);
        // the "demo process": the station's JVM, which runs the built-in broker; the agent is a JVM of its own
        ok &= row("RSS of the station with its broker, MB", "< 350", RSS_TARGET_MB, variants, runs,
                Run::stationRssMb);
        row("  the simulated agent's JVM, MB", "", Double.NaN, variants, runs, Run::agentRssMb);
        row("  the demo's processes in all, MB", "", Double.NaN, variants, runs, Run::rssMb);
        ok &= row("close after SIGTERM, s", "< 2 s", CLOSE_TARGET_S, variants, runs, Run::closeS);
        boolean clean = runs.stream().allMatch(Run::clean);
        System.out.println("every close clean (valve closed, every event handed on, exit 0/143): "
                + (clean ? "yes" : "NO"));
        System.out.println(ok && clean ? "PASS" : "FAIL");
        return ok && clean;
    }

    /** Prints medians per variant and ratios against the first; true if the first meets the target. */
    private static boolean row(String name, String targetText, double target, List<Variant> variants, List<Run> runs,
            ToDoubleFunction<Run> figure) {
        System.out.printf(Locale.ROOT, "%-32s %-8s", name, targetText);
        double[] medians = new double[variants.size()];
        for (int i = 0; i < variants.size(); i++) {
            String label = variants.get(i).label();
            medians[i] = median(runs.stream().filter(r -> r.label().equals(label)).mapToDouble(figure).toArray());
            System.out.printf(Locale.ROOT, " %14.2f", medians[i]);
        }
        for (int i = 1; i < variants.size(); i++) {
            System.out.printf(Locale.ROOT, " %22.2f", medians[0] / medians[i]);
        }
        boolean met = Double.isNaN(target) || medians[0] < target;
        System.out.println(Double.isNaN(target) ? "" : met ? "  met" : "  MISSED");
        return met;
    }

    static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** An Xvfb of its own on a free display number, which Xvfb picks and reports ({@code -displayfd}). */
    static final class VirtualDisplay implements AutoCloseable {

        private final Process xvfb;
        private final String name;

        private VirtualDisplay(Process xvfb, String name) {
            this.xvfb = xvfb;
            this.name = name;
        }

        static VirtualDisplay start() throws IOException, InterruptedException {
            Path numberFile = Files.createTempFile("spike-bench-display", ".txt");
            Process xvfb = new ProcessBuilder("sh", "-c",
                    "exec Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>\"$0\"", numberFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            STARTED.add(xvfb);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String written = Files.readString(numberFile);
                // Xvfb writes the number and a newline once it accepts connections
                if (written.endsWith("\n") && written.trim().matches("\\d+")) {
                    Files.deleteIfExists(numberFile);
                    return new VirtualDisplay(xvfb, ":" + written.trim());
                }
                if (!xvfb.isAlive()) {
                    throw new IOException("Xvfb exited with " + xvfb.exitValue() + "; install it with"
                            + " `apt-get install -y xvfb x11-utils libgtk-3-0`");
                }
                Thread.sleep(50);
            }
            xvfb.destroy();
            throw new IOException("Xvfb did not report a display within 20 s");
        }

        String name() {
            return name;
        }

        @Override
        public void close() throws InterruptedException {
            xvfb.destroy();
            xvfb.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
