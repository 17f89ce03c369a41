package dev.spike.agent.config;

import dev.spike.model.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the agent sends alerts ({@code notify.*}) and its dead-man's heartbeat ({@code heartbeat.*}), as written in
 * the config file. Every notifier is off unless its keys are set; any combination works. Secrets are not here: only
 * the files they are read from when the agent starts (see {@code notify.Secrets}), so they never sit in a config dump.
 *
 * @param ntfyUrl           an ntfy topic URL ({@code https://ntfy.sh/my-topic} or a self-hosted server), or null
 * @param ntfyTokenFile     a file whose first line is an ntfy access token, or null for a public topic
 * @param webhookUrl        an http(s) URL that gets a JSON POST of each notification, or null
 * @param email             the e-mail notifier, or null
 * @param remindEveryH      while an alarm stays active, a reminder every this many hours; also the flapping limit
 * @param maxAgeH           a notification not delivered within this many hours is dropped (with a log line)
 * @param heartbeatUrl      a healthchecks-compatible ping URL, or null
 * @param heartbeatEveryMin minutes between heartbeat pings
 */
public record NotifySettings(String ntfyUrl, Path ntfyTokenFile, String webhookUrl, Email email, int remindEveryH,
        int maxAgeH, String heartbeatUrl, int heartbeatEveryMin) {

    public static final int DEFAULT_REMIND_EVERY_H = 12;
    public static final int DEFAULT_MAX_AGE_H = 24;
    public static final int DEFAULT_HEARTBEAT_EVERY_MIN = 5;
    public static final int SMTP_DEFAULT_PORT = 587;
    public static final int SMTPS_DEFAULT_PORT = 465;

    /** No notifier, no heartbeat: the default. */
    public static final NotifySettings NONE = new NotifySettings(null, null, null, null, DEFAULT_REMIND_EVERY_H,
            DEFAULT_MAX_AGE_H, null, DEFAULT_HEARTBEAT_EVERY_MIN);

    /** Local part @ domain, no spaces or angle brackets: enough to catch a pasted mistake; the server judges the rest. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>,;\"]+@[^\\s@<>,;\"]+\\.[^\\s@<>,;\"]+");

    public NotifySettings {
        if (ntfyUrl != null) {
            httpUrl("notify.ntfy.url", ntfyUrl, true);
        } else if (ntfyTokenFile != null) {
            throw new InvalidFieldException("notify.ntfy.tokenFile", "needs notify.ntfy.url, which is not set");
        }
        if (webhookUrl != null) {
            httpUrl("notify.webhook.url", webhookUrl, false);
        }
        range("notify.remindEveryH", remindEveryH, 1, 168);
        range("notify.maxAgeH", maxAgeH, 1, 168);
        if (heartbeatUrl != null) {
            httpUrl("heartbeat.url", heartbeatUrl, true);
            if (heartbeatUrl.contains("?")) {
                throw new InvalidFieldException("heartbeat.url", "must be a ping URL without a query (the agent adds"
                        + " /start and /fail to it), was \"" + heartbeatUrl + "\"");
            }
        }
        range("heartbeat.everyMin", heartbeatEveryMin, 1, 1440);
    }

    /** Whether any notifier is configured (the heartbeat aside). */
    public boolean anyNotifier() {
        return ntfyUrl != null || webhookUrl != null || email != null;
    }

    /** Whether there is anything to do at all: a notifier or the heartbeat. */
    public boolean enabled() {
        return anyNotifier() || heartbeatUrl != null;
    }

    /**
     * The e-mail notifier.
     *
     * @param smtp         {@code smtp://host:port} (STARTTLS when the server offers it) or {@code smtps://host:port}
     * @param from         the sender address
     * @param to           one or more recipient addresses
     * @param username     the SMTP login, or null to send without logging in
     * @param passwordFile a file whose first line is the SMTP password; required with a username
     */
    public record Email(String smtp, String from, List<String> to, String username, Path passwordFile) {

        public Email {
            server(smtp);
            address("notify.email.from", from);
            if (to == null || to.isEmpty()) {
                throw new InvalidFieldException("notify.email.to", "is required with notify.email.smtp");
            }
            to = List.copyOf(to);
            for (String address : to) {
                address("notify.email.to", address);
            }
            if (username != null && passwordFile == null) {
                throw new InvalidFieldException("notify.email.passwordFile", "is required with notify.email.username"
                        + " (the password is read from that file, never from the config)");
            }
            if (username == null && passwordFile != null) {
                throw new InvalidFieldException("notify.email.username", "is required with"
                        + " notify.email.passwordFile");
            }
        }

        /** The server taken apart. */
        public Server server() {
            return server(smtp);
        }

        /** @param tls true for smtps:// (TLS from the first byte), false for smtp:// (STARTTLS when offered) */
        public record Server(String host, int port, boolean tls) {
            @Override
            public String toString() {
                return (tls ? "smtps://" : "smtp://") + host + ":" + port;
            }
        }

        private static Server server(String smtp) {
            String key = "notify.email.smtp";
            if (smtp == null) {
                throw new InvalidFieldException(key, "is required for e-mail");
            }
            String shape = "must be smtp://host:port (STARTTLS when offered) or smtps://host:port, was \"" + smtp
                    + "\"";
            URI uri;
            try {
                uri = new URI(smtp.strip());
            } catch (URISyntaxException e) {
                throw new InvalidFieldException(key, shape);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
                throw new InvalidFieldException(key, shape);
            }
            boolean onlyHostAndPort = uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"));
            if (uri.getHost() == null || !onlyHostAndPort) {
                throw new InvalidFieldException(key, shape);
            }
            boolean tls = scheme.equals("smtps");
            int port = uri.getPort() == -1 ? (tls ? SMTPS_DEFAULT_PORT : SMTP_DEFAULT_PORT) : uri.getPort();
            if (port < 1 || port > 65_535) {
                throw new InvalidFieldException(key, "port must be 1..65535, was " + port);
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Server(host, port, tls);
        }

        private static void address(String key, String value) {
            if (value == null) {
                throw new InvalidFieldException(key, "is required with notify.email.smtp");
            }
            if (!ADDRESS.matcher(value).matches()) {
                throw new InvalidFieldException(key, "must be an e-mail address such as keeper@example.org, was \""
                        + value + "\"");
            }
        }
    }

    private static void httpUrl(String key, String value, boolean needsPath) {
        String shape = "must be an http:// or https:// URL" + (needsPath ? " with a path" : "") + ", was \"" + value
                + "\"";
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new InvalidFieldException(key, shape);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidFieldException(key, shape);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getUserInfo() != null
                || uri.getFragment() != null) {
            throw new InvalidFieldException(key, shape);
        }
        if (needsPath && (uri.getPath() == null || uri.getPath().replace("/", "").isEmpty())) {
            throw new InvalidFieldException(key, shape);
        }
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidFieldException(key, "must be " + min + ".." + max + ", was " + value);
        }
    }

    /** The addresses of a comma-separated {@code notify.email.to}. */
    static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
