package dev.spike.model.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.CommandKind;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.event.EventType;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTest {

    @Test
    void everyCommandTopicNamesItsCommandAndNoOtherTopicDoes() {
        assertThat(TopicKind.CMD_SPRAY.commandKind()).isEqualTo(CommandKind.SPRAY);
        assertThat(TopicKind.CMD_CONFIG.commandKind()).isEqualTo(CommandKind.CONFIG);
        assertThat(TopicKind.CMD_HISTORY.commandKind()).isEqualTo(CommandKind.HISTORY);
        assertThat(TopicKind.SIM_SET.commandKind()).isEqualTo(CommandKind.SIM_SET);
        for (TopicKind kind : TopicKind.values()) {
            if (!kind.isCommand()) {
                assertThatThrownBy(kind::commandKind).isInstanceOf(IllegalStateException.class)
                        .hasMessage(kind + " carries no command");
            }
        }
    }

    @Test
    void buildsAndParsesEveryTopicOfTheProtocol() {
        for (TopicKind kind : TopicKind.values()) {
            Topic topic;
            if (kind == TopicKind.EVENT) {
                for (EventType type : EventType.values()) {
                    Topic event = Topic.event("agent-7", type);
                    assertThat(event.toString()).isEqualTo("spike/agent-7/event/" + type.wire());
                    assertThat(Topic.parse(event.toString())).contains(event);
                }
                continue;
            }
            topic = kind == TopicKind.REPLY ? Topic.reply("agent-7", "station-1") : Topic.of("agent-7", kind);
            assertThat(Topic.parse(topic.toString())).as(topic.toString()).contains(topic);
        }
    }

    @Test
    void spellsTopicsAsTheProtocolSays() {
        assertThat(Topic.status("t1")).hasToString("spike/t1/status");
        assertThat(Topic.of("t1", TopicKind.CMD_SPRAY)).hasToString("spike/t1/cmd/spray");
        assertThat(Topic.of("t1", TopicKind.SIM_SET)).hasToString("spike/t1/sim/set");
        assertThat(Topic.reply("t1", "st")).hasToString("spike/t1/reply/st");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "spike", "spike/t1", "spike/t1/", "spike/T1/status", "spike/-t1/status",
        "spike/t1/status/extra", "spike/t1/event/unknown", "spike/t1/event", "spike/t1/cmd/reboot",
        "spike/t1/cmd", "spike/+/status", "spike/#", "other/t1/status", "spike/t1/reply", "spike/t1/reply/BAD",
        "spike/t1/sim/get", "spike/t1/state/", "/spike/t1/status",
        "spike/abcdefghijabcdefghijabcdefghijabc/status"})
    void parsesNothingOutsideTheProtocol(String topic) {
        assertThat(Topic.parse(topic)).isEmpty();
    }

    @Test
    void refusesToBuildTopicsWithBadParts() {
        assertThatThrownBy(() -> Topic.status("Bad Id")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("agentId must match");
        assertThatThrownBy(() -> new Topic("t1", TopicKind.EVENT, null, null))
                .hasMessageContaining("eventType");
    }

    @Test
    void subscriptionFiltersCoverWhatEachSideReads() {
        assertThat(Topic.agentFilters("t1")).containsExactly("spike/t1/cmd/+", "spike/t1/sim/set");
        assertThat(Topic.stationFilters("st")).contains("spike/+/status", "spike/+/event/+", "spike/+/reply/st");
        for (TopicKind kind : EnumSet.allOf(TopicKind.class)) {
            Topic topic = kind == TopicKind.EVENT ? Topic.event("t1", EventType.VALVE_OPENED)
                    : kind == TopicKind.REPLY ? Topic.reply("t1", "st") : Topic.of("t1", kind);
            boolean agentReads = Topic.agentFilters("t1").stream().anyMatch(f -> matches(f, topic.toString()));
            boolean stationReads = Topic.stationFilters("st").stream().anyMatch(f -> matches(f, topic.toString()));
            assertThat(agentReads).as("agent reads %s", topic).isEqualTo(kind.isCommand());
            assertThat(stationReads).as("station reads %s", topic).isEqualTo(!kind.isCommand());
        }
    }

    /** MQTT filter matching, for the single-level wildcard the filters use. */
    private static boolean matches(String filter, String topic) {
        String[] f = filter.split("/");
        String[] t = topic.split("/");
        if (f.length != t.length) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return true;
    }
}
