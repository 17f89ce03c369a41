package dev.spike.agent.link;

import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward: publishes every stored event, in seq order, QoS 1, on its {@code event/<type>} topic, and
 * remembers durably the highest seq up to which the broker acknowledged everything. After a reconnect or a restart it
 * goes on from there, so a broker that was away for hours costs nothing: the events arrive later, in order, without
 * gaps. A duplicate is the price of that (receivers dedupe by seq).
 *
 * <p>The store is the queue. Events are read from it in chunks of {@link #CHUNK}, never more than {@link #WINDOW}
 * unacknowledged at a time, so memory stays bounded however long the backlog, and the agent thread, which appends to
 * the same store, never waits long for a read.
 *
 * <p>Each connection is a generation. PUBACKs of QoS 1 come in order, so within a generation the acknowledged
 * position advances over a contiguous prefix. On a disconnect the generation ends: whatever the client still
 * delivers for it is ignored and the next generation starts again at acknowledged + 1. The client may resend its own
 * unacknowledged messages of the old session as well; both are duplicates, never gaps.
 *
 * <p>Confined to the link thread, except {@link #wake()}, which any thread may call.
 */
final class Forwarder {

    /** Store meta key of the highest seq the broker acknowledged, with every seq before it. */
    static final String ACKED_KEY = "broker_acked_seq";
    /** Unacknowledged events at most: bounds memory and the duplicates after a reconnect. */
    static final int WINDOW = 1_000;
    /**
     * Events per store read. A read holds the store's lock, which the agent thread needs to append: 500 events
     * take a few milliseconds to read.
     */
    static final int CHUNK = 500;
    /** The acknowledged position is written at most this often: a crash costs a second of duplicates, no more. */
    static final Duration PERSIST_EVERY = Duration.ofSeconds(1);
    /** Pause before trying again after a publish failed while connected, so a failure cannot spin. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** An event that fails this many times in a row, with the connection up, cannot be sent: it is skipped. */
    static final int SKIP_AFTER_FAILURES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final ResilientEventStore store;
    private final Publisher publisher;
    private final ScheduledExecutorService linkThread;
    private final Codec codec;
    private final String agentId;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private long acked;
    private long persisted;
    private long next = 1;
    private int generation;
    private boolean connected;
    private boolean stopped;
    private boolean persistScheduled;
    /** True from a connect with events behind until they are all acknowledged: for the log. */
    private boolean catchingUp;
    private long failingSeq;
    private int failures;
    private String lastRefusal;

    private static final class InFlight {
        final long seq;
        final Topic topic;
        boolean done;

        InFlight(long seq, Topic topic) {
            this.seq = seq;
            this.topic = topic;
        }
    }

    Forwarder(ResilientEventStore store, Publisher publisher, ScheduledExecutorService linkThread, Codec codec,
            String agentId) {
        this.store = store;
        this.publisher = publisher;
        this.linkThread = linkThread;
        this.codec = codec;
        this.agentId = agentId;
    }

    /** Reads the acknowledged position from the store. */
    void start() {
        acked = store.metaLong(ACKED_KEY, 0);
        long last = store.lastSeq();
        if (acked > last) {
            LOG.warn("the broker acknowledged events up to #{}, but the store {} ends at #{}: it was replaced;"
                    + " publishing it from #1 (receivers skip the seqs they already have)", acked, store.file(), last);
            acked = 0;
            store.putMetaLong(ACKED_KEY, 0);
        }
        persisted = acked;
        next = acked + 1;
    }

    /** New events were stored: publish them if there is room. Any thread; cheap; coalesced. */
    void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                linkThread.execute(() -> {
                    wakeQueued.set(false);
                    pump();
                });
            } catch (RejectedExecutionException e) {
                // the link is closing; what was not published stays in the store for the next start
            }
        }
    }

    void connected() {
        connected = true;
        long behind = store.lastSeq() - acked;
        if (behind > 0) {
            LOG.info("publishing the events the broker has not acknowledged yet: #{}..#{}", acked + 1,
                    store.lastSeq());
            catchingUp = true;
        }
        restart();
    }

    void disconnected() {
        connected = false;
        generation++;
        inFlight.clear();
        next = acked + 1;
        persist();
    }

    /** Stops publishing for good (the link is closing) and writes the acknowledged position. */
    void stop() {
        stopped = true;
        generation++;
        inFlight.clear();
        persist();
    }

    /** Highest seq acknowledged, with every seq before it. */
    long acked() {
        return acked;
    }

    /** Events stored but not yet acknowledged by the broker. */
    long unacknowledged() {
        return Math.max(0, store.lastSeq() - acked);
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Writes the acknowledged position to the store if it moved. */
    void persist() {
        if (acked != persisted) {
            store.putMetaLong(ACKED_KEY, acked);
            persisted = acked;
        }
    }

    private void restart() {
        generation++;
        inFlight.clear();
        next = acked + 1;
        pump();
    }

    /**
     * Fills the window from the store, a chunk at a time: while a backlog goes out, one store read per
     * {@link #CHUNK} acknowledgements rather than one per acknowledgement. A live event finds the window empty and
     * goes out at once.
     */
    void pump() {
        while (connected && !stopped && (inFlight.isEmpty() || WINDOW - inFlight.size() >= CHUNK)) {
            int want = Math.min(CHUNK, WINDOW - inFlight.size());
            List<Event> events;
            try {
                events = store.read(next, want);
            } catch (RuntimeException e) {
                LOG.error("cannot read events from #{} to publish them: {}; trying again in {} s", next, e.toString(),
                        RETRY_AFTER.toSeconds(), e);
                retryLater(generation);
                return;
            }
            for (Event event : events) {
                send(event);
            }
            if (events.size() < want) {
                if (inFlight.isEmpty()) {
                    caughtUp();
                }
                return;
            }
        }
    }

    private void send(Event event) {
        InFlight entry = new InFlight(event.seq(), Topic.event(agentId, event.type()));
        inFlight.add(entry);
        next = event.seq() + 1;
        int sentIn = generation;
        byte[] payload;
        try {
            payload = codec.encode(event);
        } catch (RuntimeException e) {
            // cannot happen for a stored event; if it does, one event must not stop all the others
            LOG.error("cannot encode event #{} ({}), skipped: {}", event.seq(), event.type().wire(), e.toString(), e);
            entry.done = true;
            advance();
            return;
        }
        publisher.publish(entry.topic, payload).whenComplete((ack, error) -> {
            try {
                linkThread.execute(() -> completed(sentIn, entry, ack, error));
            } catch (RejectedExecutionException e) {
                // the link is closing: the position was saved without this one, which is sent again next time
            }
        });
    }

    private void completed(int sentIn, InFlight entry, Publisher.Ack ack, Throwable error) {
        if (sentIn != generation) {
            return;
        }
        if (error != null) {
            Throwable cause = unwrap(error);
            if (cause instanceof LinkDownException) {
                // the disconnect callback normally comes first; if not, start over once it had time to
                generation++;
                inFlight.clear();
                next = acked + 1;
                retryLater(generation);
                return;
            }
            failures = entry.seq == failingSeq ? failures + 1 : 1;
            failingSeq = entry.seq;
            if (failures < SKIP_AFTER_FAILURES) {
                LOG.warn("publishing event #{} failed: {}; trying again in {} s", entry.seq, cause.toString(),
                        RETRY_AFTER.toSeconds());
                generation++;
                inFlight.clear();
                next = acked + 1;
                retryLater(generation);
                return;
            }
            LOG.error("event #{} could not be published {} times ({}); skipped so the events after it go out;"
                    + " a station can still fetch it with cmd/history", entry.seq, failures, cause.toString());
        } else if (ack.refused()) {
            // The broker answered for this message; the same bytes would get the same answer, so move on.
            if (!ack.refusal().equals(lastRefusal)) {
                LOG.warn("event #{}: {}", entry.seq, ack.describe(entry.topic.toString()));
                lastRefusal = ack.refusal();
            }
        }
        entry.done = true;
        advance();
        pump();
    }

    private void advance() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
            acked = inFlight.pollFirst().seq;
        }
        if (acked != persisted && !persistScheduled) {
            persistScheduled = true;
            try {
                linkThread.schedule(() -> {
                    persistScheduled = false;
                    persist();
                }, PERSIST_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                persistScheduled = false;
            }
        }
    }

    private void caughtUp() {
        if (catchingUp) {
            catchingUp = false;
            LOG.info("the broker has every event up to #{}", acked);
        }
    }

    private void retryLater(int inGeneration) {
        try {
            linkThread.schedule(() -> {
                if (generation == inGeneration) {
                    pump();
                }
            }, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the link is closing
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
