package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History pages against a fake broker: page sizes, the last flag, the correlation data and the range's end. */
class HistoryResponderTest {

    static final String AGENT = "hist-1";
    static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    static final Topic REPLY = Topic.reply(AGENT, "station-1");
    static final byte[] CORRELATION = "req-42".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    final Codec codec = new Codec();
    final FakePublisher broker = new FakePublisher().autoAck();
    ResilientEventStore store;
    HistoryResponder history;

    @BeforeEach
    void open() {
        store = ResilientEventStore.open(dir.resolve("hist.db"), AGENT);
        history = new HistoryResponder(store, broker, codec, AGENT);
    }

    @AfterEach
    void close() {
        history.close();
        store.close();
    }

    private void appendReadings(int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new HumidityChanged(AGENT, 1, T0.plusSeconds(i), 60 + (i % 300) / 10.0));
        }
        store.appendAll(events);
    }

    private List<HistoryPage> answer(long fromSeq, int limit) {
        int before = broker.sent().size();
        assertThat(history.offer(new HistoryResponder.Job(new HistoryRequest("h-" + fromSeq + "-" + limit,
                fromSeq, limit), REPLY, CORRELATION, store.lastSeq()))).isTrue();
        await().until(() -> {
            List<FakePublisher.Sent> sent = broker.sent();
            return sent.size() > before && pageOf(sent.get(sent.size() - 1)).last();
        });
        return broker.sent().subList(before, broker.sent().size()).stream().map(this::pageOf)
                .collect(Collectors.toList());
    }

    private HistoryPage pageOf(FakePublisher.Sent sent) {
        return codec.decode(sent.topic(), sent.payload()).as(HistoryPage.class).value();
    }

    @Test
    void answersInPagesOfAtMost5000WithTheLastOneMarked() {
        appendReadings(12_000);

        List<HistoryPage> pages = answer(1, 1_000_000);

        assertThat(pages).extracting(p -> p.events().size()).containsExactly(5_000, 5_000, 2_000);
        assertThat(pages).extracting(HistoryPage::last).containsExactly(false, false, true);
        List<Long> seqs = pages.stream().flatMap(p -> p.events().stream()).map(Event::seq)
                .collect(Collectors.toList());
        assertThat(seqs).hasSize(12_000).isSorted().startsWith(1L).endsWith(12_000L);
        assertThat(broker.sent()).allSatisfy(s -> {
            assertThat(s.topic()).isEqualTo(REPLY);
            assertThat(s.correlation()).isEqualTo(CORRELATION);
        });
    }

    @Test
    void stopsAtTheLimit() {
        appendReadings(7_000);

        List<HistoryPage> pages = answer(101, 5_000);

        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).last()).isTrue();
        assertThat(pages.get(0).events()).hasSize(5_000);
        assertThat(pages.get(0).events().get(0).seq()).isEqualTo(101);
    }

    @Test
    void aRangePastTheEndGetsOneEmptyLastPage() {
        appendReadings(10);

        List<HistoryPage> pages = answer(11, 100);

        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).events()).isEmpty();
        assertThat(pages.get(0).last()).isTrue();
    }

    @Test
    void aRangeOfExactlyOnePageEndsWithoutAnEmptyPage() {
        appendReadings(5_000);

        assertThat(answer(1, 1_000_000)).extracting(HistoryPage::last).containsExactly(true);
    }

    @Test
    void endsAtWhatWasStoredWhenTheRequestWasAccepted() {
        appendReadings(10);
        long upTo = store.lastSeq();
        appendReadings(5);

        history.offer(new HistoryResponder.Job(new HistoryRequest("h", 1, 100), REPLY, null, upTo));

        await().until(() -> !broker.sent().isEmpty());
        HistoryPage page = pageOf(broker.sent().get(0));
        assertThat(page.events()).hasSize(10);
        assertThat(page.last()).isTrue();
        assertThat(broker.sent().get(0).correlation()).isNull();
    }

    @Test
    void aPageOverTheReplyLimitIsSplit() {
        String longError = "x".repeat(500);
        List<Event> errors = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            errors.add(new SensorError(AGENT, 1, T0.plusSeconds(i), longError, 1));
        }
        store.appendAll(errors);

        List<HistoryPage> pages = answer(1, 5_000);

        assertThat(pages.size()).isGreaterThan(1);
        assertThat(pages.stream().mapToInt(p -> p.events().size()).sum()).isEqualTo(5_000);
        assertThat(pages).extracting(HistoryPage::last).last().isEqualTo(true);
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(p -> assertThat(p.last()).isFalse());
        assertThat(broker.sent()).allSatisfy(s -> assertThat(s.payload().length)
                .isLessThanOrEqualTo(Codec.MAX_REPLY_BYTES));
    }

    @Test
    void refusesMoreRequestsThanItCanQueue() {
        appendReadings(10);
        FakePublisher stalled = new FakePublisher();
        try (HistoryResponder busy = new HistoryResponder(store, stalled, codec, AGENT)) {
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (busy.offer(new HistoryResponder.Job(new HistoryRequest("h" + i, 1, 10), REPLY, null, 10))) {
                    accepted++;
                }
            }
            assertThat(accepted).isEqualTo(1 + HistoryResponder.MAX_WAITING);
        }
    }
}
