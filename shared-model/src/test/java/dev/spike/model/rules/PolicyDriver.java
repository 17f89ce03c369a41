package dev.spike.model.rules;

import dev.spike.model.Rules;
import dev.spike.model.event.Event;
import dev.spike.model.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Walks the pure policy through time for tests, standing in for the agent's shell: it executes {@code OpenValve}
 * at once (answering {@code SprayStarted}, or {@code SprayRefused} when told to refuse) and keeps every decision.
 */
final class PolicyDriver {

    PolicyState state;
    Instant now;
    final List<Event> events = new ArrayList<>();
    final List<Decision.OpenValve> sprays = new ArrayList<>();
    final List<Instant> sprayTimes = new ArrayList<>();
    String refuseWith;
    boolean refuseAsRunaway;

    PolicyDriver(Rules rules, Instant start) {
        this.now = start;
        this.state = PolicyState.initial("t1", rules, start);
    }

    PolicyDriver(Rules rules, Instant start, PolicyState.Recovered memory) {
        this.now = start;
        this.state = PolicyState.recovered("t1", rules, start, memory);
    }

    PolicyDriver at(Instant time) {
        now = time;
        return this;
    }

    PolicyDriver after(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    PolicyDriver reading(double humidityPct) {
        return apply(new Input.Reading(humidityPct, 26.5));
    }

    PolicyDriver failure() {
        return apply(new Input.SensorFailure("no acknowledge from SHT30 at 0x44 (3 attempts)"));
    }

    PolicyDriver tick() {
        return apply(new Input.Tick());
    }

    /** Ticks every second through {@code duration}, feeding a reading each read interval if humidity is given. */
    PolicyDriver run(Duration duration, Double humidityPct) {
        Instant end = now.plus(duration);
        long interval = state.rules().readIntervalS();
        long second = 0;
        while (now.isBefore(end)) {
            now = now.plusSeconds(1);
            second++;
            if (humidityPct != null && second % interval == 0) {
                reading(humidityPct);
            }
            tick();
        }
        return this;
    }

    PolicyDriver apply(Input input) {
        SprayPolicy.Outcome outcome = SprayPolicy.apply(state, input, now);
        state = outcome.state();
        for (Decision decision : outcome.decisions()) {
            if (decision instanceof Decision.Record) {
                events.add(((Decision.Record) decision).event());
            } else {
                Decision.OpenValve open = (Decision.OpenValve) decision;
                if (refuseWith != null) {
                    apply(new Input.SprayRefused(open.reason(), open.commandId(), refuseWith, refuseAsRunaway));
                } else {
                    sprays.add(open);
                    sprayTimes.add(now);
                    apply(new Input.SprayStarted(open.reason(), open.durationS(), open.commandId()));
                }
            }
        }
        return this;
    }

    List<Event> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    int count(EventType type) {
        return events(type).size();
    }

    PolicyDriver forget() {
        events.clear();
        sprays.clear();
        sprayTimes.clear();
        return this;
    }
}
