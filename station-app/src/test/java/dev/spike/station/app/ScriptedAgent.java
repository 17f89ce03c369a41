package dev.spike.station.app;

import dev.spike.model.AgentState;
import dev.spike.model.AlarmKind;
import dev.spike.model.CommandKind;
import dev.spike.model.ConfigSnapshot;
import dev.spike.model.Mode;
import dev.spike.model.Rules;
import dev.spike.model.SprayReason;
import dev.spike.model.Status;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.command.SprayCommand;
import dev.spike.model.event.CommandResult;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityAlarm;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.event.SprayEffect;
import dev.spike.model.event.ValveClosed;
import dev.spike.model.event.ValveOpened;
import dev.spike.model.topic.Topic;
import dev.spike.station.connection.FakeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * An agent on the far side of a {@link FakeGateway}, everything it says going through the protocol codec: it
 * announces itself (retained status, config, state), reports readings, and answers the station's commands as the
 * real agent words them: a spray is accepted and opens the valve (closed when the test says), or refused with a
 * reason; new rules are accepted and published. Its clock may run ahead of the station's ({@code skew}).
 */
final class ScriptedAgent {

    final String agentId;
    private final FakeGateway gateway;
    private final Clock stationClock;
    private final Duration skew;
    private long seq;
    private Rules rules = Rules.defaults(ZoneId.of("UTC"));
    private String refusal;
    private ValveOpened open;

    ScriptedAgent(FakeGateway gateway, String agentId, Clock stationClock, Duration skew) {
        this.gateway = gateway;
        this.agentId = agentId;
        this.stationClock = stationClock;
        this.skew = skew;
        gateway.onCommand(sent -> {
            if (!sent.agentId().equals(agentId)) {
                return;
            }
            if (sent.command() instanceof SprayCommand) {
                answer((SprayCommand) sent.command());
            } else if (sent.command() instanceof ConfigCommand) {
                answer((ConfigCommand) sent.command());
            }
        });
    }

    Instant now() {
        return stationClock.instant().plus(skew);
    }

    /** Online, simulated, its rules and a first reading, with an hour of readings and two sprays behind it. */
    ScriptedAgent announce() {
        gateway.receive(Topic.status(agentId), new Status(true, now().minus(Duration.ofHours(1)), "0.1.0", true));
        gateway.receive(Topic.config(agentId), new ConfigSnapshot(now().minus(Duration.ofHours(1)), rules));
        Instant start = now().minus(Duration.ofHours(1));
        for (int minute = 0; minute <= 60; minute += 2) {
            Instant at = start.plus(Duration.ofMinutes(minute));
            publish(new HumidityChanged(agentId, ++seq, at, 70 + 8 * Math.sin(minute / 9.0)));
            publish(new TemperatureChanged(agentId, ++seq, at, 26.5 + Math.cos(minute / 13.0)));
            if (minute == 20 || minute == 46) {
                publish(new ValveOpened(agentId, ++seq, at, 6, minute == 20 ? SprayReason.LOW_HUMIDITY
                        : SprayReason.EVENING, null));
                publish(new ValveClosed(agentId, ++seq, at.plusSeconds(6), 6_000));
            }
        }
        state(false, null);
        return this;
    }

    /** The next sprays are refused with this reason (null: accepted again). */
    void refuseSprays(String reason) {
        this.refusal = reason;
    }

    void raiseAlarm(AlarmKind kind, String message) {
        publish(new HumidityAlarm(agentId, ++seq, now(), kind, 55.0, message));
    }

    /** The measured effect of a spray {@code hoursAgo} on the agent's clock: humidity rose {@code risePct} points. */
    void sprayEffect(int hoursAgo, double risePct) {
        Instant sprayAt = now().minus(Duration.ofHours(hoursAgo));
        publish(new SprayEffect(agentId, ++seq, sprayAt.plusSeconds(600), sprayAt, 72.0, risePct, 20, 400.0));
    }

    /** Closes the valve a spray opened. */
    void closeValve() {
        ValveOpened opened = open;
        open = null;
        publish(new ValveClosed(agentId, ++seq, now(), opened.durationS() * 1000L));
        state(false, null);
    }

    private void answer(SprayCommand command) {
        if (refusal != null) {
            publish(new CommandResult(agentId, ++seq, now(), command.id(), CommandKind.SPRAY, false, refusal));
            return;
        }
        publish(new CommandResult(agentId, ++seq, now(), command.id(), CommandKind.SPRAY, true, null));
        open = new ValveOpened(agentId, ++seq, now(), command.durationS(), SprayReason.MANUAL, command.id());
        publish(open);
        state(true, open.at().plusSeconds(command.durationS()));
    }

    private void answer(ConfigCommand command) {
        rules = command.rules();
        publish(new CommandResult(agentId, ++seq, now(), command.id(), CommandKind.CONFIG, true, null));
        publish(new ConfigApplied(agentId, ++seq, now(), rules));
        gateway.receive(Topic.config(agentId), new ConfigSnapshot(now(), rules));
    }

    private void state(boolean valveOpen, Instant closeAt) {
        gateway.receive(Topic.state(agentId), new AgentState(now(), seq, 72.4, 26.8, now(), valveOpen, closeAt,
                Mode.NORMAL, now(), SprayReason.MANUAL, null, null, null, List.of()));
    }

    private void publish(Event event) {
        gateway.receive(Topic.event(agentId, event.type()), event);
    }
}
