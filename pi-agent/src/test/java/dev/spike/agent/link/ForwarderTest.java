package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.topic.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Store and forward against a fake broker whose acknowledgements the test hands out. */
class ForwarderTest {

    static final String AGENT = "fwd-1";
    static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");

    @TempDir
    Path dir;

    final Codec codec = new Codec();
    final FakePublisher broker = new FakePublisher();
    ScheduledExecutorService linkThread;
    ResilientEventStore store;
    Forwarder forwarder;

    @BeforeEach
    void open() {
        linkThread = Executors.newSingleThreadScheduledExecutor();
        store = ResilientEventStore.open(dir.resolve("fwd.db"), AGENT);
    }

    @AfterEach
    void close() throws InterruptedException {
        linkThread.shutdownNow();
        linkThread.awaitTermination(5, TimeUnit.SECONDS);
        store.close();
    }

    private void append(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new HumidityChanged(AGENT, 1, T0.plusSeconds(i), 50 + (i % 400) / 10.0));
        }
        store.appendAll(events);
    }

    private <T> T onLinkThread(Callable<T> task) throws Exception {
        return linkThread.submit(task).get(10, TimeUnit.SECONDS);
    }

    private void onLinkThread(Runnable task) throws Exception {
        linkThread.submit(task).get(10, TimeUnit.SECONDS);
    }

    private Forwarder started() throws Exception {
        Forwarder f = new Forwarder(store, broker, linkThread, codec, AGENT);
        onLinkThread(f::start);
        return f;
    }

    private List<Long> sentSeqs() {
        return broker.sent().stream()
                .map(s -> codec.decode(s.topic(), s.payload()).as(Event.class).value().seq())
                .collect(Collectors.toList());
    }

    private void ackPending(int count) {
        List<FakePublisher.Sent> pending = broker.pending();
        for (int i = 0; i < count && i < pending.size(); i++) {
            pending.get(i).future().complete(Publisher.Ack.OK);
        }
    }

    @Test
    void publishesTheBacklogInSeqOrderNeverMoreThanTheWindowUnacknowledged() throws Exception {
        append(2_500);
        forwarder = started();

        onLinkThread(forwarder::connected);

        assertThat(broker.sent()).hasSize(Forwarder.WINDOW);
        while (acked() < 2_500) {
            long before = acked();
            ackPending(300);
            await().until(() -> acked() > before);
            // the next chunk is read once a chunk's worth of room is free
            onLinkThread(() -> { });
            assertThat(broker.pending().size()).isLessThanOrEqualTo(Forwarder.WINDOW)
                    .isGreaterThanOrEqualTo((int) Math.min(Forwarder.WINDOW - Forwarder.CHUNK, 2_500 - acked()));
        }

        List<Long> seqs = sentSeqs();
        assertThat(seqs).hasSize(2_500);
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1);
        }
        assertThat(broker.sent().get(0).topic()).isEqualTo(Topic.event(AGENT, EventType.HUMIDITY_CHANGED));
    }

    private long acked() throws Exception {
        return onLinkThread(forwarder::acked);
    }

    @Test
    void publishesNewEventsAsTheyAreStored() throws Exception {
        broker.autoAck();
        forwarder = started();
        onLinkThread(forwarder::connected);

        append(3);
        forwarder.wake();

        await().until(() -> acked() == 3);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void afterADisconnectStartsAgainRightAfterWhatTheBrokerAcknowledged() throws Exception {
        append(100);
        forwarder = started();
        onLinkThread(forwarder::connected);
        ackPending(40);
        await().until(() -> acked() == 40);

        onLinkThread(forwarder::disconnected);
        // the old connection's acknowledgements no longer count: its window is sent again
        ackPending(60);
        onLinkThread(forwarder::connected);

        List<Long> seqs = sentSeqs();
        assertThat(seqs.subList(100, seqs.size())).first().isEqualTo(41L);
        assertThat(acked()).isEqualTo(40);
        broker.autoAck();
        await().until(() -> acked() == 100);
    }

    @Test
    void aRestartedForwarderGoesOnFromTheDurablePosition() throws Exception {
        append(50);
        broker.autoAck();
        forwarder = started();
        onLinkThread(forwarder::connected);
        await().until(() -> acked() == 50);
        onLinkThread(forwarder::stop);
        assertThat(store.metaLong(Forwarder.ACKED_KEY, 0)).isEqualTo(50);

        append(5);
        Forwarder restarted = started();
        onLinkThread(restarted::connected);

        await().until(() -> onLinkThread(restarted::acked) == 55);
        assertThat(sentSeqs().subList(50, 55)).containsExactly(51L, 52L, 53L, 54L, 55L);
    }

    @Test
    void thePositionIsSavedWithinASecondOfTheAcknowledgement() throws Exception {
        append(10);
        broker.autoAck();
        forwarder = started();
        onLinkThread(forwarder::connected);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.metaLong(Forwarder.ACKED_KEY, 0) == 10);
    }

    @Test
    void anEventTheBrokerRefusesIsNotSentForeverAndTheRestFollows() throws Exception {
        append(3);
        forwarder = started();
        onLinkThread(forwarder::connected);

        broker.sent().get(0).future().complete(new Publisher.Ack("NOT_AUTHORIZED"));
        broker.autoAck();

        await().until(() -> acked() == 3);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFailedPublishIsRetriedAndAfterThreeFailuresSkipped() throws Exception {
        append(2);
        forwarder = started();
        onLinkThread(forwarder::connected);

        for (int attempt = 1; attempt <= Forwarder.SKIP_AFTER_FAILURES; attempt++) {
            int sentBefore = broker.sent().size();
            broker.pending().forEach(s -> s.future().completeExceptionally(new IllegalStateException("too big")));
            if (attempt < Forwarder.SKIP_AFTER_FAILURES) {
                // retried after a pause, from the event that failed
                await().atMost(Duration.ofSeconds(5)).until(() -> broker.sent().size() > sentBefore);
            }
        }
        broker.autoAck();

        await().atMost(Duration.ofSeconds(5)).until(() -> acked() == 2);
        List<Long> seqs = sentSeqs();
        assertThat(seqs.subList(0, 6)).containsExactly(1L, 2L, 1L, 2L, 1L, 2L);
        assertThat(seqs.subList(6, seqs.size())).containsExactly(2L);
    }

    @Test
    void aLostConnectionReportedByTheClientStartsOverWithoutSkipping() throws Exception {
        append(2);
        forwarder = started();
        onLinkThread(forwarder::connected);

        broker.pending().forEach(s -> s.future().completeExceptionally(
                new LinkDownException("closed", new RuntimeException())));
        broker.autoAck();

        await().atMost(Duration.ofSeconds(5)).until(() -> acked() == 2);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 1L, 2L);
    }

    @Test
    void countsWhatTheBrokerHasNotAcknowledged() throws Exception {
        append(7);
        forwarder = started();
        onLinkThread(forwarder::connected);
        ackPending(3);

        await().until(() -> onLinkThread(forwarder::unacknowledged) == 4);
    }

    @Test
    void aStoreThatEndsBeforeTheAcknowledgedSeqIsPublishedFromTheStart() throws Exception {
        store.putMetaLong(Forwarder.ACKED_KEY, 9_999);
        append(3);
        broker.autoAck();
        forwarder = started();

        onLinkThread(forwarder::connected);

        await().until(() -> acked() == 3);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }
}
