package dev.spike.model.command;

import dev.spike.model.Checks;

/**
 * Ask for up to {@code limit} stored events from {@code fromSeq} on. The agent answers on the request's MQTT 5
 * response topic, with its correlation data, in {@link HistoryPage}s of at most {@link HistoryPage#MAX_EVENTS}.
 */
public record HistoryRequest(String id, long fromSeq, int limit) implements Command {

    /** The most events one request may ask for: 30 days of 10 s readings and then some. */
    public static final int MAX_LIMIT = 1_000_000;

    public HistoryRequest {
        Checks.text("id", id, MAX_ID_LENGTH);
        Checks.atLeast("fromSeq", fromSeq, 1);
        Checks.range("limit", limit, 1, MAX_LIMIT);
    }
}
