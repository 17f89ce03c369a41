package dev.spike.model.event;

import dev.spike.model.AlarmKind;
import dev.spike.model.Checks;
import java.time.Instant;

/** The alarm of this kind is resolved. */
public record HumidityAlarmCleared(String agentId, long seq, Instant at, AlarmKind kind) implements Event {

    public HumidityAlarmCleared {
        Event.checkHeader(agentId, seq, at);
        Checks.notNull("kind", kind);
    }

    @Override
    public EventType type() {
        return EventType.HUMIDITY_ALARM_CLEARED;
    }

    @Override
    public HumidityAlarmCleared withHeader(String agentId, long seq, Instant at) {
        return new HumidityAlarmCleared(agentId, seq, at, kind);
    }
}
