package dev.spike.agent.notify;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Publishes to an ntfy topic through ntfy's HTTP API: a POST of the text to the topic URL, with the title, priority
 * and tags in ntfy's {@code X-Title}, {@code X-Priority} and {@code X-Tags} headers, and an access token, if any, as
 * {@code Authorization: Bearer}. Titles are ASCII (an HTTP header); the text goes as UTF-8 in the body.
 *
 * <p>Tags: an emoji short code first (ntfy shows it before the title: {@code rotating_light} for urgent,
 * {@code warning} for high, {@code white_check_mark} for a recovery, {@code information_source} for a notice), then
 * {@code spike} and the alarm's wire name, so a keeper can filter.
 */
final class NtfyNotifier implements Notifier {

    static final String KEY = "notify.ntfy.url";

    private final URI topic;
    private final String token;
    private final Http http;

    /** @param token an ntfy access token, or null for a public topic */
    NtfyNotifier(URI topic, String token, Http http) {
        this.topic = topic;
        this.token = token;
        this.http = http;
    }

    @Override
    public String name() {
        return "ntfy";
    }

    @Override
    public String target() {
        return Http.redacted(topic) + (token == null ? "" : " with an access token");
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        HttpRequest.Builder request = http.request(topic)
                .header("X-Title", n.title())
                .header("X-Priority", n.priority().wire())
                .header("X-Tags", emoji(n) + ",spike," + n.subject().wire())
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(n.text(), StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        http.send(request.build(), token == null ? KEY : KEY + " and notify.ntfy.tokenFile");
    }

    static String emoji(Notification n) {
        if (n.state() == Notification.State.CLEARED) {
            return "white_check_mark";
        }
        if (n.state() == Notification.State.NOTICE && n.subject() == Subject.TEST) {
            return "information_source";
        }
        return n.priority() == Notification.Priority.URGENT ? "rotating_light" : "warning";
    }
}
