package dev.spike.agent.link;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One connection attempt with the link's settings, as the agent's link would make it (same address, TLS trust and
 * credentials), then a clean disconnect: what {@code spike-agent doctor} uses to tell a wrong password from a TLS
 * problem from a broker it cannot reach. It connects under its own client id with a clean, non-persistent session,
 * so a running agent keeps its connection and its session.
 */
public final class BrokerProbe {

    /** How the attempt ended. */
    public enum Outcome {
        CONNECTED,
        /** The broker answered with a CONNACK error such as NOT_AUTHORIZED. */
        REFUSED,
        /** The TLS handshake failed: unknown authority, wrong host name, or not TLS at all. */
        TLS,
        /** No connection: nothing listens, the host is unknown, a firewall drops it, or no answer in time. */
        UNREACHABLE
    }

    /**
     * @param detail the CONNACK reason code for REFUSED, else the root cause's message
     */
    public record Result(Outcome outcome, String detail) {
    }

    private BrokerProbe() {
    }

    public static Result connectOnce(LinkConfig config, Duration timeout) throws InterruptedException {
        Mqtt5ClientBuilder builder = MqttClient.builder()
                .useMqttVersion5()
                .identifier("spike-doctor-" + config.agentId())
                .serverHost(config.endpoint().host())
                .serverPort(config.endpoint().port());
        if (config.endpoint().tls()) {
            // as the link: no hostname verifier of our own, so the client checks the name against the certificate
            builder = builder.sslConfig(MqttClientSslConfig.builder()
                    .trustManagerFactory(config.trust())
                    .handshakeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .build());
        }
        Mqtt5AsyncClient client = builder.buildAsync();
        Mqtt5ConnectBuilder connect = Mqtt5Connect.builder().cleanStart(true).sessionExpiryInterval(0);
        Mqtt5SimpleAuth auth = config.simpleAuth();
        if (auth != null) {
            connect = connect.simpleAuth(auth);
        }
        try {
            client.connect(connect.build()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return classify(e.getCause());
        } catch (TimeoutException e) {
            client.disconnect();
            return new Result(Outcome.UNREACHABLE, "no answer within " + timeout.toSeconds() + " s");
        }
        try {
            client.disconnect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // connected is what was asked; a slow goodbye does not change the answer
        }
        return new Result(Outcome.CONNECTED, config.endpoint().toString());
    }

    static Result classify(Throwable error) {
        if (error instanceof Mqtt5ConnAckException) {
            return new Result(Outcome.REFUSED,
                    ((Mqtt5ConnAckException) error).getMqttMessage().getReasonCode().toString());
        }
        boolean tls = false;
        Throwable root = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            tls |= cause instanceof SSLException;
            root = cause;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new Result(tls ? Outcome.TLS : Outcome.UNREACHABLE, message);
    }
}
