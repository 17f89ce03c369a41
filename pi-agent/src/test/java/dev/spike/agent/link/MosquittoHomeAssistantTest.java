package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.ha.HomeAssistantDiscovery;
import dev.spike.agent.ha.HomeAssistantEmulator;
import dev.spike.agent.link.mosquitto.MosquittoBroker;
import dev.spike.agent.testing.LogCapture;
import dev.spike.model.SensorFault;
import dev.spike.model.codec.Codec;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.EventType;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.HomeAssistantTopics;
import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant in the documented broker set-up: Debian's mosquitto with exactly docs/mosquitto/acl, the agent
 * logged in as its agent id, Home Assistant as the user {@code homeassistant.home} of that ACL, with exactly the
 * rights docs/home-assistant.md gives it.
 */
class MosquittoHomeAssistantTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String AGENT = "terrarium-1";
    static final String HOME_ASSISTANT = "homeassistant.home";
    static final Map<String, String> PASSWORDS = Map.of(AGENT, "agent-secret", HOME_ASSISTANT, "ha-secret");

    static MosquittoBroker broker;

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();
    final Codec codec = new Codec();

    @BeforeAll
    static void startBroker() {
        MosquittoBroker.Builder builder = MosquittoBroker.builder()
                .aclFile(Path.of("../docs/mosquitto/acl").toAbsolutePath().normalize());
        PASSWORDS.forEach(builder::user);
        broker = builder.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** The agent as a Pi runs it: its agent id as username, its password, discovery on under {@code prefix}. */
    private AgentRig agent(String prefix) throws ConfigException {
        return agent(prefix, 1);
    }

    private AgentRig agent(String prefix, double timeScale) throws ConfigException {
        LinkConfig link = LinkConfig.resolve(AGENT, new MqttSettings("tcp://127.0.0.1:" + broker.port(), AGENT, null,
                null), Map.of(LinkConfig.PASSWORD_ENV, PASSWORDS.get(AGENT))).withHomeAssistant(true, prefix);
        AgentRig rig = closeLater(new AgentRig(dir, AGENT, link, timeScale, false));
        await().atMost(WAIT).until(() -> rig.link.isConnected());
        return rig;
    }

    /** Home Assistant's MQTT integration, subscribed as it is to its discovery prefix and to the agent's topics. */
    private Mqtt5BlockingClient homeAssistant(Queue<Mqtt5Publish> inbox) {
        Mqtt5BlockingClient client = broker.clientBuilder().identifier("home-assistant").buildBlocking();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, inbox::add);
        client.connectWith().simpleAuth().username(HOME_ASSISTANT)
                .password(PASSWORDS.get(HOME_ASSISTANT).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        closeLater(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        client.subscribeWith().topicFilter(HomeAssistantTopics.PREFIX + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        client.subscribeWith().topicFilter("spike/#").qos(MqttQos.AT_LEAST_ONCE).send();
        return client;
    }

    private static List<String> configTopics(Queue<Mqtt5Publish> inbox) {
        return inbox.stream().map(p -> p.getTopic().toString()).filter(t -> t.endsWith("/config")
                && t.startsWith(HomeAssistantTopics.PREFIX + "/")).collect(Collectors.toList());
    }

    @Test
    void theShippedAclLetsTheAgentAnnounceAndHomeAssistantSeeAndPress() throws Exception {
        try (LogCapture log = new LogCapture(MqttLink.class)) {
            AgentRig rig = agent(HomeAssistantTopics.PREFIX);
            List<String> expected = HomeAssistantDiscovery.configs(AGENT, "test-1.0",
                    rig.onAgentThread(() -> rig.agent.policyState().rules())).stream()
                    .map(HomeAssistantDiscovery.Config::topic).collect(Collectors.toList());
            Queue<Mqtt5Publish> inbox = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient homeAssistant = homeAssistant(inbox);

            // retained: Home Assistant, connecting after the agent, gets every config at once
            await().atMost(WAIT).untilAsserted(() -> assertThat(configTopics(inbox))
                    .containsExactlyInAnyOrderElementsOf(expected));
            assertThat(inbox).filteredOn(p -> p.getTopic().toString().endsWith("/config")
                    && p.getTopic().toString().startsWith("homeassistant/")).allMatch(Mqtt5Publish::isRetain);

            // Home Assistant's birth message: QoS 0, not retained; the agent announces again
            inbox.clear();
            homeAssistant.publishWith().topic(HomeAssistantTopics.STATUS).qos(MqttQos.AT_MOST_ONCE).retain(false)
                    .payload("online".getBytes(StandardCharsets.UTF_8)).send();
            await().atMost(WAIT).untilAsserted(() -> assertThat(configTopics(inbox))
                    .containsExactlyInAnyOrderElementsOf(expected));

            // a press of the button, as Home Assistant renders and sends it
            String pressId = "ha-" + System.currentTimeMillis();
            homeAssistant.publishWith().topic(Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_SPRAY).toString())
                    .qos(MqttQos.AT_MOST_ONCE).payload(("{\"id\":\"" + pressId + "\",\"durationS\":1}")
                            .getBytes(StandardCharsets.UTF_8)).send();
            await().atMost(WAIT).until(() -> rig.storedEvents().stream().anyMatch(e -> e instanceof ValveOpened
                    && pressId.equals(((ValveOpened) e).commandId())));
            // and Home Assistant reads the answer (its "Last command" sensor)
            await().atMost(WAIT).until(() -> inbox.stream().anyMatch(p -> p.getTopic().toString()
                    .equals(Topic.event(AGENT, EventType.COMMAND_RESULT).toString())
                    && ((CommandResult) codec.decode(p.getTopic().toString(), p.getPayloadAsBytes()).value())
                            .commandId().equals(pressId)));

            // a number: cmd/rules from the Home Assistant user
            homeAssistant.publishWith().topic(Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_RULES).toString())
                    .qos(MqttQos.AT_LEAST_ONCE).payload("{\"id\":\"ha-rules-1\",\"rules\":{\"lowHumidityPct\":71}}"
                            .getBytes(StandardCharsets.UTF_8)).send();
            await().atMost(WAIT).until(() -> rig.onAgentThread(() -> rig.agent.policyState().rules())
                    .lowHumidityPct() == 71);

            assertThat(broker.log()).doesNotContain("Denied PUBLISH");
            assertThat(log.messages(Level.WARN)).noneMatch(line -> line.contains("refused"));
        }
    }

    @Test
    void aDeniedDiscoveryIsLoggedAsAnAclDenialNamingTheTopic() throws Exception {
        try (LogCapture log = new LogCapture(MqttLink.class)) {
            // the shipped ACL grants the default prefix only
            agent("elsewhere");

            String topic = "elsewhere/sensor/spike_terrarium-1/humidity/config";
            await().atMost(WAIT).untilAsserted(() -> assertThat(log.messages(Level.WARN)).contains(
                    "Home Assistant discovery: broker refused publish to " + topic
                            + ": not authorized; check the ACL (docs/mosquitto/acl)"));
            assertThat(broker.log()).contains("Denied PUBLISH").contains("'" + topic + "'");
        }
    }

    @Test
    void homeAssistantSendsOnlyWhatItsEntitiesSendAndAnAgentAnnouncesOnlyItself() {
        Mqtt5BlockingClient homeAssistant = homeAssistant(new ConcurrentLinkedQueue<>());
        for (String topic : List.of("spike/terrarium-1/cmd/config", "spike/terrarium-1/cmd/history",
                "spike/terrarium-1/sim/set", "spike/terrarium-1/state")) {
            assertThatThrownBy(() -> homeAssistant.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {'{', '}'}).send()).as(topic).isInstanceOf(Mqtt5PubAckException.class);
        }
        Mqtt5BlockingClient agent = broker.clientBuilder().identifier("agent-probe").buildBlocking();
        agent.connectWith().simpleAuth().username(AGENT).password(PASSWORDS.get(AGENT).getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
        closeLater(agent::disconnect);
        for (String topic : List.of("homeassistant/sensor/spike_terrarium-2/humidity/config",
                "homeassistant/status", "homeassistant/sensor/other/humidity/config")) {
            assertThatThrownBy(() -> agent.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {'{', '}'}).send()).as(topic).isInstanceOf(Mqtt5PubAckException.class);
        }
    }

    @Test
    void homeAssistantShowsTheLiveAgentAsItIsNormalSensorDownRefusedAndOffline() throws Exception {
        // x10, so three failed reads (sensor down) take 3 s; no timed press ids here, they would look old at x10
        AgentRig rig = agent(HomeAssistantTopics.PREFIX, 10);
        HomeAssistantEmulator ha = new HomeAssistantEmulator(HomeAssistantTopics.PREFIX);
        Mqtt5BlockingClient homeAssistant = broker.clientBuilder().identifier("home-assistant-view").buildBlocking();
        homeAssistant.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                p -> ha.receive(p.getTopic().toString(), p.getPayloadAsBytes()));
        homeAssistant.connectWith().simpleAuth().username(HOME_ASSISTANT)
                .password(PASSWORDS.get(HOME_ASSISTANT).getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        closeLater(homeAssistant::disconnect);
        // discovery first, as Home Assistant subscribes, then the state topics its entities subscribe to
        homeAssistant.subscribeWith().topicFilter(HomeAssistantTopics.PREFIX + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
        await().atMost(WAIT).until(() -> ha.states().size() == 25);
        homeAssistant.subscribeWith().topicFilter("spike/" + AGENT + "/#").qos(MqttQos.AT_LEAST_ONCE).send();

        // normal: the simulated terrarium's humidity, a number
        await().atMost(WAIT).until(() -> ha.state("humidity").matches("\\d+(\\.\\d+)?"));
        assertThat(ha.states()).containsEntry("mode", "normal").containsEntry("sensor", "off")
                .containsEntry("valve", "off").containsEntry("alarm_low", "off").containsEntry("spray", "available")
                .containsEntry("spray_duration", "6").containsEntry("spray_threshold", "75");
        assertThat(ha.state("temperature")).matches("\\d+(\\.\\d+)?");

        // sensor down: the state keeps the last valid reading, Home Assistant shows it as unknown
        rig.simulation.setSensorFault(SensorFault.ABSENT);
        await().atMost(WAIT).until(() -> ha.state("sensor").equals("on"));
        assertThat(ha.states()).containsEntry("humidity", HomeAssistantEmulator.UNKNOWN)
                .containsEntry("temperature", HomeAssistantEmulator.UNKNOWN).containsEntry("mode", "sensor_down");

        // a refused press says why
        homeAssistant.publishWith().topic(Topic.of(AGENT, dev.spike.model.topic.TopicKind.CMD_SPRAY).toString())
                .qos(MqttQos.AT_MOST_ONCE).payload("{\"id\":\"ha-press-45\",\"durationS\":45}"
                        .getBytes(StandardCharsets.UTF_8)).send();
        await().atMost(WAIT).until(() -> ha.state("last_command").startsWith("spray ha-press-45"));
        assertThat(ha.state("last_command")).isEqualTo("spray ha-press-45: refused: durationS must be 1..30, was 45");

        // the agent stops: its offline status, as its will would say, makes every entity unavailable
        open.remove(rig);
        rig.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ha.states()).allSatisfy((id, state) ->
                assertThat(state).as(id).isEqualTo(HomeAssistantEmulator.UNAVAILABLE)));
        assertThat(ha.errors()).isEmpty();
    }
}
