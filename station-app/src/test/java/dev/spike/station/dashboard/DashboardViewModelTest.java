package dev.spike.station.dashboard;

import dev.spike.station.agents.SelectedAgent;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AgentState;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.event.Event;
import dev.spike.model.topic.Topic;
import dev.spike.station.log.EventTexts;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private DashboardViewModel vm;
    private SelectedAgent selected;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new DashboardViewModel(selected, new EventTexts(ZoneId.of("UTC")));
        station.gateway.connect();
        selected.select(AGENT);
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void receive(Object message) {
        Topic topic;
        if (message instanceof Event) {
            topic = Topic.event(AGENT, ((Event) message).type());
        } else if (message instanceof Status) {
            topic = Topic.status(AGENT);
        } else if (message instanceof AgentState) {
            topic = Topic.state(AGENT);
        } else if (message instanceof Health) {
            topic = Topic.health(AGENT);
        } else {
            topic = Topic.config(AGENT);
        }
        station.gateway.receive(topic, message);
    }

    /** An online agent with the default rules (reads every 10 s) and a reading taken {@code age} s ago. */
    private void fineAgent(long age) {
        receive(TestEvents.online(T0.minusSeconds(3600)));
        receive(TestEvents.config(T0.minusSeconds(3600), RULES));
        receive(TestEvents.state(T0.minusSeconds(age), 42).reading(74.2, 27.35, T0.minusSeconds(age)).build());
    }

    @Test
    void showsTheCurrentReadingWithItsAge() {
        fineAgent(23);

        assertThat(vm.humidityProperty().get()).isEqualTo(74.2);
        assertThat(vm.humidityTextProperty().get()).isEqualTo("74.2 %");
        assertThat(vm.temperatureTextProperty().get()).isEqualTo("27.4 °C");
        assertThat(vm.readingAgeTextProperty().get()).isEqualTo("23 s ago");
        assertThat(vm.readingStaleProperty().get()).isFalse();
        assertThat(vm.situationProperty().get()).isEqualTo(Situation.ALL_FINE);
        assertThat(vm.situationTextProperty().get()).isEqualTo("All fine");
    }

    @Test
    void aReadingEventNewerThanTheStateWins() {
        fineAgent(20);

        receive(TestEvents.humidity(43, T0.minusSeconds(2), 80.5));

        assertThat(vm.humidityTextProperty().get()).isEqualTo("80.5 %");
        assertThat(vm.readingAgeTextProperty().get()).isEqualTo("2 s ago");
    }

    @Test
    void aReadingGoesStaleAfterThreeReadIntervalsOfTheAgentsRules() {
        receive(TestEvents.online(T0));
        receive(TestEvents.config(T0, RULES.withReadIntervalS(5)));
        receive(TestEvents.state(T0, 42).reading(74.2, 27.3, T0).build());

        station.clock.advanceSeconds(15);
        selected.refresh();
        assertThat(vm.readingStaleProperty().get()).isFalse();

        station.clock.advanceSeconds(1);
        selected.refresh();
        assertThat(vm.readingStaleProperty().get()).isTrue();
        assertThat(vm.situationProperty().get()).isEqualTo(Situation.READING_STALE);
        assertThat(vm.situationTextProperty().get())
                .isEqualTo("No reading from terrarium-1 for 16 s (expected every 5 s)");
    }

    @Test
    void countsDownAnOpenValveAndShowsItClosed() {
        fineAgent(5);
        receive(TestEvents.opened(43, T0, 6, SprayReason.MANUAL, "spray-1"));

        assertThat(vm.valveOpenProperty().get()).isTrue();
        assertThat(vm.valveRemainingSProperty().get()).isEqualTo(6);
        assertThat(vm.valveTextProperty().get()).isEqualTo("open, 6 s left");

        station.clock.advance(Duration.ofMillis(4_500));
        selected.refresh();
        assertThat(vm.valveTextProperty().get()).isEqualTo("open, 2 s left");

        receive(TestEvents.closed(44, T0.plusSeconds(6), 6003));
        assertThat(vm.valveOpenProperty().get()).isFalse();
        assertThat(vm.valveTextProperty().get()).isEqualTo("closed");
        assertThat(vm.valveRemainingSProperty().get()).isZero();
    }

    @Test
    void takesTheOpenValveFromTheRetainedState() {
        receive(TestEvents.online(T0));
        receive(TestEvents.state(T0, 42).valveOpenUntil(T0.plusSeconds(10)).build());

        assertThat(vm.valveTextProperty().get()).isEqualTo("open, 10 s left");
    }

    @Test
    void tellsTheLastAndTheNextSprayAndTheCooldown() {
        receive(TestEvents.online(T0));
        receive(TestEvents.state(T0, 42)
                .lastSpray(T0.minusSeconds(720), SprayReason.LOW_HUMIDITY)
                .cooldownUntil(T0.plusSeconds(480))
                .nextSpray(T0.plusSeconds(2 * 3600), SprayReason.EVENING)
                .build());

        assertThat(vm.lastSprayTextProperty().get()).isEqualTo("17:48 (12 min ago), low humidity");
        assertThat(vm.cooldownTextProperty().get()).isEqualTo("no automatic spray before 18:08 (in 8 min)");
        assertThat(vm.nextSprayTextProperty().get()).isEqualTo("evening spray at 20:00 (in 2 h)");

        receive(TestEvents.opened(43, T0.minusSeconds(60), 10, SprayReason.MANUAL, "spray-1"));
        assertThat(vm.lastSprayTextProperty().get()).isEqualTo("17:59 (1 min ago), manual, 10 s");

        station.clock.advanceSeconds(600);
        selected.refresh();
        assertThat(vm.cooldownTextProperty().get()).isEqualTo("no cooldown");
    }

    @Test
    void showsTheSensorDownModeAsTheSituation() {
        fineAgent(5);
        receive(TestEvents.state(T0, 43).mode(Mode.SENSOR_DOWN).build());

        assertThat(vm.modeProperty().get()).isEqualTo(Mode.SENSOR_DOWN);
        assertThat(vm.modeTextProperty().get()).isEqualTo("sensor down: spraying 6 s every 6 h");
        assertThat(vm.situationProperty().get()).isEqualTo(Situation.SENSOR_DOWN);
        assertThat(vm.situationTextProperty().get())
                .isEqualTo("Sensor down on terrarium-1: sensor down: spraying 6 s every 6 h");
    }

    @Test
    void anOfflineAgentComesBeforeItsSensor() {
        fineAgent(5);
        receive(TestEvents.state(T0, 43).mode(Mode.SENSOR_DOWN).build());
        receive(TestEvents.offline(T0));

        assertThat(vm.situationProperty().get()).isEqualTo(Situation.AGENT_OFFLINE);
        assertThat(vm.onlineProperty().get()).isFalse();

        station.clock.advanceSeconds(120);
        selected.refresh();
        assertThat(vm.situationTextProperty().get()).isEqualTo("terrarium-1 is offline; last seen 18:00 (2 min ago)");
    }

    @Test
    void aDisconnectedStationComesBeforeEverything() {
        fineAgent(5);
        receive(TestEvents.offline(T0));

        station.gateway.dropConnection(2);

        assertThat(vm.situationProperty().get()).isEqualTo(Situation.STATION_DISCONNECTED);
        assertThat(vm.situationTextProperty().get()).isEqualTo("Station reconnecting to tcp://fake:1883 (attempt 2):"
                + " Connection refused; last heard from terrarium-1 just now");

        station.gateway.restoreConnection();
        assertThat(vm.situationProperty().get()).isEqualTo(Situation.AGENT_OFFLINE);
    }

    @Test
    void showsTheAgentsHealth() {
        receive(TestEvents.health(T0.minusSeconds(40)));

        assertThat(vm.cpuTemperatureTextProperty().get()).isEqualTo("48.3 °C");
        assertThat(vm.uptimeTextProperty().get()).isEqualTo("1 d");
        assertThat(vm.diskFreeTextProperty().get()).isEqualTo("25.8 GB free");
        assertThat(vm.heapTextProperty().get()).isEqualTo("21 MB of 67 MB");
        assertThat(vm.healthAgeTextProperty().get()).isEqualTo("updated 40 s ago");
        assertThat(vm.storeErrorTextProperty().get()).isEmpty();
    }

    @Test
    void showsWhatTheStoreKnowsWhenAnAgentIsSelectedAndIgnoresOtherAgents() {
        fineAgent(5);
        selected.select(null);
        assertThat(vm.situationProperty().get()).isEqualTo(Situation.NO_AGENT);
        assertThat(vm.humidityTextProperty().get()).isEqualTo("–");

        selected.select(AGENT);
        assertThat(vm.humidityTextProperty().get()).isEqualTo("74.2 %");
        assertThat(vm.rulesProperty().get()).isEqualTo(RULES);

        station.gateway.receive(Topic.state("terrarium-2"),
                TestEvents.state(T0, 1).reading(40, 20, T0).build());
        assertThat(vm.humidityTextProperty().get()).isEqualTo("74.2 %");
    }

    @Test
    void anAgentWithoutAnyReadingIsStaleFromTheStart() {
        receive(TestEvents.online(T0));
        receive(TestEvents.state(T0, 1).build());

        assertThat(vm.readingAgeTextProperty().get()).isEqualTo("no reading yet");
        assertThat(vm.situationTextProperty().get()).isEqualTo("No reading from terrarium-1 yet");
    }
}
