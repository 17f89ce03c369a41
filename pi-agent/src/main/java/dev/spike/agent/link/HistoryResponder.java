package dev.spike.agent.link;

import dev.spike.agent.store.ResilientEventStore;
import dev.spike.model.codec.Codec;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.command.HistoryRequest;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers accepted {@code cmd/history} requests on their own thread: reads the stored events, encodes them into
 * {@link HistoryPage}s of at most 5,000 events and publishes them one after the other on the station's response
 * topic, each with the request's correlation data, the last one with {@code last: true}. Control never waits for
 * it, and one page at a time is in memory.
 *
 * <p>Requests are answered in turn; a few may wait ({@link #MAX_WAITING}), more are refused so a flood of requests
 * cannot pile up work.
 */
final class HistoryResponder implements AutoCloseable {

    /** Requests waiting behind the one being answered. */
    static final int MAX_WAITING = 4;
    /** Events per store read; a read holds the store's lock, which the agent thread needs to append. */
    static final int READ_CHUNK = 1_000;
    /** How long one page may take to be acknowledged before the answer is given up. */
    static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(HistoryResponder.class);

    private final ResilientEventStore store;
    private final Publisher publisher;
    private final Codec codec;
    private final String agentId;
    private final ThreadPoolExecutor executor;

    /**
     * One accepted request.
     *
     * @param replyTo     the station's response topic
     * @param correlation the request's correlation data, copied onto every page; may be null
     * @param upToSeq     the last seq of the answer: the store's last seq when the request was accepted
     */
    record Job(HistoryRequest request, Topic replyTo, byte[] correlation, long upToSeq) {
    }

    HistoryResponder(ResilientEventStore store, Publisher publisher, Codec codec, String agentId) {
        this.store = store;
        this.publisher = publisher;
        this.codec = codec;
        this.agentId = agentId;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING), runnable -> {
                    Thread thread = new Thread(runnable, "spike-history");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Queues the answer; false if too many are waiting. Never blocks. */
    boolean offer(Job job) {
        try {
            executor.execute(() -> answer(job));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Requests being answered or waiting. */
    int busy() {
        return executor.getQueue().size() + executor.getActiveCount();
    }

    private void answer(Job job) {
        HistoryRequest request = job.request();
        long next = request.fromSeq();
        int remaining = request.limit();
        int pages = 0;
        long events = 0;
        try {
            while (true) {
                int want = Math.min(remaining, HistoryPage.MAX_EVENTS);
                List<Event> page = readPage(next, want, job.upToSeq());
                remaining -= page.size();
                // short page: the store (or the range) ended; an empty page says so too
                boolean last = page.size() < want || remaining == 0
                        || page.get(page.size() - 1).seq() >= job.upToSeq();
                pages += send(job, page, last);
                events += page.size();
                if (last) {
                    break;
                }
                next = page.get(page.size() - 1).seq() + 1;
            }
            LOG.info("history {}: {} events from #{} in {} pages to {}", request.id(), events, request.fromSeq(),
                    pages, job.replyTo());
        } catch (PageNotSent e) {
            LOG.warn("history {}: gave up after {} pages to {}: {}; the station can ask again", request.id(), pages,
                    job.replyTo(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("history {}: failed after {} pages: {}", request.id(), pages, e.toString(), e);
        }
    }

    /** Up to {@code limit} events from {@code from}, none after {@code upTo}, read in chunks. */
    private List<Event> readPage(long from, int limit, long upTo) {
        List<Event> page = new ArrayList<>(Math.min(limit, READ_CHUNK));
        long next = from;
        while (page.size() < limit && next <= upTo) {
            int asked = Math.min(READ_CHUNK, limit - page.size());
            List<Event> chunk = store.read(next, asked);
            for (Event event : chunk) {
                if (event.seq() > upTo) {
                    return page;
                }
                page.add(event);
            }
            if (chunk.size() < asked) {
                return page;
            }
            next = chunk.get(chunk.size() - 1).seq() + 1;
        }
        return page;
    }

    /** Sends one page, split in halves while it is over the reply size limit; returns the pages sent. */
    private int send(Job job, List<Event> events, boolean last) {
        HistoryPage page = new HistoryPage(job.request().id(), agentId, events, last);
        byte[] payload = codec.encode(page);
        if (payload.length > Codec.MAX_REPLY_BYTES && events.size() > 1) {
            int half = events.size() / 2;
            return send(job, events.subList(0, half), false) + send(job, events.subList(half, events.size()), last);
        }
        try {
            Publisher.Ack ack = publisher.reply(job.replyTo(), payload, job.correlation())
                    .get(PAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (ack.refused()) {
                throw new PageNotSent("the broker refused a page: " + ack.refusal());
            }
            return 1;
        } catch (ExecutionException e) {
            throw new PageNotSent(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new PageNotSent("a page was not acknowledged within " + PAGE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PageNotSent("the agent is stopping");
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("a history answer was still running when the link closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PageNotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PageNotSent(String message) {
            super(message);
        }
    }
}
