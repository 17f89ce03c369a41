package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cmd/history through a real broker: pages on the station's response topic with its correlation data. */
class LinkHistoryTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    AgentRig rig;
    StationClient station;

    @AfterEach
    void close() {
        if (station != null) {
            station.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aLongHistoryComesInPagesOfAtMost5000UntilTheLastOne() {
        String agent = "history-long";
        try (ResilientEventStore store = ResilientEventStore.open(dir.resolve(agent + ".db"), agent)) {
            List<Event> readings = new ArrayList<>();
            Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
            for (int i = 0; i < 12_000; i++) {
                readings.add(new HumidityChanged(agent, 1, t0.plusSeconds(10L * i), 70 + (i % 100) / 10.0));
            }
            store.appendAll(readings);
        }
        EmbeddedBroker broker = EmbeddedBroker.shared();
        station = broker.station("station-h1");
        rig = new AgentRig(dir, agent, broker.link(agent), 1, true);
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        byte[] correlation = "ask-7".getBytes(StandardCharsets.UTF_8);

        station.askHistory(agent, "{\"id\":\"history-1\",\"fromSeq\":1,\"limit\":12000}", correlation);

        await().atMost(WAIT).until(() -> station.pages(agent).stream().anyMatch(HistoryPage::last));
        List<HistoryPage> pages = station.pages(agent);
        assertThat(pages).extracting(p -> p.events().size()).containsExactly(5_000, 5_000, 2_000);
        assertThat(pages).extracting(HistoryPage::last).containsExactly(false, false, true);
        assertThat(pages).allSatisfy(p -> assertThat(p.requestId()).isEqualTo("history-1"));
        assertThat(station.on(Topic.reply(agent, "station-h1")))
                .allSatisfy(m -> assertThat(m.correlation()).isEqualTo(correlation));
        List<Long> seqs = pages.stream().flatMap(p -> p.events().stream()).map(Event::seq)
                .collect(Collectors.toList());
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1);
        }
        // the answer is an event: it comes after the 12,000 stored ones the agent is still publishing
        await().atMost(WAIT).until(() -> !station.results(agent, "history-1").isEmpty());
        assertThat(station.results(agent, "history-1")).singleElement()
                .satisfies(r -> assertThat(r.accepted()).isTrue());
    }
}
