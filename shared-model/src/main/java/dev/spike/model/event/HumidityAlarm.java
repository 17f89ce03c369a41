package dev.spike.model.event;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import java.time.Instant;

/** An alarm was raised; it stays raised until {@code humidity_alarm_cleared} of the same kind. */
public record HumidityAlarm(String agentId, long seq, Instant at, AlarmKind kind, Double humidityPct, String message) implements Event {

    public HumidityAlarm {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("kind", kind);
        Checks.optionalRange("humidityPct", humidityPct, 0, 100);
        Checks.text("message", message, 500);
    }

    @Override
    public EventType type() {
        return EventType.HUMIDITY_ALARM;
    }

    @Override
    public HumidityAlarm withHeader(String agentId, long seq, Instant at) {
        return new HumidityAlarm(agentId, seq, at, kind, humidityPct, message);
    }
}
