package dev.spike.station.store;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static dev.spike.station.store.TestEvents.humidity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.station.connection.FakeGateway;
import dev.spike.station.connection.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationFeedTest {

    @TempDir
    Path dir;

    private TestStation station;
    private final List<FeedUpdate> updates = new ArrayList<>();

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.feed.addListener(updates::addAll);
        station.gateway.connect();
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void receive(Event event) {
        station.gateway.receive(Topic.event(AGENT, event.type()), event);
    }

    @Test
    void storesWhatArrivesAndTellsOnlyWhatIsNew() {
        receive(humidity(1, T0, 74.2));
        receive(humidity(1, T0, 74.2));
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.reply(AGENT, station.gateway.stationId()),
                new HistoryPage("history-1", AGENT, List.of(humidity(1, T0, 74.2), humidity(2, T0, 74.1)), true));

        assertThat(station.store.count(AGENT)).isEqualTo(2);
        assertThat(updates).hasSize(4);
        assertThat(updates.get(0)).isEqualTo(new FeedUpdate.EventsAdded(AGENT, List.of(humidity(1, T0, 74.2)),
                false));
        assertThat(updates.get(1)).isEqualTo(new FeedUpdate.StatusChanged(AGENT, TestEvents.online(T0)));
        assertThat(updates.get(2)).isEqualTo(new FeedUpdate.EventsAdded(AGENT, List.of(humidity(2, T0, 74.1)),
                true));
        assertThat(updates.get(3)).isInstanceOf(FeedUpdate.PageStored.class);
        assertThat(((FeedUpdate.PageStored) updates.get(3)).added()).isEqualTo(1);
    }

    @Test
    void dropsWhatDoesNotDecodeAndGoesOn() {
        station.gateway.receiveRaw("spike/terrarium-1/event/humidity_changed",
                "{\"seq\":1,\"at\":\"2026-05-01T18:00:00Z\",\"type\":\"humidity_changed\",\"humidityPct\":101}"
                        .getBytes(StandardCharsets.UTF_8));
        receive(humidity(2, T0, 74.2));

        assertThat(station.store.count(AGENT)).isEqualTo(1);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<FeedUpdate> second = new ArrayList<>();
        station.feed.addListener(batch -> {
            throw new IllegalStateException("boom");
        });
        station.feed.addListener(second::addAll);

        receive(humidity(1, T0, 74.2));

        assertThat(second).hasSize(1);
    }

    @Test
    void readsInOrderWithTheMessagesBeforeIt() {
        receive(humidity(1, T0, 74.2));
        long count = station.feed.read(store -> store.count(AGENT)).join();

        assertThat(count).isEqualTo(1);
    }

    @Test
    void aMessageTheStoreCannotTakeCostsItsBatchButNeverTheFeedThread() throws Exception {
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        ExecutorService feedThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "station-feed");
            thread.setUncaughtExceptionHandler((t, error) -> escaped.add(error));
            return thread;
        });
        try (StationStore store = StationStore.open(dir.resolve("poison.db"))) {
            StationFeed feed = new StationFeed(store, feedThread, new MutableClock(T0));
            // Built in code: the codec refuses such a time on the wire, but no epoch-millisecond column holds it.
            feed.accept(Topic.event(AGENT, EventType.HUMIDITY_CHANGED), humidity(1, Instant.MAX, 70));
            feed.read(s -> null).get(10, TimeUnit.SECONDS);
            feed.accept(Topic.event(AGENT, EventType.HUMIDITY_CHANGED), humidity(2, T0, 70));

            assertThat(feed.read(s -> s.count(AGENT)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(escaped).isEmpty();
        } finally {
            feedThread.shutdown();
            assertThat(feedThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void storesABurstFromAnotherThreadInBatchesWithoutLosingAny() throws Exception {
        ExecutorService feedThread = Executors.newSingleThreadExecutor();
        try (StationStore store = StationStore.open(dir.resolve("burst.db"))) {
            StationFeed feed = new StationFeed(store, feedThread, new MutableClock(T0));
            List<List<FeedUpdate>> batches = new CopyOnWriteArrayList<>();
            feed.addListener(batches::add);
            FakeGateway gateway = new FakeGateway();
            feed.attach(gateway);
            gateway.connect();

            for (int seq = 1; seq <= 20_000; seq++) {
                gateway.receive(Topic.event(AGENT, humidity(seq, T0, 70).type()),
                        humidity(seq, T0.plusSeconds(seq), 70));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> feed.read(s -> s.count(AGENT)).join() == 20_000);
            int told = batches.stream().flatMap(List::stream)
                    .mapToInt(update -> ((FeedUpdate.EventsAdded) update).events().size()).sum();
            assertThat(told).isEqualTo(20_000);
            // one listener call per batch, not per event
            assertThat(batches.size()).isLessThan(20_000);
        } finally {
            feedThread.shutdown();
            assertThat(feedThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
