package dev.spike.agent.link;

import dev.spike.model.topic.Topic;
import java.util.concurrent.CompletableFuture;

/**
 * How the link's parts put messages on the wire: the MQTT client in the agent, a fake in tests of the parts.
 *
 * <p>Every future completes (the client sees to that): normally with {@link Ack#OK} once the broker acknowledged a
 * QoS 1 message or a QoS 0 message was written; normally with a refusal when the broker answered with an error
 * reason code; exceptionally with {@link LinkDownException} when the connection went away first, or with another
 * exception when this message cannot be sent at all (retrying it would fail the same way).
 */
interface Publisher {

    /** Publishes with the QoS and the retain flag of the topic's kind. */
    CompletableFuture<Ack> publish(Topic topic, byte[] payload);

    /** A history page on a station's response topic, carrying the request's correlation data (may be null). */
    CompletableFuture<Ack> reply(Topic topic, byte[] payload, byte[] correlationData);

    /**
     * The broker's answer to one message.
     *
     * @param refusal the broker's error reason code ("NOT_AUTHORIZED"), or null when it took the message
     */
    record Ack(String refusal) {

        static final Ack OK = new Ack(null);

        boolean refused() {
            return refusal != null;
        }

        /**
         * A log line for a refusal of a message on {@code topic}. NOT_AUTHORIZED is what Mosquitto answers a publish
         * its ACL denies, so that one says where to look.
         */
        String describe(String topic) {
            if ("NOT_AUTHORIZED".equals(refusal)) {
                return "broker refused publish to " + topic + ": not authorized; check the ACL (docs/mosquitto/acl)";
            }
            return "broker refused publish to " + topic + ": " + refusal;
        }
    }
}
