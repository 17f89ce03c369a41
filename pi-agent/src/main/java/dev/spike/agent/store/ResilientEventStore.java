package dev.spike.agent.store;

import dev.spike.model.event.CommandResult;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store as the agent uses it: a full, read-only or failing disk never stops control.
 *
 * <p>{@link #append} never throws. It assigns the seq itself; when the disk refuses the write, the event waits in
 * an in-memory backlog (bounded: when it is full the oldest readings and answers to rejected commands go first;
 * decisions, valve events, errors and alarms are never dropped) and {@link #lastError()} says why. The backlog is
 * written in seq order, with the seqs it was given, by a later append (at most one attempt per retry interval) or by
 * {@link #retry()}. Reads merge the disk with the backlog, so state and history look the same either way.
 *
 * <p>Opening never fails because of the disk either. If the file cannot be opened for writing, it is opened
 * read-only when that works (history and state recovery still see the past, and seqs continue after it); failing
 * that, the agent runs in memory. Then the highest seq on disk is unknown, so seqs start at the current epoch
 * millisecond: far above anything a store this agent wrote can hold, so none is reused when the disk comes back,
 * at the price of a jump in seq. {@link #retry()} keeps trying to open the file.
 *
 * <p>What is lost: the backlog lives in memory, so events still in it when the process exits are gone (logged at
 * ERROR on {@link #close()}). Their seqs may then be handed out again by the next run, since no disk recorded them.
 *
 * <p>All methods are guarded by this object's monitor, except that {@link #compactReadings} lets appends in
 * between its chunks.
 */
public final class ResilientEventStore implements AutoCloseable {

    /** Roughly 150 bytes of heap per waiting reading: about 15 MB before readings start being dropped. */
    public static final int DEFAULT_BACKLOG_LIMIT = 100_000;
    /** A full disk rarely heals by itself within seconds; trying every append would retry every reading. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ResilientEventStore.class);
    /** Events written per transaction when the backlog is flushed, so a flush commits progress as it goes. */
    private static final int FLUSH_CHUNK = 5_000;

    private final Path file;
    private final String agentId;
    private final int backlogLimit;
    private final Duration retryInterval;
    private final Clock clock;

    /** Null while the file cannot be opened at all. */
    private EventStore store;
    /** {@code store} is open read-write; false while it is null or read-only. */
    private boolean writable;
    /** Events not yet on disk, by seq. */
    private final NavigableMap<Long, Event> backlog = new TreeMap<>();
    /** Seqs of the {@link #droppable} events in {@code backlog}, oldest first: the ones to drop when it is full. */
    private final ArrayDeque<Long> backlogDroppable = new ArrayDeque<>();
    /** {@link #putMetaLong} values not yet on disk. */
    private final Map<String, Long> pendingMeta = new LinkedHashMap<>();
    private long lastSeq;
    /** The clock-based lastSeq of memory mode, until an event is stamped with it; -1 otherwise. */
    private long unusedClockSeed = -1;
    private long droppedReadings;
    private long droppedRejections;
    private boolean overLimitReported;
    private String lastError;
    /** When a write last failed; null while writes succeed. Paces the attempts of {@link #append}. */
    private Instant lastFailureAt;

    private ResilientEventStore(Path file, String agentId, int backlogLimit, Duration retryInterval, Clock clock) {
        this.file = file;
        this.agentId = agentId;
        this.backlogLimit = backlogLimit;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    /**
     * Opens the store in {@code file}; never fails because of the disk. Check {@link #lastError()} to learn
     * whether the agent runs on disk, read-only or in memory.
     */
    public static ResilientEventStore open(Path file, String agentId) {
        return open(file, agentId, DEFAULT_BACKLOG_LIMIT, DEFAULT_RETRY_INTERVAL, Clock.systemUTC());
    }

    /**
     * As {@link #open(Path, String)}. The clock is the wall clock on purpose, not agent time: it paces retries of
     * a real disk and, in memory mode, seeds seqs that must not collide with those of earlier runs.
     */
    static ResilientEventStore open(Path file, String agentId, int backlogLimit, Duration retryInterval,
                                    Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(clock, "clock");
        if (backlogLimit < 1) {
            throw new IllegalArgumentException("backlogLimit must be >= 1, was " + backlogLimit);
        }
        ResilientEventStore resilient = new ResilientEventStore(file, agentId, backlogLimit, retryInterval, clock);
        synchronized (resilient) {
            resilient.connect();
            if (resilient.store == null) {
                resilient.lastSeq = Math.max(1, clock.millis()) - 1;
                resilient.unusedClockSeed = resilient.lastSeq;
                LOG.warn("the highest seq in {} is unknown; seqs continue at {} so that none is reused", file,
                        resilient.lastSeq + 1);
            }
        }
        return resilient;
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Assigns the next seq and stores the event, on disk or in the backlog. Never throws for the disk's sake. */
    public synchronized Event append(Event event) {
        Objects.requireNonNull(event, "event");
        return appendAll(List.of(event)).get(0);
    }

    /** As {@link #append}, for several events: one transaction on disk, consecutive seqs. */
    public synchronized List<Event> appendAll(List<Event> events) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) {
            return List.of();
        }
        if (((writable && backlog.isEmpty()) || retryDue()) && prepareDisk()) {
            List<Event> stamped = stamp(events);
            try {
                store.appendAssigned(stamped);
                return stamped;
            } catch (StoreException e) {
                fail(e);
                keep(stamped);
                return stamped;
            }
        }
        List<Event> stamped = stamp(events);
        keep(stamped);
        return stamped;
    }

    private boolean retryDue() {
        if (lastFailureAt == null) {
            return true;
        }
        Instant now = clock.instant();
        // A clock set back (NTP after a boot without RTC) must not postpone the next attempt by the difference.
        return now.isBefore(lastFailureAt) || !now.isBefore(lastFailureAt.plus(retryInterval));
    }

    /**
     * Tries the disk now, whatever the retry interval: opens the file if it is not open for writing, then writes
     * the backlog. True if everything is on disk afterwards.
     */
    public synchronized boolean retry() {
        return prepareDisk();
    }

    /** Opens the file for writing if needed and empties the backlog onto it; true if the disk is now current. */
    private boolean prepareDisk() {
        if (!writable || !store.isOpen()) {
            connect();
            if (!writable) {
                return false;
            }
        }
        while (!backlog.isEmpty()) {
            List<Event> chunk = new ArrayList<>(Math.min(FLUSH_CHUNK, backlog.size()));
            for (Event event : backlog.values()) {
                if (chunk.size() == FLUSH_CHUNK) {
                    break;
                }
                chunk.add(event);
            }
            try {
                store.appendAssigned(chunk);
            } catch (StoreException e) {
                fail(e);
                return false;
            }
            long upTo = chunk.get(chunk.size() - 1).seq();
            backlog.headMap(upTo, true).clear();
            while (!backlogDroppable.isEmpty() && backlogDroppable.peekFirst() <= upTo) {
                backlogDroppable.pollFirst();
            }
            LOG.info("wrote {} events (seq {}..{}) from the backlog to {}; {} still waiting", chunk.size(),
                    chunk.get(0).seq(), upTo, file, backlog.size());
        }
        for (Iterator<Map.Entry<String, Long>> it = pendingMeta.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> entry = it.next();
            try {
                store.putMetaLong(entry.getKey(), entry.getValue());
            } catch (StoreException e) {
                fail(e);
                return false;
            }
            it.remove();
        }
        if (lastError != null) {
            LOG.info("{} is writable again; every event is on disk", file);
            lastError = null;
        }
        lastFailureAt = null;
        overLimitReported = false;
        return true;
    }

    /** (Re)opens the file: read-write if possible, else read-only for history, else nothing. */
    private void connect() {
        boolean firstTry = store == null && lastError == null;
        if (store != null && (writable || !store.isOpen())) {
            // A read-write store whose connection died: start afresh.
            closeStore();
        }
        try {
            EventStore opened = EventStore.open(file, agentId);
            closeStore();
            store = opened;
            writable = true;
            adoptDiskSeq();
            return;
        } catch (StoreException e) {
            fail(e);
        }
        if (store == null) {
            try {
                store = EventStore.openReadOnly(file, agentId);
                adoptDiskSeq();
                LOG.warn("{} is open read-only: history is readable, new events stay in memory until it is"
                        + " writable", file);
            } catch (StoreException e) {
                // Said once; the retries that follow every interval would repeat it.
                if (firstTry) {
                    LOG.warn("{} cannot even be read ({}); events stay in memory until it can be opened", file,
                            e.getMessage());
                }
            }
        }
    }

    /** Makes this store's seqs continue after the disk's and keeps the backlog's above them. */
    private void adoptDiskSeq() {
        long diskLast = store.lastSeq();
        if (lastSeq == unusedClockSeed) {
            // No seq of memory mode was handed out: continue the disk's numbering without a jump.
            lastSeq = diskLast;
            unusedClockSeed = -1;
            return;
        }
        if (backlog.isEmpty() || backlog.firstKey() > diskLast) {
            lastSeq = Math.max(lastSeq, diskLast);
            return;
        }
        // Only possible if the disk moved on behind our back (a read-only view that missed a WAL, another writer):
        // renumbering keeps the store consistent; the station may see these events twice, under both numbers.
        long first = backlog.firstKey();
        List<Event> events = new ArrayList<>(backlog.values());
        backlog.clear();
        backlogDroppable.clear();
        long seq = diskLast;
        for (Event event : events) {
            Event renumbered = event.withHeader(agentId, ++seq, event.at());
            backlog.put(renumbered.seq(), renumbered);
            if (droppable(renumbered)) {
                backlogDroppable.addLast(renumbered.seq());
            }
        }
        lastSeq = seq;
        LOG.warn("{} already holds seq up to {}; renumbered {} backlog events from seq {} to {}..{}", file,
                diskLast, events.size(), first, diskLast + 1, seq);
    }

    private List<Event> stamp(List<Event> events) {
        List<Event> stamped = new ArrayList<>(events.size());
        for (Event event : events) {
            stamped.add(event.withHeader(agentId, ++lastSeq, event.at()));
        }
        unusedClockSeed = -1;
        return stamped;
    }

    private void keep(List<Event> events) {
        for (Event event : events) {
            backlog.put(event.seq(), event);
            if (droppable(event)) {
                backlogDroppable.addLast(event.seq());
            }
        }
        while (backlog.size() > backlogLimit && !backlogDroppable.isEmpty()) {
            if (backlog.remove(backlogDroppable.pollFirst()).type().isReading()) {
                droppedReadings++;
            } else {
                droppedRejections++;
            }
            long dropped = droppedReadings + droppedRejections;
            if (dropped == 1 || dropped % 1_000 == 0) {
                LOG.warn("event backlog for {} is full ({} events): dropped {} oldest readings and {} rejected"
                        + " commands so far", file, backlogLimit, droppedReadings, droppedRejections);
            }
        }
        if (backlog.size() > backlogLimit && !overLimitReported) {
            overLimitReported = true;
            LOG.error("event backlog for {} holds {} events, over its limit of {}, and none is a reading; they are"
                    + " kept, since decisions and valve events cannot be recreated", file, backlog.size(),
                    backlogLimit);
        }
    }

    /** Records a failed write: logged, reported by lastError, and the next attempt waits for the interval. */
    private void fail(StoreException e) {
        failRead(e);
        lastFailureAt = clock.instant();
    }

    /**
     * Records a failed read. It does not delay the next write attempt: a read fails on a dead connection just as a
     * write does, and the next append is the one that opens the file again.
     */
    private void failRead(StoreException e) {
        String message = e.getMessage();
        if (!message.equals(lastError)) {
            LOG.error("{}; control goes on, new events wait in memory until the store works again", message);
        } else {
            LOG.debug("{}", message);
        }
        lastError = message;
        if (writable && !store.isOpen()) {
            writable = false;
        }
    }

    private void closeStore() {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (StoreException e) {
            LOG.debug("closing {} failed: {}", file, e.getMessage());
        }
        store = null;
        writable = false;
    }

    /** Keeps {@code value} under {@code key} in {@code meta}; in memory until the disk takes it. */
    public synchronized void putMetaLong(String key, long value) {
        Objects.requireNonNull(key, "key");
        if (writable && backlog.isEmpty() && pendingMeta.isEmpty()) {
            try {
                store.putMetaLong(key, value);
                return;
            } catch (StoreException e) {
                fail(e);
            }
        }
        pendingMeta.put(key, value);
    }

    /** A number kept by {@link #putMetaLong}, or {@code fallback}. */
    public synchronized long metaLong(String key, long fallback) {
        Objects.requireNonNull(key, "key");
        Long pending = pendingMeta.get(key);
        if (pending != null) {
            return pending;
        }
        return fromDisk(s -> s.metaLong(key, fallback), fallback);
    }

    /** As {@link EventStore#compactReadings}; 0 while the disk is not writable. */
    public int compactReadings(Instant olderThan) {
        EventStore target;
        synchronized (this) {
            if (!writable) {
                return 0;
            }
            target = store;
        }
        // Outside this monitor: the store's own locking lets appends in between compaction chunks.
        try {
            int deleted = target.compactReadings(olderThan);
            synchronized (this) {
                if (deleted > 0 && !backlog.isEmpty()) {
                    // The freed pages may be just what a full disk needed.
                    prepareDisk();
                }
            }
            return deleted;
        } catch (StoreException e) {
            synchronized (this) {
                fail(e);
            }
            return 0;
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** The highest seq assigned, on disk or in the backlog. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** As {@link EventStore#read}, backlog included. */
    public synchronized List<Event> read(long fromSeq, int limit) {
        List<Event> merged = new ArrayList<>(fromDisk(s -> s.read(fromSeq, limit), List.of()));
        merged.addAll(backlog.tailMap(fromSeq, true).values());
        return firstN(merged, Comparator.comparingLong(Event::seq), limit);
    }

    /** As {@link EventStore#readRange}, backlog included. */
    public synchronized List<Event> readRange(Instant from, Instant to, int limit) {
        List<Event> merged = new ArrayList<>(fromDisk(s -> s.readRange(from, to, limit), List.of()));
        for (Event event : backlog.values()) {
            if (!event.at().isBefore(from) && event.at().isBefore(to)) {
                merged.add(event);
            }
        }
        return firstN(merged, Comparator.comparing(Event::at).thenComparingLong(Event::seq), limit);
    }

    /** As {@link EventStore#latest(EventType)}, backlog included. */
    public synchronized Optional<Event> latest(EventType type) {
        List<Event> latest = latest(type, 1);
        return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0));
    }

    /** As {@link EventStore#latest(EventType, int)}, backlog included: newest first. */
    public synchronized List<Event> latest(EventType type, int n) {
        Objects.requireNonNull(type, "type");
        List<Event> merged = new ArrayList<>(fromDisk(s -> s.latest(type, n), List.of()));
        int fromBacklog = 0;
        for (Event event : backlog.descendingMap().values()) {
            if (fromBacklog == n) {
                break;
            }
            if (event.type() == type) {
                merged.add(event);
                fromBacklog++;
            }
        }
        return firstN(merged, Comparator.comparingLong(Event::seq).reversed(), n);
    }

    /** As {@link EventStore#since}, backlog included. */
    public synchronized List<Event> since(Instant from, Set<EventType> types) {
        List<Event> merged = new ArrayList<>(fromDisk(s -> s.since(from, types), List.of()));
        for (Event event : backlog.values()) {
            if (types.contains(event.type()) && !event.at().isBefore(from)) {
                merged.add(event);
            }
        }
        merged.sort(Comparator.comparingLong(Event::seq));
        return merged;
    }

    /** Events on disk plus those in the backlog. */
    public synchronized long count() {
        return fromDisk(EventStore::count, 0L) + backlog.size();
    }

    /** Bytes of the database file and its WAL (0 if there is none). */
    public long sizeBytes() {
        return EventStore.sizeOf(file) + EventStore.sizeOf(EventStore.walOf(file));
    }

    // ------------------------------------------------------------------------------------------------ health

    /**
     * Why events are not reaching the disk, for the health report; empty once everything is on disk again. The
     * message names the file and what to do ("cannot append to ...: disk full (SQLITE_FULL); free space ...").
     */
    public synchronized Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Events waiting in memory for the disk. */
    public synchronized int backlogSize() {
        return backlog.size();
    }

    /** Readings dropped because the backlog was full, since start. */
    public synchronized long droppedReadings() {
        return droppedReadings;
    }

    /** Answers to rejected commands dropped because the backlog was full, since start. */
    public synchronized long droppedRejections() {
        return droppedRejections;
    }

    /**
     * What may go when the backlog is full: readings, which the next ones replace, and the answers to rejected
     * commands, which changed nothing (the sender may simply ask again; the link still remembers and repeats the
     * answer). Without the latter, a flood of broken commands while the disk fails grows the backlog, and the heap,
     * without bound: every one with a readable id is answered.
     */
    private static boolean droppable(Event event) {
        return event.type().isReading() || (event instanceof CommandResult && !((CommandResult) event).accepted());
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The open store, for tests in this package; null while the file cannot be opened. */
    synchronized EventStore store() {
        return store;
    }

    /** Writes what it can and closes; events still in the backlog are lost, and logged as such. */
    @Override
    public synchronized void close() {
        if (!backlog.isEmpty() || !pendingMeta.isEmpty()) {
            prepareDisk();
        }
        if (!backlog.isEmpty()) {
            LOG.error("closing {} with {} events that never reached the disk (seq {}..{}); they are lost: {}", file,
                    backlog.size(), backlog.firstKey(), backlog.lastKey(), lastError);
        }
        closeStore();
    }

    /** A read from the disk; a failing disk gives {@code fallback} (and lastError), never an exception. */
    private <T> T fromDisk(Function<EventStore, T> read, T fallback) {
        if (store == null) {
            return fallback;
        }
        try {
            return read.apply(store);
        } catch (StoreException e) {
            failRead(e);
            return fallback;
        }
    }

    private static List<Event> firstN(List<Event> events, Comparator<Event> order, int n) {
        events.sort(order);
        return events.size() <= n ? events : new ArrayList<>(events.subList(0, n));
    }
}
