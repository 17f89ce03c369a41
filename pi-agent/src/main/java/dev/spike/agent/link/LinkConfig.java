package dev.spike.agent.link;

import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.MqttSettings;
import dev.spike.agent.config.SecretFile;
import dev.spike.model.Checks;
import dev.spike.model.topic.HomeAssistantTopics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the link needs to reach its broker, resolved and checked before the agent starts: the address, the
 * credentials (the password read from its file or the environment) and the certificate authorities for TLS. A bad
 * value is a {@link ConfigException} naming the flag or key and what to do, so the agent exits 2 instead of
 * retrying a connection that can never work.
 *
 * <p>{@link #toString()} never shows the password.
 */
public final class LinkConfig {

    /** The environment variable the password may come from when there is no password file. */
    public static final String PASSWORD_ENV = "SPIKE_MQTT_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(LinkConfig.class);

    private final String agentId;
    private final MqttSettings.Endpoint endpoint;
    private final String username;
    private final byte[] password;
    private final String passwordSource;
    private final TrustManagerFactory trust;
    private final Path caFile;
    private final boolean homeAssistant;
    private final String homeAssistantPrefix;

    private LinkConfig(String agentId, MqttSettings.Endpoint endpoint, String username, byte[] password,
            String passwordSource, TrustManagerFactory trust, Path caFile, boolean homeAssistant,
            String homeAssistantPrefix) {
        this.agentId = agentId;
        this.endpoint = endpoint;
        this.username = username;
        this.password = password;
        this.passwordSource = passwordSource;
        this.trust = trust;
        this.caFile = caFile;
        this.homeAssistant = homeAssistant;
        this.homeAssistantPrefix = homeAssistantPrefix;
    }

    /**
     * The same link, also publishing Home Assistant MQTT discovery (see {@code HomeAssistantDiscovery}) under the
     * default prefix {@code homeassistant}.
     */
    public LinkConfig withHomeAssistantDiscovery() {
        return withHomeAssistant(true, HomeAssistantTopics.PREFIX);
    }

    /**
     * The same link with Home Assistant discovery on or off under {@code prefix}. Off, the agent withdraws the
     * configs it announced before (it keeps a list of them in its data directory).
     */
    public LinkConfig withHomeAssistant(boolean discovery, String prefix) {
        if (!HomeAssistantTopics.isPrefix(prefix)) {
            HomeAssistantTopics.status(prefix); // throws, naming the bad prefix
        }
        return new LinkConfig(agentId, endpoint, username, password, passwordSource, trust, caFile, discovery,
                prefix);
    }

    /** Whether the agent announces itself to Home Assistant. */
    public boolean homeAssistant() {
        return homeAssistant;
    }

    /** Home Assistant's discovery prefix ({@code homeassistant} unless configured otherwise). */
    public String homeAssistantPrefix() {
        return homeAssistantPrefix;
    }

    /**
     * Reads the password and the CA file of {@code settings}, which must name a broker.
     *
     * @param env the process environment ({@code System.getenv()}), where {@link #PASSWORD_ENV} may be
     */
    public static LinkConfig resolve(String agentId, MqttSettings settings, Map<String, String> env)
            throws ConfigException {
        Checks.agentId("agentId", agentId);
        if (!settings.enabled()) {
            throw new IllegalArgumentException("no broker configured");
        }
        byte[] password = null;
        String source = null;
        if (settings.passwordFile() != null) {
            password = readPassword(settings.passwordFile());
            source = "file " + settings.passwordFile();
        } else {
            String fromEnv = env.get(PASSWORD_ENV);
            if (fromEnv != null && !fromEnv.isEmpty()) {
                password = fromEnv.getBytes(StandardCharsets.UTF_8);
                source = "environment variable " + PASSWORD_ENV;
            }
        }
        TrustManagerFactory trust = settings.caFile() == null ? null : trustOnly(settings.caFile());
        return new LinkConfig(agentId, settings.endpoint(), settings.username(), password, source, trust,
                settings.caFile(), false, HomeAssistantTopics.PREFIX);
    }

    /** For tests: a plain connection without credentials. */
    static LinkConfig plain(String agentId, String host, int port) {
        return new LinkConfig(agentId, new MqttSettings.Endpoint(host, port, false), null, null, null, null, null,
                false, HomeAssistantTopics.PREFIX);
    }

    public String agentId() {
        return agentId;
    }

    public MqttSettings.Endpoint endpoint() {
        return endpoint;
    }

    /** The MQTT client identifier: stable, so the broker keeps this agent's session across reconnects and restarts. */
    public String clientId() {
        return "spike-agent-" + agentId;
    }

    /** Null for anonymous access. */
    String username() {
        return username;
    }

    /** Null when there is none; a copy, so the caller cannot change it. */
    byte[] password() {
        return password == null ? null : password.clone();
    }

    /** The credentials as MQTT 5 simple auth, for the link and the doctor's probe alike; null for anonymous access. */
    Mqtt5SimpleAuth simpleAuth() {
        if (username == null && password == null) {
            return null;
        }
        Mqtt5SimpleAuthBuilder auth = Mqtt5SimpleAuth.builder();
        Mqtt5SimpleAuthBuilder.Complete complete = username != null ? auth.username(username) : auth.password(password);
        if (username != null && password != null) {
            complete = complete.password(password);
        }
        return complete.build();
    }

    /** Null for the JVM's default authorities (with ssl://) or a plain connection. */
    TrustManagerFactory trust() {
        return trust;
    }

    /** Never shows the password, only where it came from. */
    @Override
    public String toString() {
        return endpoint + " as " + clientId()
                + (username == null ? ", anonymous" : ", user " + username)
                + (passwordSource == null ? "" : ", password from " + passwordSource)
                + (endpoint.tls() ? (caFile == null ? ", TLS with the JVM's authorities" : ", TLS trusting " + caFile)
                        : "");
    }

    private static byte[] readPassword(Path file) throws ConfigException {
        String password = SecretFile.firstLine(file, "MQTT password file " + file
                + " (--password-file or mqtt.passwordFile)");
        if (SecretFile.othersMayRead(file)) {
            LOG.warn("the MQTT password file {} is readable by every user of this machine; "
                    + "`chmod 600 {}` and give it to the agent's user", file, file);
        }
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private static TrustManagerFactory trustOnly(Path caFile) throws ConfigException {
        String what = "CA file " + caFile + " (--ca-file or mqtt.caFile)";
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read the " + what + ": " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigException("the " + what + " holds no readable certificate: " + e.getMessage()
                    + "; it must be PEM (-----BEGIN CERTIFICATE-----)");
        }
        if (certificates.isEmpty()) {
            throw new ConfigException("the " + what + " holds no certificate; it must be PEM"
                    + " (-----BEGIN CERTIFICATE-----)");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot use the " + what + ": " + e.getMessage());
        }
    }
}
