package dev.spike.station.store;

import dev.spike.model.CommandKind;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.connection.FakeGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * An agent's event store on the far side of a {@link FakeGateway}: answers {@code cmd/history} like the real agent
 * (a {@code command_result}, then pages of at most {@code pageSize} events from {@code fromSeq} on, in seq order, the
 * last one marked), can compact readings away, and can lose the connection in the middle of an answer or keep
 * requests unanswered.
 */
public final class FakeAgent {

    private final FakeGateway gateway;
    private final String agentId;
    private final NavigableMap<Long, Event> events = new TreeMap<>();
    private final List<HistoryRequest> requests = new CopyOnWriteArrayList<>();
    private final List<HistoryRequest> unanswered = new CopyOnWriteArrayList<>();
    private int pageSize = HistoryPage.MAX_EVENTS;
    private int dropAfterPages = -1;
    private boolean answering = true;
    private boolean rejecting;
    private boolean sendResults = true;
    private Instant now = TestEvents.T0;
    private Executor answerOn = Runnable::run;

    public FakeAgent(FakeGateway gateway, String agentId) {
        this.gateway = gateway;
        this.agentId = agentId;
        gateway.onCommand(sent -> {
            if (sent.agentId().equals(agentId) && sent.command() instanceof HistoryRequest) {
                HistoryRequest request = (HistoryRequest) sent.command();
                requests.add(request);
                if (answering) {
                    answerOn.execute(() -> answer(request));
                } else {
                    unanswered.add(request);
                }
            }
        });
    }

    /** Events the agent has stored (not published). */
    public FakeAgent store(List<? extends Event> stored) {
        for (Event event : stored) {
            events.put(event.seq(), event);
        }
        return this;
    }

    public FakeAgent pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** Whether command results are published (they take a seq of their own, like on the real agent). */
    public FakeAgent sendResults(boolean value) {
        this.sendResults = value;
        return this;
    }

    /** The connection drops after this many pages of the next answer (then never again). */
    public FakeAgent dropConnectionAfterPages(int pages) {
        this.dropAfterPages = pages;
        return this;
    }

    /** False: requests are kept, unanswered, until {@link #answerPending()}. */
    public FakeAgent answering(boolean value) {
        this.answering = value;
        return this;
    }

    /** Where answers are produced: the requesting thread by default, the agent's own thread in benchmarks. */
    public FakeAgent answerOn(Executor executor) {
        this.answerOn = executor;
        return this;
    }

    public FakeAgent rejecting(boolean value) {
        this.rejecting = value;
        return this;
    }

    /** Removes stored events in {@code from..to} (readings compacted away). */
    public void compact(long from, long to) {
        events.subMap(from, true, to, true).clear();
    }

    public long lastSeq() {
        return events.isEmpty() ? 0 : events.lastKey();
    }

    public List<HistoryRequest> requests() {
        return List.copyOf(requests);
    }

    /** Answers the oldest request kept while not answering. */
    public void answerOldestPending() {
        answer(unanswered.remove(0));
    }

    public void answerPending() {
        List<HistoryRequest> pending = new ArrayList<>(unanswered);
        unanswered.clear();
        for (HistoryRequest request : pending) {
            answer(request);
        }
    }

    /** Publishes an event live (and stores it). */
    public void publish(Event event) {
        events.put(event.seq(), event);
        gateway.receive(Topic.event(agentId, event.type()), event);
    }

    private void answer(HistoryRequest request) {
        if (sendResults) {
            CommandResult result = new CommandResult(agentId, lastSeq() + 1, now, request.id(), CommandKind.HISTORY,
                    !rejecting, rejecting ? "history is switched off" : null);
            publish(result);
        }
        if (rejecting) {
            return;
        }
        List<Event> wanted = new ArrayList<>();
        for (Map.Entry<Long, Event> entry : events.tailMap(request.fromSeq(), true).entrySet()) {
            if (wanted.size() == request.limit()) {
                break;
            }
            wanted.add(entry.getValue());
        }
        int pages = 0;
        for (int from = 0; from < wanted.size() || from == 0; from += pageSize) {
            int to = Math.min(wanted.size(), from + pageSize);
            boolean last = to == wanted.size();
            HistoryPage page = new HistoryPage(request.id(), agentId, wanted.subList(from, to), last);
            if (dropAfterPages >= 0 && pages == dropAfterPages) {
                dropAfterPages = -1;
                gateway.dropConnection();
                return;
            }
            gateway.receive(Topic.reply(agentId, gateway.stationId()), page);
            pages++;
            if (last) {
                break;
            }
        }
    }
}
