package dev.spike.model;

import java.time.Instant;

/**
 * The agent's vital signs, retained on {@code health} every 60 s. Sizes are bytes; a value the platform cannot tell
 * (CPU temperature off a Pi) is null.
 *
 * @param storeError the event store's last error ("disk full"), or null while it works
 */
public record Health(
        Instant at,
        String version,
        long uptimeS,
        Double cpuTemperatureC,
        double load1,
        long memTotalBytes,
        long memAvailableBytes,
        long diskFreeBytes,
        long heapUsedBytes,
        long heapMaxBytes,
        long storeBytes,
        long queuedEvents,
        String storeError) {

    public Health {
        Checks.notNull("at", at);
        Checks.text("version", version, 64);
        Checks.atLeast("uptimeS", uptimeS, 0);
        Checks.optionalRange("cpuTemperatureC", cpuTemperatureC, -40, 150);
        Checks.range("load1", load1, 0, 10_000);
        Checks.atLeast("memTotalBytes", memTotalBytes, 0);
        Checks.atLeast("memAvailableBytes", memAvailableBytes, 0);
        Checks.atLeast("diskFreeBytes", diskFreeBytes, 0);
        Checks.atLeast("heapUsedBytes", heapUsedBytes, 0);
        Checks.atLeast("heapMaxBytes", heapMaxBytes, 0);
        Checks.atLeast("storeBytes", storeBytes, 0);
        Checks.atLeast("queuedEvents", queuedEvents, 0);
        Checks.optionalText("storeError", storeError, 500);
    }
}
