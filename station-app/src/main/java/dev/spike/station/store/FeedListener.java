package dev.spike.station.store;

import java.util.List;

/**
 * Told what the {@link StationFeed} stored, one batch at a time, on the feed thread. A ViewModel hands the batch to
 * its UI executor; it must not block the feed thread.
 */
@FunctionalInterface
public interface FeedListener {

    /** @param updates in the order they were stored; never empty */
    void onUpdates(List<FeedUpdate> updates);
}
