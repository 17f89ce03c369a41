package dev.spike.station.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.station.testing.Soak;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * 50 agents at one reading a second into one station, through a real broker, into the real window ({@link LoadRig}):
 * 30 s on every build, 10 minutes with {@code -Dspike.long=true}. The figures of a full run come from
 * {@code bench.LoadBenchmark}; this test holds the line on what must never happen.
 */
@ExtendWith(ApplicationExtension.class)
class LoadTest {

    /** Time for the station to show the last readings after the agents stopped. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void fiftyAgentsReachTheStationWithNothingDroppedAndTheWindowStaysResponsive() throws Exception {
        Duration duration = Soak.duration(Duration.ofSeconds(30), Duration.ofMinutes(10));
        LoadRig.Result result;
        OtherWork others = OtherWork.start();
        try (LoadRig rig = new LoadRig(dir, stage, LoadRig.AGENTS, line -> System.out.println("[load] " + line))) {
            rig.start();
            // the long run is judged as the benchmark is, after the warm-up in which the JIT compiles the station's
            // paths and JavaFX lays out the first cells
            rig.run(Soak.LONG ? LoadRig.WARM_UP : Duration.ZERO, duration);
            result = rig.finish(DRAIN);
        }
        System.out.printf(Locale.ROOT, "[load] %,d events in %d s; FX %s; heap after GC %s MB%n", result.published(),
                result.ran().toSeconds(), result.stalls().text(), result.heap().stream()
                        .map(s -> String.format(Locale.ROOT, "%.0f", s.usedMb())).toList());

        // every agent ticked at least once a second, apart from start and stop
        assertThat(result.published()).isGreaterThanOrEqualTo(LoadRig.AGENTS * 2 * (duration.toSeconds() - 2));
        assertThat(result.incomplete()).as("agents with events missing from the station's store").isEmpty();
        assertThat(result.historyRequests()).as("history requests: the station saw a gap").isZero();
        assertThat(result.agentCountText()).isEqualTo(LoadRig.AGENTS + " agents");
        assertThat(result.notShown()).as("agents not in the sidebar with their last reading").isEmpty();

        // The real target is 100 ms. On a shared 2-core CI machine other builds take the CPU away from the FX
        // thread (and stretch GC pauses) for longer than that: 0.2 to 1.9 s seen at load averages of 13 to 33. So
        // the short run bounds the longest stall generously, which still catches an FX thread that is blocked for
        // good, and the median, which contention hardly moves but a station that keeps the FX thread busy or waiting
        // does (a drop shadow re-blurred on every repaint made it 340 ms). The long run holds the real target on a
        // machine that left the station alone, and says so where it cannot: 391 ms at a load average of 10 to 13.
        boolean idle = others.idle();
        System.out.printf(Locale.ROOT, "[load] other processes kept %.2f cores busy on average: %s%n",
                others.cores(), idle ? "an idle machine" : "a busy machine; the FX stall is held to the short run's"
                        + " bound, not the 100 ms target (run on an idle machine to judge that)");
        double stallLimitMs = Soak.LONG && idle ? 100 : 5_000;
        assertThat(result.stalls().maxMs()).as("longest FX stall, ms").isLessThan(stallLimitMs);
        assertThat(result.stalls().p50Ms()).as("median heartbeat lateness, ms").isLessThan(50);
        assertThat(result.stalls().heartbeats()).as("heartbeats measured")
                .isGreaterThan(duration.toMillis() / FxStallProbe.PERIOD_MS / 2);

        // Memory: after a forced GC the heap ends close to where it started; a leak of a few KB per event
        // (100 events/s) would take it past this in the long run, and a per-event copy of a list in the short one.
        double growthLimitMb = Soak.LONG ? 32 : 64;
        double firstMb = result.heap().get(0).usedMb();
        double lastMb = result.heap().get(result.heap().size() - 1).usedMb();
        assertThat(lastMb - firstMb).as("heap growth after GC, MB, from %.0f MB", firstMb)
                .isLessThan(growthLimitMb);
    }
}
