package dev.spike.model.event;

import dev.spike.model.Checks;
import java.time.Instant;

/** Humidity dropped below the spray threshold; followed by {@code valve_opened} or {@code spray_skipped}. */
public record LowHumidity(String agentId, long seq, Instant at, double humidityPct, double thresholdPct) implements Event {

    public LowHumidity {
        Event.checkHeader(agentId, seq, at);
        Checks.range("humidityPct", humidityPct, 0, 100);
        Checks.range("thresholdPct", thresholdPct, 0, 100);
    }

    @Override
    public EventType type() {
        return EventType.LOW_HUMIDITY;
    }

    @Override
    public LowHumidity withHeader(String agentId, long seq, Instant at) {
        return new LowHumidity(agentId, seq, at, humidityPct, thresholdPct);
    }
}
