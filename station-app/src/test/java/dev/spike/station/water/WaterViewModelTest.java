package dev.spike.station.water;

import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.command.RefillCommand;
import dev.spike.model.event.Event;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.topic.Topic;
import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.FakeGateway;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaterViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private SelectedAgent selected;
    private WaterViewModel vm;
    private long seq = 100;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new WaterViewModel(selected, station.feed, station.gateway, TestStation.UI);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void agentSays(Event event) {
        station.gateway.receive(Topic.event(AGENT, event.type()), event);
    }

    /** An event as it arrived live when it happened, so the agent's clock reads right; the station is at T0 after. */
    private void agentSaidThen(Event event) {
        station.clock.set(event.at());
        agentSays(event);
        station.clock.set(T0);
    }

    private void state(AgentState state) {
        station.gateway.receive(Topic.state(AGENT), state);
    }

    private SprayEffect effect(Duration before, double rise) {
        Duration after = before.minusMinutes(10);
        return new SprayEffect(AGENT, ++seq, T0.minus(after), T0.minus(before), 72, rise, 12, 380.0);
    }

    @Test
    void showsTheTankItsDaysLeftAndALowTank() {
        state(TestEvents.state(T0, seq).build().withTank(3.52, 5.0, 11.8));
        selected.select(AGENT);

        assertThat(vm.hasTankProperty().get()).isTrue();
        assertThat(vm.levelProperty().get()).isEqualTo(0.704, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(vm.tankTextProperty().get()).isEqualTo("3.52 L of 5.00 L (70 %)");
        assertThat(vm.daysLeftTextProperty().get()).isEqualTo("about 11.8 days left");
        assertThat(vm.lowProperty().get()).isFalse();

        state(TestEvents.state(T0, seq).alarm(AlarmKind.LOW_WATER).build().withTank(0.9, 5.0, null));

        assertThat(vm.lowProperty().get()).isTrue();
        assertThat(vm.tankTextProperty().get()).isEqualTo("0.90 L of 5.00 L (18 %)");
        assertThat(vm.daysLeftTextProperty().get()).isEqualTo("days left: not known before the first spray");
    }

    @Test
    void anAgentWithoutATankOffersNoRefill() {
        state(TestEvents.state(T0, seq).build());
        selected.select(AGENT);

        assertThat(vm.hasTankProperty().get()).isFalse();
        assertThat(vm.tankTextProperty().get()).startsWith("no tank configured");
        assertThat(vm.canRefillProperty().get()).isFalse();
        assertThat(vm.refill()).isFalse();
        assertThat(station.gateway.sent()).isEmpty();
    }

    @Test
    void aRefillIsSentWithTheSpraysExpiryAndItsAnswerShown() {
        state(TestEvents.state(T0, seq).alarm(AlarmKind.LOW_WATER).build().withTank(0.4, 5.0, 1.0));
        selected.select(AGENT);
        assertThat(vm.confirmationText()).contains("terrarium-1").contains("to the top");

        assertThat(vm.refill()).isTrue();

        List<FakeGateway.Sent> sent = station.gateway.sent();
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.topic()).isEqualTo(Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_REFILL));
            assertThat(s.messageExpiryS()).isEqualTo(30L);
            assertThat(((RefillCommand) s.command()).levelL()).isNull();
        });
        String id = sent.get(0).command().id();
        assertThat(vm.refillTextProperty().get()).isEqualTo("sent, waiting for terrarium-1…");

        agentSays(TestEvents.result(++seq, T0, id, CommandKind.REFILL, true, null));

        assertThat(vm.refillTextProperty().get()).isEqualTo("refilled: the agent counts from a full tank");

        vm.refill();
        String second = station.gateway.sent().get(1).command().id();
        agentSays(TestEvents.result(++seq, T0, second, CommandKind.REFILL, false,
                "expired: pressed at 2026-05-01T17:59:00Z, 60.0 s ago"));
        assertThat(vm.refillTextProperty().get()).startsWith("refused: expired");
    }

    @Test
    void cannotRefillWhileTheAgentIsOffline() {
        state(TestEvents.state(T0, seq).build().withTank(2.0, 5.0, 3.0));
        selected.select(AGENT);
        assertThat(vm.canRefillProperty().get()).isTrue();

        station.gateway.receive(Topic.status(AGENT), TestEvents.offline(T0));

        assertThat(vm.canRefillProperty().get()).isFalse();
    }

    @Test
    void plotsTheRisePerSprayFromTheStoreAndLiveAndComparesTheWeeks() {
        state(TestEvents.state(T0, seq).build().withTank(2.0, 5.0, 3.0));
        agentSaidThen(effect(Duration.ofDays(60), 13)); // older than the plot's 8 weeks
        agentSaidThen(effect(Duration.ofDays(12), 12));
        agentSaidThen(effect(Duration.ofDays(10), 11));
        agentSaidThen(effect(Duration.ofDays(3), 6));

        selected.select(AGENT);

        assertThat(vm.rises()).extracting(WaterViewModel.Rise::risePct).containsExactly(12.0, 11.0, 6.0);
        assertThat(vm.daysAgo(vm.rises().get(2))).isEqualTo(-3.0);
        assertThat(vm.efficacyTextProperty().get())
                .isEqualTo("last 7 days: +6.0 points a spray (1); the 7 days before: +11.5 (2)");

        agentSaidThen(effect(Duration.ofHours(1), 5));

        assertThat(vm.rises()).extracting(WaterViewModel.Rise::risePct).containsExactly(12.0, 11.0, 6.0, 5.0);
        assertThat(vm.efficacyTextProperty().get()).startsWith("last 7 days: +5.5 points a spray (2)");

        state(TestEvents.state(T0, seq).alarm(AlarmKind.CLOGGING).build().withTank(2.0, 5.0, 3.0));
        assertThat(vm.cloggingProperty().get()).isTrue();
    }
}
