package dev.spike.station.demo;

import dev.spike.station.agents.SelectedAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.SprayReason;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ValveOpened;
import dev.spike.station.app.StationCore;
import dev.spike.station.connection.BrokerSettings;
import dev.spike.station.spray.SprayProgress;
import dev.spike.station.spray.SprayViewModel;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.StationFeed;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real broker, a simulated agent process, and the station's own gateway, store, feed and
 * {@link SprayViewModel}. A manual spray goes out as a keeper would send it, and its confirmation comes back.
 */
class EndToEndSprayTest {

    static final String AGENT = "e2e-agent";

    @TempDir
    Path dir;

    @Test
    void aManualSprayFromTheStationOpensTheAgentsValveAndIsConfirmed() throws Exception {
        Clock clock = Clock.systemUTC();
        try (DemoSystem system = DemoSystem.start(new DemoSystem.Options(DemoSystemTest.agentJar(),
                DemoSystemTest.freePort(), 1, AGENT, dir.resolve("agent"), Duration.ZERO));
                StationCore station = StationCore.open(dir.resolve("station.db"), "e2e-station", clock)) {
            StationFeed feed = station.feed();
            SelectedAgent selected = new SelectedAgent(feed, station.gateway(), Runnable::run, clock);
            SprayViewModel spray = new SprayViewModel(selected, station.gateway(), station.tracker(), Runnable::run,
                    clock);
            selected.select(AGENT);
            station.gateway().connect(BrokerSettings.parse(system.brokerUri(), null, null, null)).join();

            // The simulated terrarium starts dry, so the agent sprays by itself at its first reading. Once that
            // spray is over, its 10-minute cooldown keeps the valve free for the keeper's spray.
            await().atMost(Duration.ofSeconds(60)).until(() -> !feed.read(s -> s.events(AGENT,
                    EventQuery.newest(100).withTypes(Set.of(EventType.VALVE_CLOSED)))).join().isEmpty());
            await().atMost(Duration.ofSeconds(20)).until(() -> spray.canSprayProperty().get());
            spray.durationSProperty().set(3);
            assertThat(spray.spray()).isTrue();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spray.progressProperty().get())
                    .as("progress: %s", spray.progressTextProperty().get()).isEqualTo(SprayProgress.DONE));
            List<Event> events = feed.read(s -> s.events(AGENT, EventQuery.newest(10_000))).join();
            assertThat(events).filteredOn(ValveOpened.class::isInstance).map(ValveOpened.class::cast)
                    .anySatisfy(opened -> {
                        assertThat(opened.reason()).isEqualTo(SprayReason.MANUAL);
                        assertThat(opened.durationS()).isEqualTo(3);
                    });
        }
    }
}
