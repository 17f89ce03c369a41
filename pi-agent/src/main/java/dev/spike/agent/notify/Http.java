package dev.spike.agent.notify;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The JDK's HTTP client as the notifiers and the heartbeat use it: every wait bounded, redirects followed for GET
 * only (a healthchecks URL behind a redirect), every failure a {@link DeliveryException} naming the URL, what
 * happened and what to check.
 */
final class Http {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** A server's answer is quoted in the message up to this many characters. */
    private static final int QUOTE = 200;

    private final HttpClient client;
    private final Duration requestTimeout;

    Http() {
        this(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    Http(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.requestTimeout = requestTimeout;
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", "spike-agent");
    }

    /**
     * Sends and returns the answer if its status is 2xx.
     *
     * @param key the config key of the URL, for "check ..." in messages
     * @throws RefusedException if the server refused this request in a way that sending it again cannot change
     */
    HttpResponse<String> send(HttpRequest request, String key) throws DeliveryException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryException("no connection to " + hostOf(request.uri()) + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s; check the network and the host in " + key, e);
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(hostOf(request.uri()) + " did not answer within " + requestTimeout.toSeconds()
                    + " s; check that the server at " + key + " works", e);
        } catch (ConnectException e) {
            throw new DeliveryException("cannot connect to " + hostOf(request.uri()) + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + "; check the network, the host and port in " + key + " and that the server runs", e);
        } catch (IOException e) {
            throw new DeliveryException(request.method() + " " + redacted(request.uri()) + " failed: " + e
                    + "; check the network and " + key, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while sending to " + hostOf(request.uri()), e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            String quoted = body.isEmpty() ? ""
                    : " (" + (body.length() > QUOTE ? body.substring(0, QUOTE) + "..." : body) + ")";
            if (refusesTheMessage(status)) {
                throw new RefusedException(hostOf(request.uri()) + " answered " + status + quoted + ": it refused this"
                        + " notification, sending it again would not help; if every notification is refused, check "
                        + key);
            }
            throw new DeliveryException(hostOf(request.uri()) + " answered " + status + quoted + "; "
                    + advice(status, key));
        }
        return response;
    }

    /**
     * A 4xx that is about this request, not about access (401, 403), the URL (404), a timeout (408) or a rate limit
     * (429): the same request would be refused again, so retrying it would only hold up the ones after it.
     */
    static boolean refusesTheMessage(int status) {
        return status / 100 == 4 && status != 401 && status != 403 && status != 404 && status != 408 && status != 429;
    }

    private static String advice(int status, String key) {
        if (status == 401 || status == 403) {
            return "the server refused the agent: check the access token or password for " + key;
        }
        if (status == 404) {
            return "check the path in " + key;
        }
        if (status == 429) {
            return "the server limits how often the agent may send; it tries again later";
        }
        if (status >= 500) {
            return "the server has a problem; the agent tries again later";
        }
        return "check " + key;
    }

    static String hostOf(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    /**
     * The URL for logs without its path: an ntfy topic or a healthchecks UUID in the path is as good as a password
     * to whoever reads the log.
     */
    static String redacted(URI uri) {
        return hostOf(uri) + "/...";
    }
}
