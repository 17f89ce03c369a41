package dev.spike.agent.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's side of systemd's notify protocol (sd_notify(3)): {@code READY=1} once the valve is closed, the store
 * open and the loop started; {@code WATCHDOG=1} from the agent thread, so a hung agent thread stops the pings and
 * systemd kills and restarts the agent; {@code STOPPING=1} on shutdown.
 *
 * <p>{@link #fromEnvironment} gives a notifier that does nothing when {@code NOTIFY_SOCKET} is unset: a desk run,
 * the tests, {@code --simulate} on a PC.
 */
public interface ServiceNotifier {

    String READY = "READY=1";
    String WATCHDOG = "WATCHDOG=1";
    String STOPPING = "STOPPING=1";

    /** Sends one notification, e.g. {@code READY=1}. Never throws: a failure is logged, control goes on. */
    void send(String state);

    /** Whether messages go anywhere. */
    boolean enabled();

    /** A notifier that sends nothing. */
    static ServiceNotifier none() {
        return NoOp.INSTANCE;
    }

    /** Sends to {@code NOTIFY_SOCKET} when it is set, else nothing. */
    static ServiceNotifier fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return none();
        }
        return new UnixDatagramNotifier(socket);
    }

    /**
     * How often to ping: half of {@code WATCHDOG_USEC} (microseconds), as sd_watchdog_enabled(3) advises; empty when
     * the unit has no {@code WatchdogSec=}, when {@code WATCHDOG_PID} names another process, or with no socket.
     */
    static Optional<Duration> watchdogPeriod(Map<String, String> env, long pid) {
        String socket = env.get("NOTIFY_SOCKET");
        String usec = env.get("WATCHDOG_USEC");
        if (socket == null || socket.isEmpty() || usec == null) {
            return Optional.empty();
        }
        String forPid = env.get("WATCHDOG_PID");
        if (forPid != null && !forPid.equals(Long.toString(pid))) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 2));
    }

    /** Sends nothing. */
    enum NoOp implements ServiceNotifier {
        INSTANCE;

        @Override
        public void send(String state) {
        }

        @Override
        public boolean enabled() {
            return false;
        }
    }
}
