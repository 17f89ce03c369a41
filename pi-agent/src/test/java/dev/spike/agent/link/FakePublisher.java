package dev.spike.agent.link;

import dev.spike.model.topic.Topic;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A broker stand-in that keeps every message with its future, for a test to acknowledge, refuse or fail. */
final class FakePublisher implements Publisher {

    /** One message handed to the publisher. */
    record Sent(Topic topic, byte[] payload, byte[] correlation, CompletableFuture<Ack> future) {
        boolean pending() {
            return !future.isDone();
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile boolean autoAck;

    /** Acknowledges every message at once from now on. */
    FakePublisher autoAck() {
        autoAck = true;
        sent.stream().filter(Sent::pending).forEach(s -> s.future().complete(Ack.OK));
        return this;
    }

    @Override
    public CompletableFuture<Ack> publish(Topic topic, byte[] payload) {
        return record(new Sent(topic, payload, null, new CompletableFuture<>()));
    }

    @Override
    public CompletableFuture<Ack> reply(Topic topic, byte[] payload, byte[] correlationData) {
        return record(new Sent(topic, payload, correlationData, new CompletableFuture<>()));
    }

    private CompletableFuture<Ack> record(Sent message) {
        sent.add(message);
        if (autoAck) {
            message.future().complete(Ack.OK);
        }
        return message.future();
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<Sent> pending() {
        return sent.stream().filter(Sent::pending).collect(Collectors.toList());
    }
}
