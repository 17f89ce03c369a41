package dev.spike.agent.config;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the agent's MQTT link connects, as written in the config file ({@code mqtt.*}) or on the command line. No
 * broker means no link: the agent runs standalone and keeps every event for later. The password is not here: it is
 * read from {@link #passwordFile} or the environment when the link starts, so it never sits in a config dump or a
 * process listing.
 *
 * @param broker       {@code tcp://host:port} or {@code ssl://host:port} (port 1883 or 8883 if left out), or null
 * @param username     the MQTT username, or null for anonymous access
 * @param passwordFile a file whose first line is the password, or null (then {@code SPIKE_MQTT_PASSWORD}, if set)
 * @param caFile       PEM certificates to trust for {@code ssl://} instead of the JVM's default authorities, or null
 */
public record MqttSettings(String broker, String username, Path passwordFile, Path caFile) {

    public static final int DEFAULT_TCP_PORT = 1883;
    public static final int DEFAULT_TLS_PORT = 8883;
    /** MQTT allows 65,535 bytes; nobody needs more than this, and a longer one is a pasted mistake. */
    static final int MAX_USERNAME_LENGTH = 256;

    /** No broker: the agent runs standalone. */
    public static final MqttSettings NONE = new MqttSettings(null, null, null, null);

    public MqttSettings {
        if (broker != null) {
            parse(broker);
            if (caFile != null && !parse(broker).tls()) {
                throw new InvalidFieldException("mqtt.caFile", "needs an ssl:// broker, the broker is " + broker);
            }
        }
        Checks.optionalText("mqtt.username", username, MAX_USERNAME_LENGTH);
    }

    /** Whether there is a broker to connect to. */
    public boolean enabled() {
        return broker != null;
    }

    /** The broker's address; only when {@link #enabled()}. */
    public Endpoint endpoint() {
        if (broker == null) {
            throw new IllegalStateException("no broker configured");
        }
        return parse(broker);
    }

    public MqttSettings withBroker(String value) {
        return new MqttSettings(value, username, passwordFile, caFile);
    }

    public MqttSettings withUsername(String value) {
        return new MqttSettings(broker, value, passwordFile, caFile);
    }

    public MqttSettings withPasswordFile(Path value) {
        return new MqttSettings(broker, username, value, caFile);
    }

    public MqttSettings withCaFile(Path value) {
        return new MqttSettings(broker, username, passwordFile, value);
    }

    /**
     * A broker address taken apart.
     *
     * @param tls whether the connection uses TLS ({@code ssl://})
     */
    public record Endpoint(String host, int port, boolean tls) {

        @Override
        public String toString() {
            return (tls ? "ssl://" : "tcp://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private static Endpoint parse(String broker) {
        String shape = "must be tcp://host:port or ssl://host:port, was \"" + broker + "\"";
        URI uri;
        try {
            uri = new URI(broker.strip());
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("mqtt.broker", shape);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls;
        if (scheme.equals("tcp")) {
            tls = false;
        } else if (scheme.equals("ssl")) {
            tls = true;
        } else {
            throw new InvalidFieldException("mqtt.broker", shape);
        }
        String host = uri.getHost();
        boolean onlyHostAndPort = uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null
                && (uri.getPath() == null || uri.getPath().isEmpty());
        if (host == null || host.isEmpty() || !onlyHostAndPort) {
            throw new InvalidFieldException("mqtt.broker", shape);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? (tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT) : uri.getPort();
        if (port < 1 || port > 65_535) {
            throw new InvalidFieldException("mqtt.broker", "port must be 1..65535, was " + port);
        }
        return new Endpoint(host, port, tls);
    }
}
