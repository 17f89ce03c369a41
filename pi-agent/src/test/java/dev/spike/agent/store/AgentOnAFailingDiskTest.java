package dev.spike.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.agent.Agent;
import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.sensor.FakeSht30;
import dev.spike.agent.sensor.MutableEnvironment;
import dev.spike.agent.sensor.Sht30;
import dev.spike.agent.time.VirtualScheduler;
import dev.spike.agent.valve.FakeValve;
import dev.spike.model.Rules;
import dev.spike.model.event.Event;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: the disk under a running agent fills up, or turns read-only, in the middle of the day. The air is
 * dry, so the agent wants a spray every cooldown: it must go on spraying, say what is wrong (the store's error is
 * what the agent's {@code health} carries), and once the disk takes writes again, lose none of the events.
 */
class AgentOnAFailingDiskTest {

    static final Instant MORNING = Instant.parse("2026-06-01T08:00:00Z");
    static final Rules RULES = Rules.defaults(ZoneId.of("Europe/Berlin"));

    @TempDir
    Path dir;

    final ReadOnlyFiles readOnly = new ReadOnlyFiles();
    VirtualScheduler scheduler;
    FakeValve relay;
    ResilientEventStore store;

    @BeforeEach
    void startAgent() {
        scheduler = new VirtualScheduler(MORNING);
        relay = new FakeValve(scheduler);
        // retries paced by agent time here, so that the virtual hour below sees them
        Clock clock = new AgentTime(scheduler, ZoneOffset.UTC);
        store = ResilientEventStore.open(db(), "disk", ResilientEventStore.DEFAULT_BACKLOG_LIMIT,
                ResilientEventStore.DEFAULT_RETRY_INTERVAL, clock);
        AgentConfig config = AgentConfig.defaults().withAgentId("disk").withDataDir(dir).withRules(RULES);
        FakeSht30 sensor = new FakeSht30(scheduler, new MutableEnvironment(60, 25), 5);
        new Agent(config, scheduler, new Sht30(sensor, scheduler), relay, store, "test").start();
        scheduler.runDue();
    }

    @AfterEach
    void closeStore() {
        readOnly.close();
        store.close();
    }

    /** The virtual scheduler's time as a {@link Clock}. */
    private static final class AgentTime extends Clock {
        private final VirtualScheduler scheduler;
        private final ZoneId zone;

        AgentTime(VirtualScheduler scheduler, ZoneId zone) {
            this.scheduler = scheduler;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new AgentTime(scheduler, other);
        }

        @Override
        public Instant instant() {
            return scheduler.now();
        }
    }

    private Path db() {
        return dir.resolve("disk.db");
    }

    private long openings() {
        return relay.transitions().stream().filter(FakeValve.Transition::open).count();
    }

    @Test
    void aFullDiskKeepsTheSpraysComingReportsItAndLosesNoEvent() throws Exception {
        scheduler.advance(Duration.ofMinutes(15));
        assertThat(openings()).isEqualTo(2);

        TestEvents.fillDisk(store.store());
        scheduler.advance(Duration.ofHours(1));

        assertThat(openings()).as("sprays while the disk is full").isEqualTo(8);
        assertThat(store.lastError()).hasValueSatisfying(error -> assertThat(error).contains("disk full"));
        assertThat(store.backlogSize()).isPositive();

        TestEvents.freeDisk(store.store());
        scheduler.advance(Duration.ofMinutes(1)); // the next append after the retry interval writes the backlog

        assertThat(store.lastError()).isEmpty();
        assertThat(store.backlogSize()).isZero();
        assertCompleteOnDisk();
    }

    @Test
    void aReadOnlyDiskKeepsTheSpraysComingReportsItAndLosesNoEvent() throws Exception {
        scheduler.advance(Duration.ofMinutes(15));
        String how = readOnly.makeReadOnly(db(), EventStore.walOf(db()));
        assertThat(how).as("neither chmod nor chattr +i can make a file read-only for this user here").isNotNull();

        scheduler.advance(Duration.ofHours(1));

        assertThat(openings()).as("sprays while the disk is read-only (" + how + ")").isEqualTo(8);
        assertThat(store.lastError()).as("made read-only by " + how).isPresent();
        assertThat(store.backlogSize()).isPositive();

        readOnly.close();
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(store.lastError()).isEmpty();
        assertCompleteOnDisk();
    }

    /** Every event on disk, seqs without a gap, and one valve_opened and valve_closed for each time the relay moved. */
    private void assertCompleteOnDisk() {
        long relayOpenings = openings();
        store.close();
        try (EventStore disk = EventStore.open(db(), "disk")) {
            List<Event> events = disk.read(1, 1_000_000);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).seq()).isEqualTo(i + 1);
            }
            assertThat(events).filteredOn(ValveOpened.class::isInstance).hasSize((int) relayOpenings);
            assertThat(events).filteredOn(ValveClosed.class::isInstance).hasSize((int) relayOpenings);
        }
    }
}
