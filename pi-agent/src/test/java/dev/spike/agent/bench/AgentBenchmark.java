package dev.spike.agent.bench;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.sim.Simulation;
import dev.spike.agent.store.ResilientEventStore;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.agent.valve.ValveOutput;
import dev.spike.model.Rules;
import dev.spike.model.rules.Input;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints the agent's figures for {@code docs/performance.md}:
 * <ol>
 *   <li>decision latency: a low reading handed to the agent thread until the relay is switched on, through the
 *       real shell, policy, SQLite store and fail-safe valve (p50/p99 over 20,000 decisions);</li>
 *   <li>RSS of the real agent jar with {@code -Xmx64m} and the other JVM flags of the Pi's systemd unit after a simulated day at time scale 1000 (needs
 *       {@code pi-agent/target/spike-agent.jar}: run {@code mvn -pl pi-agent -am package -DskipTests} first).</li>
 * </ol>
 * Run: {@code mvn -B -q -pl pi-agent test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.agent.bench.AgentBenchmark}
 */
public final class AgentBenchmark {

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        decisionLatency();
        rssAfterSimulatedDay();
    }

    private static void decisionLatency() throws IOException {
        Path dir = Files.createTempDirectory("spike-bench-agent");
        VirtualScheduler scheduler = new VirtualScheduler(Instant.parse("2026-06-01T00:00:00Z"));
        Simulation simulation = new Simulation(scheduler, ZoneOffset.UTC, 80, 1);
        long[] openedAt = new long[1];
        ValveOutput timed = new ValveOutput() {
            @Override
            public void set(boolean open) {
                if (open) {
                    openedAt[0] = System.nanoTime();
                }
                simulation.valve().set(open);
            }

            @Override
            public boolean isOpen() {
                return simulation.valve().isOpen();
            }

            @Override
            public void close() {
                simulation.valve().close();
            }
        };
        // a cooldown of one minute and a big runaway budget, so every iteration sprays
        Rules rules = Rules.defaults(ZoneOffset.UTC).withMinIntervalMin(1);
        AgentConfig config = new AgentConfig("bench", dir, rules, 1, 0x44, 17, false, 3600, 90);
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve("bench.db"), "bench")) {
            Agent agent = new Agent(config, scheduler, new Sht30(simulation.sensor(), scheduler), timed, store,
                    "bench");
            agent.start();
            scheduler.runDue();
            int warmup = 5_000;
            int measured = 20_000;
            long[] nanos = new long[measured];
            for (int i = 0; i < warmup + measured; i++) {
                scheduler.advance(Duration.ofSeconds(61));
                openedAt[0] = 0;
                long start = System.nanoTime();
                agent.submit(new Input.Reading(60, 26));
                scheduler.runDue();
                if (openedAt[0] == 0) {
                    throw new IllegalStateException("iteration " + i + " did not open the valve");
                }
                if (i >= warmup) {
                    nanos[i - warmup] = openedAt[0] - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "decision latency (reading -> relay on, %d decisions): p50 %.3f ms, "
                    + "p99 %.3f ms, max %.3f ms%n", measured, nanos[measured / 2] / 1e6,
                    nanos[(int) (measured * 0.99)] / 1e6, nanos[measured - 1] / 1e6);
        }
    }

    private static void rssAfterSimulatedDay() throws IOException, InterruptedException {
        Path jar = Path.of("target/spike-agent.jar");
        if (!Files.exists(jar)) {
            jar = Path.of("pi-agent/target/spike-agent.jar");
        }
        if (!Files.exists(jar)) {
            System.out.println("RSS: skipped, build the jar first: mvn -pl pi-agent -am package -DskipTests");
            return;
        }
        Path dir = Files.createTempDirectory("spike-bench-rss");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=24m",
                "-jar", jar.toString(), "--simulate", "--time-scale", "1000", "--stop-after", "24h",
                "--agent-id", "rss", "--data-dir", dir.toString());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long lastRssKb = 0;
        long peakKb = 0;
        while (process.isAlive()) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(status),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("VmRSS:")) {
                        lastRssKb = Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("VmHWM:")) {
                        peakKb = Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException e) {
                break; // the process ended between isAlive and the read
            }
            process.waitFor(1, TimeUnit.SECONDS);
        }
        double wallS = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "agent RSS with the Pi's JVM flags (-Xmx64m, serial GC, C1 only), a simulated day at x1000 (%.0f s wall, exit %d): "
                + "last %.1f MB, peak %.1f MB%n", wallS, process.waitFor(), lastRssKb / 1024.0, peakKb / 1024.0);
    }
}
