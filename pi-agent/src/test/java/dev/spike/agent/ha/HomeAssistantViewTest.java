package dev.spike.agent.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Health;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Home Assistant shows for the agent's real payloads (encoded by the protocol's codec), every template rendered
 * with Jinja as Home Assistant would: normal, sensor down, agent offline, an alarm raised and cleared, a refused
 * press. {@code MosquittoHomeAssistantTest} does the same with a live agent through the shipped ACL.
 */
class HomeAssistantViewTest {

    static final String AGENT = "terrarium-1";
    static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");

    final Codec codec = new Codec();
    final Rules rules = Rules.defaults(ZoneOffset.UTC);
    final HomeAssistantEmulator ha = new HomeAssistantEmulator("homeassistant");

    @BeforeEach
    void discover() {
        HomeAssistantDiscovery.configs(AGENT, "0.1.0", rules).forEach(c -> ha.receive(c.topic(), c.payload()));
    }

    private void send(Topic topic, Object message) {
        ha.receive(topic.toString(), codec.encode(message));
    }

    private void online() {
        send(Topic.status(AGENT), new Status(true, T0, "0.1.0", false));
        send(Topic.config(AGENT), new ConfigSnapshot(T0, rules));
        send(Topic.health(AGENT), new Health(T0, "0.1.0", 86_400, 48.3, 0.12, 4_026_531_840L, 3_221_225_472L,
                25_769_803_776L, 21_000_000L, 67_108_864L, 1_310_720L, 3, null));
    }

    static AgentState state(Mode mode, List<AlarmKind> alarms) {
        return new AgentState(T0.plusSeconds(16), 6, 86.1, 27.4, T0.plusSeconds(10), false, null, mode,
                T0.plusSeconds(10), SprayReason.LOW_HUMIDITY, T0.plusSeconds(610), T0.plusSeconds(7200),
                SprayReason.EVENING, alarms);
    }

    @Test
    void beforeAnyMessageEveryEntityIsUnavailable() {
        assertThat(ha.states()).hasSize(25).allSatisfy((id, state) ->
                assertThat(state).as(id).isEqualTo(HomeAssistantEmulator.UNAVAILABLE));
    }

    @Test
    void normalShowsTheReadingsTheValveTheTimesAndTheHealth() {
        online();
        send(Topic.state(AGENT), state(Mode.NORMAL, List.of()));

        Map<String, String> states = ha.states();
        assertThat(states).containsEntry("humidity", "86.1").containsEntry("temperature", "27.4")
                .containsEntry("mode", "normal").containsEntry("sensor", "off").containsEntry("valve", "off")
                .containsEntry("alarm_low", "off").containsEntry("alarm_high", "off")
                .containsEntry("alarm_no_effect", "off").containsEntry("alarm_runaway", "off")
                .containsEntry("last_spray", "2026-05-01T18:00:10Z")
                .containsEntry("last_spray_reason", "low_humidity")
                .containsEntry("next_spray", "2026-05-01T20:00:00Z")
                .containsEntry("cooldown_end", "2026-05-01T18:10:10Z")
                .containsEntry("spray_threshold", "75").containsEntry("spray_duration", "6")
                .containsEntry("spray", "available").containsEntry("last_command", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("cpu_temperature", "48.3").containsEntry("queued_events", "3")
                .containsEntry("uptime", "86400").containsEntry("store", "off").containsEntry("store_error", "none");
        assertThat(Double.parseDouble(states.get("disk_free"))).isEqualTo(24576.0);
        assertThat(ha.errors()).isEmpty();
    }

    @Test
    void sensorDownMakesTheReadingsUnknownNeverTheLastGoodValue() {
        online();
        send(Topic.state(AGENT), state(Mode.NORMAL, List.of()));
        // the state keeps the last valid reading while the sensor is down
        send(Topic.state(AGENT), state(Mode.SENSOR_DOWN, List.of()));

        Map<String, String> states = ha.states();
        assertThat(states).containsEntry("humidity", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("temperature", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("sensor", "on").containsEntry("mode", "sensor_down");
        assertThat(ha.errors()).isEmpty();
    }

    @Test
    void noReadingYetIsUnknown() {
        online();
        send(Topic.state(AGENT), new AgentState(T0, 0, null, null, null, false, null, Mode.NORMAL, null, null, null,
                null, null, List.of()));

        assertThat(ha.states()).containsEntry("humidity", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("temperature", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("last_spray", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("last_spray_reason", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("cooldown_end", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("next_spray", HomeAssistantEmulator.UNKNOWN);
        assertThat(ha.errors()).isEmpty();
    }

    @Test
    void theAgentsWillMakesEverythingUnavailable() {
        online();
        send(Topic.state(AGENT), state(Mode.NORMAL, List.of()));
        // the offline status the agent registers as its will, and publishes itself when it stops
        send(Topic.status(AGENT), new Status(false, T0.plusSeconds(60), "0.1.0", false));

        assertThat(ha.states()).allSatisfy((id, state) ->
                assertThat(state).as(id).isEqualTo(HomeAssistantEmulator.UNAVAILABLE));
    }

    @Test
    void anAlarmIsShownWhileRaisedAndGoneWhenCleared() {
        online();
        send(Topic.state(AGENT), state(Mode.NORMAL, List.of(AlarmKind.LOW, AlarmKind.RUNAWAY)));

        assertThat(ha.states()).containsEntry("alarm_low", "on").containsEntry("alarm_runaway", "on")
                .containsEntry("alarm_high", "off").containsEntry("alarm_no_effect", "off");

        send(Topic.state(AGENT), state(Mode.NORMAL, List.of(AlarmKind.RUNAWAY)));
        assertThat(ha.states()).containsEntry("alarm_low", "off").containsEntry("alarm_runaway", "on");
        send(Topic.state(AGENT), state(Mode.NORMAL, List.of()));
        assertThat(ha.states()).containsEntry("alarm_runaway", "off");
        assertThat(ha.errors()).isEmpty();
    }

    @Test
    void aRefusedPressSaysWhy() {
        online();
        send(Topic.event(AGENT, EventType.COMMAND_RESULT), new CommandResult(AGENT, 13, T0, "ha-1777658400000",
                CommandKind.SPRAY, false, "valve already open"));

        assertThat(ha.state("last_command")).isEqualTo("spray ha-1777658400000: refused: valve already open");

        send(Topic.event(AGENT, EventType.COMMAND_RESULT), new CommandResult(AGENT, 14, T0, "ha-1777658460000",
                CommandKind.SPRAY, true, null));
        assertThat(ha.state("last_command")).isEqualTo("spray ha-1777658460000: accepted");
    }

    @Test
    void aLongStoreErrorFitsHomeAssistantsStateLength() {
        online();
        send(Topic.health(AGENT), new Health(T0, "0.1.0", 60, null, 0.1, 1, 1, 1, 1, 1, 1, 0, "disk full: "
                + "x".repeat(480)));

        assertThat(ha.state("store")).isEqualTo("on");
        assertThat(ha.state("store_error")).startsWith("disk full: ").hasSizeLessThanOrEqualTo(255);
        assertThat(ha.state("cpu_temperature")).isEqualTo(HomeAssistantEmulator.UNKNOWN);
        assertThat(ha.errors()).isEmpty();
    }

    @Test
    void withdrawnConfigsRemoveTheEntities() {
        HomeAssistantDiscovery.configs(AGENT, "0.1.0", rules)
                .forEach(c -> ha.receive(c.topic(), new byte[0]));

        assertThat(ha.states()).isEmpty();
    }
}
