package dev.spike.agent.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * A JSON POST of each notification, for anything else (a Telegram bot, Node-RED, a Home Assistant webhook). The
 * schema, documented in docs/alerts.md:
 *
 * <pre>
 * {"schema": "spike.notification/1", "id": "terrarium-1780308120000-sensor_down-raised", "agentId": "terrarium",
 *  "alarm": "sensor_down", "state": "raised", "priority": "urgent", "at": "2026-06-01T12:02:00Z",
 *  "since": "2026-06-01T12:02:00Z", "title": "Spike terrarium: sensor down", "text": "Sensor down since 14:02: ..."}
 * </pre>
 * Any 2xx answer counts as delivered; a 4xx about this notification (400, 413, 422, ...) gives it up, see
 * {@link RefusedException}; anything else is retried.
 */
final class WebhookNotifier implements Notifier {

    static final String KEY = "notify.webhook.url";
    static final String SCHEMA = "spike.notification/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final Http http;

    WebhookNotifier(URI url, Http http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String target() {
        return Http.redacted(url);
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        http.send(http.request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(n))).build(), KEY);
    }

    static String json(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("id", n.id());
        o.put("agentId", n.agentId());
        o.put("alarm", n.subject().wire());
        o.put("state", n.state().wire());
        o.put("priority", n.priority().wire());
        o.put("at", n.at().toString());
        o.put("since", n.since().toString());
        o.put("title", n.title());
        o.put("text", n.text());
        return o.toString();
    }
}
