package dev.spike.model.topic;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.WireName;
import dev.spike.model.event.EventType;
import java.util.List;
import java.util.Optional;

/**
 * A topic of protocol v1: {@code spike/<agentId>/<kind>[/<eventType or stationId>]}. This class is the only place
 * where topic strings are built or taken apart.
 *
 * <p>Built in code with bad parts it throws; parsed from the network it returns empty, never throws.
 *
 * @param agentId   the agent the topic belongs to
 * @param kind      what the topic carries
 * @param eventType for {@link TopicKind#EVENT} only, else null
 * @param stationId for {@link TopicKind#REPLY} only, else null: the station the history pages go to
 */
public record Topic(String agentId, TopicKind kind, EventType eventType, String stationId) {

    public static final String ROOT = "spike";

    public Topic {
        Checks.agentId("agentId", agentId);
        Checks.notNull("kind", kind);
        if ((kind == TopicKind.EVENT) != (eventType != null)) {
            throw new InvalidFieldException("eventType", "is required for event topics and only for them");
        }
        if (kind == TopicKind.REPLY) {
            Checks.agentId("stationId", stationId);
        } else if (stationId != null) {
            throw new InvalidFieldException("stationId", "is only for reply topics");
        }
    }

    public static Topic of(String agentId, TopicKind kind) {
        return new Topic(agentId, kind, null, null);
    }

    public static Topic status(String agentId) {
        return of(agentId, TopicKind.STATUS);
    }

    public static Topic event(String agentId, EventType type) {
        return new Topic(agentId, TopicKind.EVENT, type, null);
    }

    public static Topic state(String agentId) {
        return of(agentId, TopicKind.STATE);
    }

    public static Topic health(String agentId) {
        return of(agentId, TopicKind.HEALTH);
    }

    public static Topic config(String agentId) {
        return of(agentId, TopicKind.CONFIG);
    }

    /** Where an agent sends the history pages a station asked for. */
    public static Topic reply(String agentId, String stationId) {
        return new Topic(agentId, TopicKind.REPLY, null, stationId);
    }

    /** The topic as published: {@code spike/garden-1/event/valve_opened}. */
    @Override
    public String toString() {
        String base = ROOT + "/" + agentId + "/" + kind.wire();
        if (eventType != null) {
            return base + "/" + eventType.wire();
        }
        if (stationId != null) {
            return base + "/" + stationId;
        }
        return base;
    }

    /** Takes an incoming topic apart; empty for anything that is not a topic of protocol v1. */
    public static Optional<Topic> parse(String topic) {
        if (topic == null || topic.length() > 200) {
            return Optional.empty();
        }
        String[] parts = topic.split("/", -1);
        if (parts.length < 3 || parts.length > 4 || !ROOT.equals(parts[0])
                || !Checks.AGENT_ID.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        String agentId = parts[1];
        if (parts.length == 3) {
            return simpleKind(parts[2]).map(kind -> of(agentId, kind));
        }
        String head = parts[2];
        String tail = parts[3];
        switch (head) {
            case "event":
                return WireName.parse(EventType.class, tail).map(type -> event(agentId, type));
            case "reply":
                return Checks.AGENT_ID.matcher(tail).matches()
                        ? Optional.of(reply(agentId, tail))
                        : Optional.empty();
            default:
                return WireName.parse(TopicKind.class, head + "/" + tail)
                        .filter(TopicKind::isCommand)
                        .map(kind -> of(agentId, kind));
        }
    }

    private static Optional<TopicKind> simpleKind(String suffix) {
        return WireName.parse(TopicKind.class, suffix)
                .filter(kind -> !kind.isCommand() && kind != TopicKind.EVENT && kind != TopicKind.REPLY);
    }

    /** What a station subscribes to: every agent's presence, events, state, health, config and its own replies. */
    public static List<String> stationFilters(String stationId) {
        Checks.agentId("stationId", stationId);
        return List.of(
                ROOT + "/+/" + TopicKind.STATUS.wire(),
                ROOT + "/+/" + TopicKind.EVENT.wire() + "/+",
                ROOT + "/+/" + TopicKind.STATE.wire(),
                ROOT + "/+/" + TopicKind.HEALTH.wire(),
                ROOT + "/+/" + TopicKind.CONFIG.wire(),
                ROOT + "/+/" + TopicKind.REPLY.wire() + "/" + stationId);
    }

    /** What an agent subscribes to: its own commands and simulation switches. */
    public static List<String> agentFilters(String agentId) {
        Checks.agentId("agentId", agentId);
        return List.of(
                ROOT + "/" + agentId + "/cmd/+",
                ROOT + "/" + agentId + "/" + TopicKind.SIM_SET.wire());
    }

    /** Matches every agent's status: how a station discovers agents. */
    public static String allStatusFilter() {
        return ROOT + "/+/" + TopicKind.STATUS.wire();
    }
}
