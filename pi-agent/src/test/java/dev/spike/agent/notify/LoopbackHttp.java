package dev.spike.agent.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A real HTTP server on a loopback port, standing in for ntfy, healthchecks or a webhook receiver. Each request is
 * checked against the real service's format by a {@link Judge}; accepted ones are recorded, rejected ones answered
 * with 400 and kept as {@link #rejections()} (a test that sees any fails). {@link #refuse} makes it answer chosen
 * requests with a chosen status, as a real server that refuses a message does. {@link #stop()} and {@link #start()}
 * make an outage: connections are refused in between, as with a server that is down, and it comes back on the same
 * port.
 */
final class LoopbackHttp implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Returns null if the request is what the real service takes, else why not. */
    interface Judge {
        String problem(Request request);
    }

    private record Refusal(Predicate<Request> which, int status, String body) {
    }

    private final Judge judge;
    private final String answer;
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final List<Request> refused = new CopyOnWriteArrayList<>();
    private volatile Refusal refusal;
    private HttpServer server;
    private int port;

    /** @param answer the body of a 200 answer */
    LoopbackHttp(Judge judge, String answer) {
        this.judge = judge;
        this.answer = answer;
        start();
    }

    synchronized LoopbackHttp start() {
        if (server != null) {
            return this;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
        port = server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** Stops listening: connections are refused until {@link #start()}. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    List<Request> accepted() {
        return new ArrayList<>(accepted);
    }

    List<String> rejections() {
        return new ArrayList<>(rejections);
    }

    /**
     * From now on answers the requests that match {@code which} with {@code status} and {@code body} instead of
     * judging them; {@code which} null takes every request again.
     */
    void refuse(Predicate<Request> which, int status, String body) {
        refusal = which == null ? null : new Refusal(which, status, body);
    }

    /** The requests answered by {@link #refuse}, in order. */
    List<Request> refused() {
        return new ArrayList<>(refused);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                headers, body);
        Refusal r = refusal;
        String problem = judge.problem(request);
        byte[] reply;
        int status;
        if (r != null && r.which().test(request)) {
            refused.add(request);
            reply = r.body().getBytes(StandardCharsets.UTF_8);
            status = r.status();
        } else if (problem == null) {
            accepted.add(request);
            reply = answer.getBytes(StandardCharsets.UTF_8);
            status = 200;
        } else {
            rejections.add(problem + " in " + request);
            reply = ("{\"code\":40000,\"error\":\"" + problem + "\"}").getBytes(StandardCharsets.UTF_8);
            status = 400;
        }
        exchange.sendResponseHeaders(status, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------------------ the real services' formats

    /**
     * ntfy's publish API as docs.ntfy.sh/publish describes it: POST (or PUT) to {@code /<topic>}, the message as the
     * body, {@code X-Title}, {@code X-Priority} (1..5 or min, low, default, high, max, urgent) and {@code X-Tags}
     * (comma-separated) headers, and {@code Authorization: Bearer <token>} for a protected topic.
     */
    static LoopbackHttp ntfy(String topic, String token) {
        return new LoopbackHttp(request -> {
            if (!request.method().equals("POST") && !request.method().equals("PUT")) {
                return "ntfy publishes with POST or PUT, not " + request.method();
            }
            if (!request.path().equals("/" + topic)) {
                return "no such topic " + request.path();
            }
            if (token != null && !("Bearer " + token).equals(request.header("Authorization"))) {
                return "forbidden: Authorization was " + request.header("Authorization");
            }
            String priority = request.header("X-Priority");
            if (priority != null && !List.of("1", "2", "3", "4", "5", "min", "low", "default", "high", "max",
                    "urgent").contains(priority)) {
                return "invalid priority " + priority;
            }
            String title = request.header("X-Title");
            if (title == null || title.isBlank()) {
                return "no X-Title";
            }
            String tags = request.header("X-Tags");
            if (tags == null || !tags.matches("[a-z0-9_]+(,[a-z0-9_]+)*")) {
                return "X-Tags must be a comma-separated list, was " + tags;
            }
            if (request.body().isBlank()) {
                return "empty message";
            }
            return null;
        }, "{\"id\":\"sPs71M8A2T\",\"time\":1780308120,\"event\":\"message\",\"topic\":\"" + topic + "\"}");
    }

    /**
     * A healthchecks.io check's ping URLs: GET (HEAD and POST work too) of {@code /ping/<uuid>}, {@code /start} or
     * {@code /fail} after it; healthchecks answers "OK".
     */
    static LoopbackHttp healthchecks(String uuid) {
        return new LoopbackHttp(request -> {
            if (!List.of("GET", "HEAD", "POST").contains(request.method())) {
                return "healthchecks pings are GET, HEAD or POST, not " + request.method();
            }
            String base = "/ping/" + uuid;
            if (!List.of(base, base + "/start", base + "/fail").contains(request.path())) {
                return "not a ping URL of the check: " + request.path();
            }
            return null;
        }, "OK");
    }

    /** A webhook receiver that takes JSON POSTs on {@code path}. */
    static LoopbackHttp webhook(String path) {
        return new LoopbackHttp(request -> {
            if (!request.method().equals("POST")) {
                return "webhooks are POSTs, not " + request.method();
            }
            if (!request.path().equals(path)) {
                return "no such hook " + request.path();
            }
            if (!"application/json".equals(request.header("Content-Type"))) {
                return "Content-Type must be application/json, was " + request.header("Content-Type");
            }
            return null;
        }, "{\"ok\":true}");
    }
}
