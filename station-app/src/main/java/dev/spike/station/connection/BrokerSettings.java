package dev.spike.station.connection;

import dev.spike.model.InvalidFieldException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the station's broker is and how to log in: {@code tcp://host[:port]} or {@code ssl://host[:port]}, an
 * optional user name and password, and for {@code ssl://} an optional CA file (PEM) to trust instead of the
 * system's certificate authorities.
 *
 * <p>Built with bad values it throws {@link InvalidFieldException} naming the field, so a settings form can show the
 * message next to that field. {@link #toString()} masks the password: settings may be logged, a password never.
 *
 * @param uri      {@code tcp://} or {@code ssl://}, a host, an optional port; nothing else (no path, no user info)
 * @param username null for anonymous access
 * @param password null for none; needs a user name
 * @param caFile   PEM file with the certificate authorities to trust for {@code ssl://}; null for the system's
 */
public record BrokerSettings(URI uri, String username, String password, Path caFile) {

    public static final int DEFAULT_TCP_PORT = 1883;
    public static final int DEFAULT_SSL_PORT = 8883;

    public BrokerSettings {
        if (uri == null) {
            throw new InvalidFieldException("uri", "is required, e.g. tcp://localhost:1883");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw new InvalidFieldException("uri", "must start with tcp:// or ssl://, was \"" + uri + "\"");
        }
        if (uri.getUserInfo() != null) {
            // A password in the URI would end up in logs and window titles; it has its own, masked field.
            throw new InvalidFieldException("uri", "must not contain a user name or password; use the fields");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidFieldException("uri", "must name a host, e.g. " + scheme + "://localhost, was \""
                    + uri + "\"");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new InvalidFieldException("uri", "must be only " + scheme + "://host:port, was \"" + uri + "\"");
        }
        if (uri.getPort() == 0) {
            throw new InvalidFieldException("uri", "port must be 1..65535, was 0");
        }
        username = emptyToNull(username);
        password = emptyToNull(password);
        if (username != null && username.length() > 65_535) {
            throw new InvalidFieldException("username", "must be at most 65535 characters");
        }
        if (password != null && username == null) {
            throw new InvalidFieldException("password", "needs a user name");
        }
        if (caFile != null) {
            if (!scheme.equals("ssl")) {
                throw new InvalidFieldException("caFile", "is only used with ssl://; remove it or use ssl://");
            }
            if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
                throw new InvalidFieldException("caFile", "cannot be read: " + caFile
                        + "; choose a PEM file with the broker's certificate authority");
            }
        }
    }

    /**
     * Settings from the text fields of a form: blank fields count as absent.
     *
     * @throws InvalidFieldException naming the field that is wrong
     */
    public static BrokerSettings parse(String uri, String username, String password, String caFile) {
        String uriText = uri == null ? "" : uri.strip();
        if (uriText.isEmpty()) {
            throw new InvalidFieldException("uri", "is required, e.g. tcp://localhost:1883");
        }
        URI parsed;
        try {
            parsed = new URI(uriText);
        } catch (URISyntaxException e) {
            throw new InvalidFieldException("uri", "is not a valid address: " + e.getReason() + ", was \""
                    + uriText + "\"");
        }
        Path ca = null;
        String caText = caFile == null ? "" : caFile.strip();
        if (!caText.isEmpty()) {
            try {
                ca = Path.of(caText);
            } catch (InvalidPathException e) {
                throw new InvalidFieldException("caFile", "is not a valid path: " + e.getReason());
            }
        }
        return new BrokerSettings(parsed, username == null ? null : username.strip(), password, ca);
    }

    public boolean tls() {
        return "ssl".equalsIgnoreCase(uri.getScheme());
    }

    public String host() {
        return uri.getHost();
    }

    /** The port of the URI, or 1883 for tcp:// and 8883 for ssl:// when it names none. */
    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : tls() ? DEFAULT_SSL_PORT : DEFAULT_TCP_PORT;
    }

    /** The address as a person reads it, with the port: {@code tcp://localhost:1883}. */
    public String address() {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + host() + ":" + port();
    }

    @Override
    public String toString() {
        return "BrokerSettings[uri=" + address() + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", caFile=" + caFile + "]";
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
