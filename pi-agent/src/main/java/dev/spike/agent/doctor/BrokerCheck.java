package dev.spike.agent.doctor;

import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.link.BrokerProbe;
import dev.spike.agent.link.LinkConfig;
import java.time.Duration;
import java.util.Map;

/** Check 7: the broker is reachable with the configured credentials and TLS settings. */
final class BrokerCheck {

    static final String NAME = "broker";
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** One connection attempt; {@link BrokerProbe#connectOnce} outside tests. */
    @FunctionalInterface
    interface Probe {
        BrokerProbe.Result connectOnce(LinkConfig config, Duration timeout) throws InterruptedException;
    }

    private BrokerCheck() {
    }

    static Finding run(String agentId, MqttSettings mqtt, Map<String, String> env, Probe probe, Duration timeout)
            throws InterruptedException {
        if (!mqtt.enabled()) {
            return Finding.ok(NAME, "standalone, no broker configured.");
        }
        LinkConfig link;
        try {
            link = LinkConfig.resolve(agentId, mqtt, env);
        } catch (ConfigException e) {
            return Finding.fail(NAME, e.getMessage() + ".", "correct the file, or the mqtt.* settings that name it.");
        }
        return judge(describe(mqtt), probe.connectOnce(link, timeout));
    }

    /** Address, user and TLS trust; not {@link LinkConfig#toString()}, whose client id is the agent's, not ours. */
    static String describe(MqttSettings mqtt) {
        MqttSettings.Endpoint endpoint = mqtt.endpoint();
        return endpoint + (mqtt.username() == null ? " anonymously" : " as user " + mqtt.username())
                + (endpoint.tls() ? (mqtt.caFile() == null ? " (TLS, the JVM's authorities)"
                        : " (TLS trusting " + mqtt.caFile() + ")") : "");
    }

    static Finding judge(String link, BrokerProbe.Result result) {
        switch (result.outcome()) {
            case CONNECTED:
                return Finding.ok(NAME, "connected to " + link + ".");
            case REFUSED:
                boolean credentials = result.detail().equals("NOT_AUTHORIZED")
                        || result.detail().equals("BAD_USER_NAME_OR_PASSWORD");
                return Finding.fail(NAME, "the broker refused " + link + ": " + result.detail() + ".", credentials
                        ? "check mqtt.username and the first line of mqtt.passwordFile against the broker's password"
                                + " file (sudo mosquitto_passwd /etc/mosquitto/spike/passwd USER sets it)."
                        : "see the broker's log (journalctl -u mosquitto) for why.");
            case TLS:
                return Finding.fail(NAME, "the TLS handshake with " + link + " failed: " + result.detail(),
                        "mqtt.caFile must hold the authority that signed the broker's certificate, the certificate"
                                + " must name the host in mqtt.broker, and the port must be the broker's TLS one.");
            default:
                return Finding.fail(NAME, "cannot reach " + link + ": " + result.detail(),
                        "check the host and port in mqtt.broker, that the broker runs (systemctl status"
                                + " mosquitto), and that no firewall blocks the port.");
        }
    }
}
