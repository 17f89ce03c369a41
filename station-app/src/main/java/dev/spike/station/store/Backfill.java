package dev.spike.station.store;

import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.station.connection.CommandIds;
import dev.spike.station.connection.ConnectionState;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.connection.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the events the station missed, with {@code cmd/history}, until the store has no gap.
 *
 * <p>When: on every (re)connect for every known agent, and whenever a live event, a state (its {@code lastSeq}), a
 * status or a health message of an agent arrives, which is when a gap shows. One request per agent is in flight at a
 * time, for the lowest gap above the store's watermark: {@code fromSeq} = the watermark + 1, {@code limit} = the
 * size of the gap (at most 1,000,000). The agent answers with pages of up to 5,000 events, in seq order.
 *
 * <p>Settling: the agent sends every event it still has from {@code fromSeq} on, in order, so a page proves that
 * the seqs up to its last event that it does not contain are gone (readings the agent compacted): the watermark
 * moves over them ({@link StationStore#settle}) and they are never asked for again. A gap always ends below a seq
 * the agent still has (its newest, at the latest), so the answer always reaches past it. After the last page the
 * next gap is requested, until none is left; an answer that settles nothing pauses the agent for 5 minutes rather
 * than asking again at once.
 *
 * <p>Interruptions: the store is the truth. Pages are stored and settled as they come; after a lost connection, a
 * restart or a request that got no page for 30 s, the next request starts from the watermark, so nothing is fetched
 * twice that was stored and nothing is skipped. Pages of a forgotten request are still stored (deduplicated), only
 * not used for settling. A rejected request pauses the agent's backfill for 5 minutes instead of asking again at
 * once.
 *
 * <p>Runs on the feed thread; {@link #start()} from any thread.
 */
public final class Backfill implements FeedListener, AutoCloseable {

    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration REJECTED_PAUSE = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    /** A request in flight. Feed thread only. */
    private static final class Request {
        final String id;
        final long from;
        final long to;
        Instant lastActivity;
        int pages;

        Request(String id, long from, long to, Instant sentAt) {
            this.id = id;
            this.from = from;
            this.to = to;
            this.lastActivity = sentAt;
        }
    }

    private final StationFeed feed;
    private final MqttGateway gateway;
    private final Clock clock;
    private final List<Registration> registrations = new ArrayList<>();
    /** Feed thread only. */
    private final Map<String, Request> outstanding = new HashMap<>();
    /** Feed thread only. */
    private final Map<String, Instant> pausedUntil = new HashMap<>();
    /**
     * Feed thread only: connected as far as this thread has handled it. Not the gateway's state, which turns
     * CONNECTED before the feed thread gets to the news; the messages the broker kept for the station come first.
     */
    private boolean connected;

    public Backfill(StationFeed feed, MqttGateway gateway, Clock clock) {
        this.feed = feed;
        this.gateway = gateway;
        this.clock = clock;
    }

    /** Starts listening; backfills at once if the gateway is already connected. */
    public void start() {
        registrations.add(feed.addListener(this));
        registrations.add(gateway.addStateListener(this::onConnectionState));
        ConnectionState now = gateway.state();
        if (now.isConnected()) {
            onConnectionState(now);
        }
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }

    /** Whether a request to the agent is in flight; feed thread only (tests: any thread with a direct executor). */
    public boolean busy(String agentId) {
        return outstanding.containsKey(agentId);
    }

    private void onConnectionState(ConnectionState state) {
        feed.execute(() -> {
            boolean wasConnected = connected;
            connected = state.isConnected();
            if (connected && !wasConnected) {
                // Whatever was in flight before the connection dropped may never be answered: start over from the
                // watermark. No request went out on this connection yet (check() waits for this task), so none
                // is forgotten and asked for twice.
                outstanding.clear();
                checkAll();
            }
        });
    }

    private void checkAll() {
        for (AgentSnapshot agent : feed.store().agents()) {
            check(agent.agentId());
        }
    }

    @Override
    public void onUpdates(List<FeedUpdate> updates) {
        Set<String> toCheck = new LinkedHashSet<>();
        for (FeedUpdate update : updates) {
            if (update instanceof FeedUpdate.PageStored) {
                if (onPage((FeedUpdate.PageStored) update)) {
                    toCheck.add(update.agentId());
                }
            } else if (update instanceof FeedUpdate.EventsAdded) {
                FeedUpdate.EventsAdded added = (FeedUpdate.EventsAdded) update;
                if (rejected(added)) {
                    continue;
                }
                if (!added.backfilled()) {
                    toCheck.add(update.agentId());
                }
            } else if (!(update instanceof FeedUpdate.ConfigChanged)) {
                toCheck.add(update.agentId());
            }
        }
        for (String agentId : toCheck) {
            check(agentId);
        }
    }

    /** Handles a page; true when the request is done and the next gap may be requested. */
    private boolean onPage(FeedUpdate.PageStored stored) {
        String agentId = stored.agentId();
        HistoryPage page = stored.page();
        Request request = outstanding.get(agentId);
        if (request == null || !request.id.equals(page.requestId())) {
            LOG.debug("stored a page of an earlier request {} for {} ({} new events)", page.requestId(), agentId,
                    stored.added());
            return false;
        }
        request.lastActivity = clock.instant();
        request.pages++;
        long lastSeq = page.events().isEmpty() ? 0 : page.events().get(page.events().size() - 1).seq();
        if (lastSeq > 0) {
            feed.store().settle(agentId, lastSeq);
        }
        if (!page.last()) {
            return false;
        }
        outstanding.remove(agentId);
        if (feed.store().settledSeq(agentId) < request.from) {
            // Nothing from fromSeq on: the agent lost what it announced (its own store failed). Asking again at
            // once would loop; ask again later.
            LOG.warn("{} had nothing from seq {} on (request {}); asking again in {} min", agentId, request.from,
                    request.id, REJECTED_PAUSE.toMinutes());
            pausedUntil.put(agentId, clock.instant().plus(REJECTED_PAUSE));
            return false;
        }
        LOG.info("history {}..{} of {} done in {} pages", request.from, request.to, agentId, request.pages);
        return true;
    }

    /** True if the events hold the agent's rejection of our request; pauses the agent's backfill then. */
    private boolean rejected(FeedUpdate.EventsAdded added) {
        Request request = outstanding.get(added.agentId());
        if (request == null) {
            return false;
        }
        for (Event event : added.events()) {
            if (event instanceof CommandResult) {
                CommandResult result = (CommandResult) event;
                if (result.commandId().equals(request.id) && !result.accepted()) {
                    LOG.warn("{} rejected history request {} ({}..{}): {}; trying again in {} min",
                            added.agentId(), request.id, request.from, request.to, result.reason(),
                            REJECTED_PAUSE.toMinutes());
                    outstanding.remove(added.agentId());
                    pausedUntil.put(added.agentId(), clock.instant().plus(REJECTED_PAUSE));
                    return true;
                }
            }
        }
        return false;
    }

    private void check(String agentId) {
        if (!connected) {
            return;
        }
        Instant now = clock.instant();
        Instant paused = pausedUntil.get(agentId);
        if (paused != null && now.isBefore(paused)) {
            return;
        }
        Request inFlight = outstanding.get(agentId);
        if (inFlight != null) {
            if (now.isBefore(inFlight.lastActivity.plus(REQUEST_TIMEOUT))) {
                return;
            }
            LOG.warn("history request {} to {} got no page for {} s; asking again from the store's watermark",
                    inFlight.id, agentId, REQUEST_TIMEOUT.toSeconds());
            outstanding.remove(agentId);
        }
        Optional<SeqRange> gap = feed.store().firstGap(agentId);
        if (gap.isEmpty()) {
            return;
        }
        SeqRange range = gap.get();
        int limit = (int) Math.min(range.size(), HistoryRequest.MAX_LIMIT);
        HistoryRequest request = new HistoryRequest(CommandIds.next("history"), range.from(), limit);
        Request sent = new Request(request.id(), range.from(), range.from() + limit - 1, now);
        // Recorded before sending: the first page may arrive before requestHistory returns.
        outstanding.put(agentId, sent);
        LOG.info("asking {} for seqs {}..{} (request {})", agentId, sent.from, sent.to, request.id());
        gateway.requestHistory(agentId, request).whenComplete((ignored, error) -> {
            if (error != null) {
                feed.execute(() -> {
                    if (outstanding.get(agentId) == sent) {
                        outstanding.remove(agentId);
                        LOG.warn("history request {} to {} not sent: {}", request.id(), agentId,
                                error.getMessage());
                    }
                });
            }
        });
    }
}
