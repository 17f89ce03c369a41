package dev.spike.station.store;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.T0;
import static dev.spike.station.store.TestEvents.humidity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.model.topic.TopicKind;
import dev.spike.station.connection.FakeGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {

    @TempDir
    Path dir;

    private TestStation station;
    private FakeAgent agent;
    private Backfill backfill;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        agent = new FakeAgent(station.gateway, AGENT);
        backfill = new Backfill(station.feed, station.gateway, station.clock);
        backfill.start();
    }

    @AfterEach
    void close() {
        backfill.close();
        station.close();
    }

    private static List<Event> readings(long from, long to) {
        List<Event> events = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            events.add(humidity(seq, T0.plusSeconds(10 * seq), 60 + seq % 30));
        }
        return events;
    }

    /** The retained state the broker hands a connecting station. */
    private void retainedState(long lastSeq) {
        station.gateway.receive(Topic.state(AGENT), TestEvents.state(T0, lastSeq).build());
    }

    private List<HistoryRequest> requests() {
        return agent.requests();
    }

    @Test
    void fetchesEverythingMissingInPagesOnConnect() {
        agent.sendResults(false).pageSize(1_000).store(readings(1, 12_345));
        station.gateway.connect();
        retainedState(12_345);

        assertThat(station.store.count(AGENT)).isEqualTo(12_345);
        assertThat(station.store.gaps(AGENT)).isEmpty();
        assertThat(requests()).hasSize(1);
        assertThat(requests().get(0).fromSeq()).isEqualTo(1);
        assertThat(requests().get(0).limit()).isEqualTo(12_345);
        assertThat(backfill.busy(AGENT)).isFalse();
    }

    @Test
    void asksOnlyForWhatIsMissingWhenALiveEventSkipsSeqs() {
        agent.sendResults(false).store(readings(1, 100));
        station.gateway.connect();
        retainedState(100);
        agent.store(readings(101, 110));

        agent.publish(humidity(111, T0.plusSeconds(1110), 70));

        assertThat(requests()).extracting(HistoryRequest::fromSeq).containsExactly(1L, 101L);
        assertThat(requests().get(1).limit()).isEqualTo(10);
        assertThat(station.store.gaps(AGENT)).isEmpty();
        assertThat(station.store.count(AGENT)).isEqualTo(111);
    }

    @Test
    void theAgentsOwnCommandResultsAreStoredAndLeaveNoGap() {
        agent.store(readings(1, 50));
        station.gateway.connect();
        retainedState(50);

        // every answer starts with a command_result, which takes the next seq on the agent
        assertThat(station.store.gaps(AGENT)).isEmpty();
        assertThat(station.store.count(AGENT)).isEqualTo(51);
        assertThat(requests()).hasSize(1);
    }

    @Test
    void seqsTheAgentCompactedAreAskedForOnceNotForever() {
        agent.sendResults(false).store(readings(1, 1_000));
        agent.compact(1, 400);
        station.gateway.connect();
        retainedState(1_000);

        assertThat(station.store.count(AGENT)).isEqualTo(600);
        assertThat(station.store.gaps(AGENT)).isEmpty();
        assertThat(station.store.settledSeq(AGENT)).isEqualTo(1_000);

        // later triggers ask for nothing
        station.gateway.dropConnection();
        station.gateway.restoreConnection();
        retainedState(1_000);
        assertThat(requests()).hasSize(1);
    }

    @Test
    void aGapInTheMiddleThatWasCompactedIsSettledByThePageThatSkipsIt() {
        agent.sendResults(false).store(readings(1, 300));
        agent.compact(101, 200);
        station.feed.store().append(readings(1, 100));
        station.feed.store().append(readings(250, 300));
        station.gateway.connect();
        retainedState(300);

        // asked for 101..249 (149 events): got 201..300, of which 250..300 were stored already
        assertThat(requests()).extracting(HistoryRequest::fromSeq).containsExactly(101L);
        assertThat(requests().get(0).limit()).isEqualTo(149);
        assertThat(station.store.gaps(AGENT)).isEmpty();
        assertThat(station.store.count(AGENT)).isEqualTo(200);
    }

    @Test
    void resumesFromTheWatermarkAfterTheConnectionDroppedMidAnswer() {
        agent.sendResults(false).pageSize(1_000).dropConnectionAfterPages(3).store(readings(1, 10_000));
        station.gateway.connect();
        retainedState(10_000);

        assertThat(station.store.count(AGENT)).isEqualTo(3_000);
        assertThat(station.store.settledSeq(AGENT)).isEqualTo(3_000);

        station.gateway.restoreConnection();

        assertThat(requests()).extracting(HistoryRequest::fromSeq).containsExactly(1L, 3_001L);
        assertThat(station.store.count(AGENT)).isEqualTo(10_000);
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void resumesFromTheStoreAfterTheStationRestartedMidAnswer() {
        agent.sendResults(false).pageSize(1_000).dropConnectionAfterPages(4).store(readings(1, 10_000));
        station.gateway.connect();
        retainedState(10_000);
        assertThat(station.store.count(AGENT)).isEqualTo(4_000);
        backfill.close();

        station = station.restart();
        FakeAgent sameAgent = new FakeAgent(station.gateway, AGENT).sendResults(false).pageSize(1_000)
                .store(readings(1, 10_000));
        backfill = new Backfill(station.feed, station.gateway, station.clock);
        backfill.start();
        station.gateway.connect();

        assertThat(sameAgent.requests()).extracting(HistoryRequest::fromSeq).containsExactly(4_001L);
        assertThat(station.store.count(AGENT)).isEqualTo(10_000);
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void asksAgainWhenARequestGotNoPageFor30Seconds() {
        agent.sendResults(false).answering(false).store(readings(1, 100));
        station.gateway.connect();
        retainedState(100);
        assertThat(requests()).hasSize(1);

        station.clock.advance(Duration.ofSeconds(29));
        retainedState(100);
        assertThat(requests()).hasSize(1);

        station.clock.advance(Duration.ofSeconds(2));
        agent.answering(true);
        retainedState(100);

        assertThat(requests()).extracting(HistoryRequest::fromSeq).containsExactly(1L, 1L);
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void pagesOfAForgottenRequestAreStoredButSettleNothing() {
        agent.sendResults(false).answering(false).store(readings(1, 100));
        agent.compact(1, 50);
        station.gateway.connect();
        retainedState(100);
        station.clock.advance(Duration.ofSeconds(31));
        retainedState(100);
        assertThat(requests()).hasSize(2);

        // the first, forgotten request is answered after all: its pages cannot prove 1..50 gone
        agent.answerOldestPending();
        assertThat(station.store.count(AGENT)).isEqualTo(50);
        assertThat(station.store.gaps(AGENT)).containsExactly(new SeqRange(1, 50));

        agent.answerOldestPending();
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void aRejectedRequestPausesTheAgentsBackfillForFiveMinutes() {
        agent.rejecting(true).store(readings(1, 100));
        station.gateway.connect();
        retainedState(100);
        assertThat(requests()).hasSize(1);

        station.clock.advance(Duration.ofMinutes(4));
        retainedState(100);
        assertThat(requests()).hasSize(1);

        station.clock.advance(Duration.ofMinutes(2));
        agent.rejecting(false);
        retainedState(100);
        assertThat(requests()).hasSize(2);
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void anAgentThatAnswersNothingIsAskedAgainOnlyAfterAPause() {
        agent.sendResults(false);
        station.gateway.connect();
        retainedState(100);
        assertThat(requests()).hasSize(1);

        retainedState(100);
        station.clock.advance(Duration.ofMinutes(4));
        retainedState(100);
        assertThat(requests()).hasSize(1);

        agent.store(readings(1, 100));
        station.clock.advance(Duration.ofMinutes(2));
        retainedState(100);
        assertThat(requests()).hasSize(2);
        assertThat(station.store.gaps(AGENT)).isEmpty();
    }

    @Test
    void asksOnceWhenWhatTheBrokerKeptArrivesBeforeTheNewsOfTheConnection() {
        // The real gateway's order: on connect the broker hands over what it kept for the station (here the agent's
        // state), and the gateway turns CONNECTED before the feed thread gets to the news. A feed that runs its work
        // only when told to lets the test keep that order.
        Deque<Runnable> feedThread = new ArrayDeque<>();
        FakeGateway gateway = new FakeGateway();
        StationFeed feed = new StationFeed(station.store, feedThread::add, station.clock);
        feed.attach(gateway);
        FakeAgent sameAgent = new FakeAgent(gateway, AGENT).sendResults(false).store(readings(1, 100));
        try (Backfill ownBackfill = new Backfill(feed, gateway, station.clock)) {
            ownBackfill.start();

            feed.accept(Topic.state(AGENT), TestEvents.state(T0, 100).build());
            gateway.connect();
            while (!feedThread.isEmpty()) {
                feedThread.poll().run();
            }

            assertThat(sameAgent.requests()).extracting(HistoryRequest::fromSeq).containsExactly(1L);
            assertThat(station.store.count(AGENT)).isEqualTo(100);
        }
    }

    @Test
    void asksNothingWhileDisconnected() {
        agent.store(readings(1, 100));
        station.feed.store().putState(AGENT, TestEvents.state(T0, 100).build());
        station.feed.accept(Topic.state(AGENT), TestEvents.state(T0, 100).build());

        assertThat(requests()).isEmpty();
        assertThat(station.gateway.sent()).isEmpty();
    }

    @Test
    void sendsTheRequestWithItsResponseTopicAndCorrelationData() {
        agent.sendResults(false).store(readings(1, 10));
        station.gateway.connect();
        retainedState(10);

        FakeGateway.Sent sent = station.gateway.sent().get(0);
        assertThat(sent.topic()).isEqualTo(Topic.of(AGENT, TopicKind.CMD_HISTORY));
        assertThat(sent.responseTopic()).isEqualTo("spike/terrarium-1/reply/station-test");
        assertThat(sent.correlationData()).isEqualTo(sent.command().id());
    }
}
