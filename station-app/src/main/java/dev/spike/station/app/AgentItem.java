package dev.spike.station.app;

import java.util.Objects;

/**
 * One agent in the sidebar, as the station knows it now. Replaced, not mutated, when anything changes, so a list
 * of them updates its cells by itself.
 *
 * @param agentId      the agent's id, shown as its name
 * @param online       its retained status says online
 * @param simulated    started with {@code --simulate}: the simulation tab is offered
 * @param sensorDown   in sensor-down mode
 * @param activeAlarms alarms raised and not cleared
 * @param summary      one line for a person: "74.2 % · 27.4 °C", "offline since 18:02"
 */
public record AgentItem(String agentId, boolean online, boolean simulated, boolean sensorDown, int activeAlarms,
                        String summary) {

    public AgentItem {
        Objects.requireNonNull(agentId, "agentId");
        summary = summary == null ? "" : summary;
    }
}
