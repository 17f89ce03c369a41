package dev.spike.station.store;

import dev.spike.station.connection.FakeGateway;
import dev.spike.station.connection.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * A station without FX and without a broker, for ViewModel and store tests: a real store in a temp directory, the
 * feed on the test thread, a {@link FakeGateway}, a {@link MutableClock} at {@link TestEvents#T0} and a direct UI
 * executor.
 */
public final class TestStation implements AutoCloseable {

    public static final Executor UI = Runnable::run;

    public final Path dir;
    public final MutableClock clock;
    public final StationStore store;
    public final StationFeed feed;
    public final FakeGateway gateway;

    private TestStation(Path dir, MutableClock clock, FakeGateway gateway) {
        this.dir = dir;
        this.clock = clock;
        this.gateway = gateway;
        this.store = StationStore.open(dir.resolve(StationStore.FILE_NAME));
        this.feed = new StationFeed(store, Runnable::run, clock);
        feed.attach(gateway);
    }

    public static TestStation open(Path dir) {
        return new TestStation(dir, new MutableClock(TestEvents.T0), new FakeGateway());
    }

    /** The station after a restart: the same files and time, a new store, feed and gateway. */
    public TestStation restart() {
        close();
        MutableClock next = new MutableClock(clock.instant(), clock.getZone());
        return new TestStation(dir, next, new FakeGateway(gateway.stationId()));
    }

    public Instant now() {
        return clock.instant();
    }

    @Override
    public void close() {
        store.close();
    }
}
