package dev.spike.agent.valve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spike.agent.time.VirtualScheduler;
import dev.spike.model.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValveTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private final VirtualScheduler scheduler = new VirtualScheduler(T0);
    private final FakeValve relay = new FakeValve(scheduler);
    private final List<String> events = new ArrayList<>();
    private final Valve.Listener listener = new Valve.Listener() {
        @Override
        public void opened(Instant at, Duration planned) {
            events.add("opened +" + sinceStart(at) + " planned " + planned.toMillis());
        }

        @Override
        public void closed(Instant at, long openMs) {
            events.add("closed +" + sinceStart(at) + " openMs " + openMs);
        }

        @Override
        public void refused(Instant at, Duration requested, String reason) {
            events.add("refused +" + sinceStart(at) + ": " + reason);
        }

        @Override
        public void failed(Instant at, String reason) {
            events.add("failed +" + sinceStart(at) + ": " + reason);
        }
    };
    private Valve valve = new Valve(relay, scheduler, listener);

    @Test
    void closesARelayLeftOpenBeforeAnythingElse() {
        FakeValve leftOpen = new FakeValve(scheduler, true);

        new Valve(leftOpen, scheduler, listener);

        assertThat(leftOpen.isOpen()).isFalse();
        assertThat(leftOpen.transitions()).containsExactly(new FakeValve.Transition(T0, false));
    }

    @Test
    void refusesToExistIfTheRelayCannotBeClosed() {
        FakeValve broken = new FakeValve(scheduler, true);
        broken.failWhenClosing(true);

        assertThatThrownBy(() -> new Valve(broken, scheduler, listener))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot close the valve at start-up: simulated relay failure");
    }

    @Test
    void opensForExactlyTheRequestedDuration() {
        Valve.Outcome outcome = valve.open(Duration.ofMillis(6_250));

        assertThat(outcome).isEqualTo(new Valve.Outcome.Opened(T0, T0.plusMillis(6_250)));
        assertThat(valve.isOpen()).isTrue();
        assertThat(valve.closesAt()).contains(T0.plusMillis(6_250));

        scheduler.advance(Duration.ofMillis(6_249));
        assertThat(relay.isOpen()).isTrue();
        scheduler.advance(Duration.ofMillis(1));

        assertThat(relay.isOpen()).isFalse();
        assertThat(valve.isOpen()).isFalse();
        assertThat(valve.closesAt()).isEmpty();
        assertThat(relay.openDurations()).containsExactly(Duration.ofMillis(6_250));
        assertThat(events).containsExactly("opened +0 planned 6250", "closed +6250 openMs 6250");
    }

    @Test
    void refusesWhileOpen() {
        valve.open(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(2));

        Valve.Outcome outcome = valve.open(Duration.ofSeconds(5));

        assertThat(outcome).isEqualTo(new Valve.Outcome.Refused("valve already open"));
        assertThat(events).contains("refused +2000: valve already open");
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(relay.openDurations()).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void refusesDurationsAboveTheHardMaximum() {
        Valve.Outcome outcome = valve.open(Duration.ofSeconds(45));

        assertThat(outcome).isEqualTo(new Valve.Outcome.Refused("durationS must be 1..30, was 45"));
        assertThat(relay.transitions()).isEmpty();
    }

    @Test
    void refusesDurationsBelowOneSecond() {
        assertThat(valve.open(Duration.ofMillis(500)))
                .isEqualTo(new Valve.Outcome.Refused("durationS must be 1..30, was 0.5"));
    }

    @Test
    void hardMaximumNeverExceedsSixtySeconds() {
        assertThatThrownBy(() -> valve.setMaxSprayS(90))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("maxSprayS must be 1..60, was 90");
        assertThatThrownBy(() -> new Valve(relay, scheduler, listener, 61, 120))
                .isInstanceOf(InvalidFieldException.class);

        valve.setMaxSprayS(60);
        assertThat(valve.open(Duration.ofSeconds(61))).isInstanceOf(Valve.Outcome.Refused.class);
    }

    @Test
    void loweringTheMaximumCutsARunningSprayShort() {
        valve.open(Duration.ofSeconds(30));
        scheduler.advance(Duration.ofSeconds(5));

        valve.setMaxSprayS(10);
        assertThat(valve.closesAt()).contains(T0.plusSeconds(10));
        scheduler.advance(Duration.ofSeconds(60));

        assertThat(relay.openDurations()).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void loweringTheMaximumBelowTheTimeAlreadyOpenClosesAtOnce() {
        valve.open(Duration.ofSeconds(30));
        scheduler.advance(Duration.ofSeconds(20));

        valve.setMaxSprayS(10);
        scheduler.runDue();

        assertThat(relay.openDurations()).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void runawayGuardRefusesPastTheBudgetAndRecoversWhenTheHourRolls() {
        for (int i = 0; i < 4; i++) {
            assertThat(valve.open(Duration.ofSeconds(30))).isInstanceOf(Valve.Outcome.Opened.class);
            scheduler.advance(Duration.ofMinutes(5));
        }
        assertThat(valve.openSecondsInLastHour()).isEqualTo(120);

        Valve.Outcome refused = valve.open(Duration.ofSeconds(1));

        assertThat(refused).isEqualTo(new Valve.Outcome.Refused(
                "runaway guard: 120 s open in the last hour; 1 s more would exceed the budget of 120 s"));
        assertThat(relay.openDurations()).hasSize(4);

        // The first spray (T0..T0+30 s) leaves the window an hour later, second by second.
        scheduler.runUntil(T0.plus(Duration.ofHours(1)).plusSeconds(10));
        assertThat(valve.openSecondsInLastHour()).isEqualTo(110);
        assertThat(valve.open(Duration.ofSeconds(11))).isInstanceOf(Valve.Outcome.Refused.class);
        assertThat(valve.open(Duration.ofSeconds(10))).isInstanceOf(Valve.Outcome.Opened.class);
    }

    @Test
    void budgetCountsTheSprayInProgress() {
        valve.setHourlyBudgetS(40);
        valve.open(Duration.ofSeconds(30));
        scheduler.advance(Duration.ofSeconds(12));

        assertThat(valve.openSecondsInLastHour()).isEqualTo(12);
        scheduler.advance(Duration.ofSeconds(60));
        assertThat(valve.open(Duration.ofSeconds(11))).isInstanceOf(Valve.Outcome.Refused.class);
        assertThat(valve.open(Duration.ofSeconds(10))).isInstanceOf(Valve.Outcome.Opened.class);
    }

    @Test
    void restoredHistoryCountsTowardTheBudget() {
        valve.restoreHistory(List.of(
                new Valve.Opening(T0.minus(Duration.ofMinutes(30)), 60_000),
                new Valve.Opening(T0.minus(Duration.ofMinutes(10)), 50_000),
                new Valve.Opening(T0.minus(Duration.ofHours(2)), 60_000)));

        assertThat(valve.openSecondsInLastHour()).isEqualTo(110);
        assertThat(valve.open(Duration.ofSeconds(11))).isInstanceOf(Valve.Outcome.Refused.class);
        assertThat(valve.open(Duration.ofSeconds(10))).isInstanceOf(Valve.Outcome.Opened.class);
    }

    @Test
    void closeNowClosesAndReportsTheMeasuredOpenTime() {
        valve.open(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofMillis(3_500));

        valve.closeNow();
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(relay.openDurations()).containsExactly(Duration.ofMillis(3_500));
        assertThat(events).containsExactly("opened +0 planned 10000", "closed +3500 openMs 3500");
        assertThat(valve.openSecondsInLastHour()).isCloseTo(3.5, within(1e-9));
    }

    @Test
    void closeNowOnAClosedValveStillDrivesTheRelayOff() {
        relay.set(true); // as if something else had switched it

        valve.closeNow();

        assertThat(relay.isOpen()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void outputFailureOnOpeningLeavesTheValveClosed() {
        relay.failWhenOpening(true);

        Valve.Outcome outcome = valve.open(Duration.ofSeconds(5));

        assertThat(outcome).isInstanceOf(Valve.Outcome.Failed.class);
        assertThat(((Valve.Outcome.Failed) outcome).reason())
                .isEqualTo("valve output failed to open: simulated relay failure while opening; the valve is closed");
        assertThat(valve.isOpen()).isFalse();
        assertThat(relay.isOpen()).isFalse();
        assertThat(events).singleElement().asString().startsWith("failed +0: valve output failed to open");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aRelayThatWillNotCloseIsRetriedEverySecondAndReportedOnce() {
        valve.open(Duration.ofSeconds(5));
        relay.failWhenClosing(true);
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(valve.isOpen()).isTrue();
        scheduler.advance(Duration.ofSeconds(3));
        relay.failWhenClosing(false);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(valve.isOpen()).isFalse();
        assertThat(relay.openDurations()).containsExactly(Duration.ofSeconds(9));
        assertThat(events).hasSize(3);
        assertThat(events.get(1)).startsWith("failed +5000: valve output failed to close");
        assertThat(events.get(2)).isEqualTo("closed +9000 openMs 9000");
    }

    @Test
    void aRelayThatFailsBothWaysIsTreatedAsOpenUntilItCloses() {
        relay.failWhenOpening(true);
        relay.failWhenClosing(true);

        Valve.Outcome outcome = valve.open(Duration.ofSeconds(5));

        assertThat(((Valve.Outcome.Failed) outcome).reason()).contains("closing it failed too");
        assertThat(valve.isOpen()).isTrue();
        relay.failWhenClosing(false);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(valve.isOpen()).isFalse();
    }

    @Test
    void anErrorWhileClosingIsRetriedLikeAnyOtherFailure() {
        ThrowingOutput output = new ThrowingOutput(relay);
        Valve valve = new Valve(output, scheduler, listener);
        valve.open(Duration.ofSeconds(5));
        output.throwOnNextClose(new OutOfMemoryError("simulated: Java heap space"));

        runLikeTheAgentThread(T0.plusSeconds(5));
        assertThat(relay.isOpen()).isTrue();
        runLikeTheAgentThread(T0.plusSeconds(6));

        assertThat(relay.isOpen()).isFalse();
        assertThat(valve.isOpen()).isFalse();
        assertThat(events.get(1)).startsWith("failed +5000: valve output failed to close: java.lang.OutOfMemoryError");
        assertThat(events.get(2)).isEqualTo("closed +6000 openMs 6000");
    }

    @Test
    void anErrorWhileOpeningLeavesTheValveClosed() {
        ThrowingOutput output = new ThrowingOutput(relay);
        Valve valve = new Valve(output, scheduler, listener);
        output.throwOnNextOpen(new StackOverflowError("simulated"));

        Valve.Outcome outcome = valve.open(Duration.ofSeconds(5));

        assertThat(outcome).isInstanceOf(Valve.Outcome.Failed.class);
        assertThat(valve.isOpen()).isFalse();
        assertThat(relay.isOpen()).isFalse();
    }

    /** As the agent's thread runs tasks: one that throws, even an Error, is logged and the next ones still run. */
    private void runLikeTheAgentThread(Instant end) {
        while (true) {
            try {
                scheduler.runUntil(end);
                return;
            } catch (RuntimeException | Error e) {
                events.add("task threw " + e);
            }
        }
    }

    /** A relay output whose next switch throws what it is given, as a JVM out of memory or stack does. */
    private static final class ThrowingOutput implements ValveOutput {
        private final ValveOutput relay;
        private Error onOpen;
        private Error onClose;

        ThrowingOutput(ValveOutput relay) {
            this.relay = relay;
        }

        void throwOnNextOpen(Error error) {
            onOpen = error;
        }

        void throwOnNextClose(Error error) {
            onClose = error;
        }

        @Override
        public void set(boolean open) {
            Error error = open ? onOpen : onClose;
            if (error != null) {
                onOpen = open ? null : onOpen;
                onClose = open ? onClose : null;
                throw error;
            }
            relay.set(open);
        }

        @Override
        public boolean isOpen() {
            return relay.isOpen();
        }

        @Override
        public void close() {
            relay.close();
        }
    }

    private static long sinceStart(Instant at) {
        return Duration.between(T0, at).toMillis();
    }
}
