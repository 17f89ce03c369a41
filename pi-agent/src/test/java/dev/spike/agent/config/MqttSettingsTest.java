package dev.spike.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.InvalidFieldException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MqttSettingsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tcp://localhost:1883,   localhost,      1883, false",
        "tcp://10.0.0.5,         10.0.0.5,       1883, false",
        "ssl://broker.example,   broker.example, 8883, true",
        "ssl://broker.example:9, broker.example, 9,    true",
        "TCP://[::1]:1884,       ::1,            1884, false",
    })
    void readsTheBrokerAddress(String broker, String host, int port, boolean tls) {
        MqttSettings.Endpoint endpoint = MqttSettings.NONE.withBroker(broker).endpoint();

        assertThat(endpoint).isEqualTo(new MqttSettings.Endpoint(host, port, tls));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost:1883", "http://localhost:1883", "tcp://", "tcp://host:99999",
        "tcp://user@host:1883", "tcp://host:1883/path", "tcp://host:abc", "mqtt://host"})
    void refusesAnythingButTcpOrSslHostAndPort(String broker) {
        assertThatThrownBy(() -> MqttSettings.NONE.withBroker(broker))
                .isInstanceOf(InvalidFieldException.class)
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("mqtt.broker"));
    }

    @Test
    void aCaFileNeedsTls() {
        assertThatThrownBy(() -> new MqttSettings("tcp://localhost", null, null, Path.of("ca.crt")))
                .hasMessage("mqtt.caFile needs an ssl:// broker, the broker is tcp://localhost");
    }

    @Test
    void withoutABrokerThereIsNoLink() {
        assertThat(MqttSettings.NONE.enabled()).isFalse();
        assertThat(MqttSettings.NONE.withBroker("tcp://h").enabled()).isTrue();
    }
}
