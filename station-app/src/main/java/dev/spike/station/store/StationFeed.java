package dev.spike.station.store;

import dev.spike.model.AgentState;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Status;
import dev.spike.model.command.HistoryPage;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.connection.MqttGateway;
import dev.spike.station.connection.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's data thread: it takes what the gateway receives, stores it in the {@link StationStore} and tells
 * {@link FeedListener}s what was new. One thread owns the store's writes, the backfill and the alarm tracker, like
 * the agent's single control thread; ViewModels get told on it and move to the UI thread themselves.
 *
 * <pre>
 * MQTT thread ──accept()──▶ queue ──▶ feed thread: one transaction per batch ──▶ listeners (feed thread)
 * UI thread ──read(query)/execute(task)──▶ same queue, in order with the messages
 * </pre>
 *
 * <p>Batches: everything queued when the feed thread gets to it is stored in one transaction (up to 20,000 events),
 * so a burst of thousands of events per second costs one commit per batch, and each listener gets one call per
 * batch (one {@code Platform.runLater} per ViewModel, not one per event). Events are deduplicated by (agent, seq);
 * listeners only see new ones.
 *
 * <p>The executor decides the thread: a single-thread executor in the app, {@code Runnable::run} in tests (then
 * everything runs on the caller's thread; work queued from inside a listener runs right after it, never nested).
 *
 * <p>If the store fails (disk full), or a message in the batch cannot be stored, the batch is logged and dropped: its
 * events leave a gap that the backfill fetches again once the store works; the next retained messages bring the
 * snapshots back.
 *
 * <p>Wiring in the app:
 * <pre>
 * StationStore store = StationStore.openDefault();
 * StationFeed feed = new StationFeed(store, Executors.newSingleThreadExecutor(...), Clock.systemDefaultZone());
 * feed.attach(gateway);
 * new Backfill(feed, gateway, clock).start();
 * </pre>
 */
public final class StationFeed {

    /** Most events stored in one transaction; bounds how long a listener waits for a burst to be stored. */
    static final int MAX_BATCH_EVENTS = 20_000;
    static final Duration COMPACTION_CHECK_EVERY = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(StationFeed.class);

    private record Inbound(Topic topic, Object message) {

        int weight() {
            return message instanceof HistoryPage ? Math.max(1, ((HistoryPage) message).events().size()) : 1;
        }
    }

    private final StationStore store;
    private final Executor executor;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final List<FeedListener> listeners = new CopyOnWriteArrayList<>();
    /** Feed thread only. */
    private Instant nextCompactionCheck = Instant.MIN;

    /**
     * @param store    the station store; the feed is its only writer
     * @param executor runs the feed's work: a single-thread executor in the app, {@code Runnable::run} in tests
     * @param clock    for compaction
     */
    public StationFeed(StationStore store, Executor executor, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.clock = clock;
    }

    /** Stores everything the gateway receives from now on. */
    public Registration attach(MqttGateway gateway) {
        return gateway.addMessageListener(this::accept);
    }

    /** Queues a received message; any thread. */
    public void accept(Topic topic, Object message) {
        queue.add(new Inbound(topic, message));
        schedule();
    }

    /** Runs {@code task} on the feed thread, after everything queued before it. */
    public void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    /**
     * Runs a query on the feed thread, in order with the stored messages: a ViewModel that reads a snapshot and then
     * gets the updates that follow it misses nothing and sees nothing twice out of order. Complete the future on the
     * UI thread with {@code thenAcceptAsync(..., ui)}.
     */
    public <T> CompletableFuture<T> read(Function<StationStore, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(query.apply(store));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The store; call it on the feed thread (from a listener or a task), or from a test. */
    public StationStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public Registration addListener(FeedListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("the feed executor is shut down; {} queued items dropped", queue.size());
                queue.clear();
            }
        }
    }

    private void drain() {
        try {
            Object next;
            while ((next = queue.poll()) != null) {
                if (next instanceof Runnable) {
                    runTask((Runnable) next);
                    continue;
                }
                Inbound first = (Inbound) next;
                List<Inbound> batch = new ArrayList<>();
                batch.add(first);
                int weight = first.weight();
                while (weight < MAX_BATCH_EVENTS && queue.peek() instanceof Inbound) {
                    Inbound more = (Inbound) queue.poll();
                    batch.add(more);
                    weight += more.weight();
                }
                process(batch);
            }
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("a feed task failed: {}", e.toString(), e);
        }
    }

    private void process(List<Inbound> batch) {
        List<FeedUpdate> updates = new ArrayList<>();
        try {
            store.inTransaction(() -> storeBatch(batch, updates));
        } catch (StoreException e) {
            LOG.error("could not store {} received messages, dropped: {} (missed events are fetched again with"
                    + " history once the store works)", batch.size(), e.getMessage(), e);
            return;
        } catch (RuntimeException e) {
            // A decoded message the store cannot take is a bug (say, a time outside epoch milliseconds). It costs
            // this batch, whose events backfill fetches again, but must not kill the feed thread unlogged.
            LOG.error("could not store {} received messages, dropped: {}", batch.size(), e.toString(), e);
            return;
        }
        if (!updates.isEmpty()) {
            List<FeedUpdate> view = List.copyOf(updates);
            for (FeedListener listener : listeners) {
                try {
                    listener.onUpdates(view);
                } catch (RuntimeException e) {
                    LOG.error("a feed listener failed: {}", e.toString(), e);
                }
            }
        }
        compactIfDue();
    }

    private void storeBatch(List<Inbound> batch, List<FeedUpdate> updates) {
        List<Event> pending = new ArrayList<>();
        String pendingAgent = null;
        for (Inbound inbound : batch) {
            String agentId = inbound.topic().agentId();
            Object message = inbound.message();
            if (message instanceof Event) {
                if (pendingAgent != null && !pendingAgent.equals(agentId)) {
                    flush(pendingAgent, pending, updates);
                }
                pending.add((Event) message);
                pendingAgent = agentId;
                continue;
            }
            if (pendingAgent != null) {
                flush(pendingAgent, pending, updates);
                pendingAgent = null;
            }
            if (message instanceof Status) {
                store.putStatus(agentId, (Status) message);
                updates.add(new FeedUpdate.StatusChanged(agentId, (Status) message));
            } else if (message instanceof AgentState) {
                store.putState(agentId, (AgentState) message);
                updates.add(new FeedUpdate.StateChanged(agentId, (AgentState) message));
            } else if (message instanceof Health) {
                store.putHealth(agentId, (Health) message);
                updates.add(new FeedUpdate.HealthChanged(agentId, (Health) message));
            } else if (message instanceof ConfigSnapshot) {
                store.putConfig(agentId, (ConfigSnapshot) message);
                updates.add(new FeedUpdate.ConfigChanged(agentId, (ConfigSnapshot) message));
            } else if (message instanceof HistoryPage) {
                HistoryPage page = (HistoryPage) message;
                if (!page.agentId().equals(agentId)) {
                    LOG.warn("dropped a history page for {} that came on {}'s topic", page.agentId(), agentId);
                    continue;
                }
                List<Event> added = store.append(page.events());
                if (!added.isEmpty()) {
                    updates.add(new FeedUpdate.EventsAdded(agentId, added, true));
                }
                updates.add(new FeedUpdate.PageStored(agentId, page, added.size()));
            } else {
                LOG.debug("ignored a {} on {}", message.getClass().getSimpleName(), inbound.topic());
            }
        }
        if (pendingAgent != null) {
            flush(pendingAgent, pending, updates);
        }
    }

    private void flush(String agentId, List<Event> pending, List<FeedUpdate> updates) {
        List<Event> added = store.append(pending);
        pending.clear();
        if (!added.isEmpty()) {
            updates.add(new FeedUpdate.EventsAdded(agentId, added, false));
        }
    }

    private void compactIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCompactionCheck)) {
            return;
        }
        nextCompactionCheck = now.plus(COMPACTION_CHECK_EVERY);
        try {
            store.compactIfDue(now);
        } catch (StoreException e) {
            LOG.error("compacting the station store failed: {}", e.getMessage(), e);
        }
    }
}
