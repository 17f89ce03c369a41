package dev.spike.agent.notify;

import dev.spike.agent.config.AgentConfig;
import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.ConfigFileOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code spike-agent notify-test}: sends one test message through every configured notifier, right now and
 * without the outbox, and prints one line per notifier: {@code OK} or {@code FAIL} with what to check.
 */
@Command(name = "notify-test",
        description = {"Sends a test message through every notifier configured in the agent's config (ntfy,"
                + " webhook, e-mail) and prints each result, so the keeper can check the set-up from the Pi.", ""},
        exitCodeList = {"0:every notifier delivered", "1:a notifier failed, or none is configured",
            "2:bad flag or config file (also a missing or unreadable secret file)"})
public final class NotifyTestCommand implements Callable<Integer> {

    @Mixin
    ConfigFileOptions options;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    public NotifyTestCommand() {
        this(Clock.systemUTC());
    }

    NotifyTestCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path configFile = options.configFile();
        AgentConfig config;
        List<Notifier> notifiers;
        try {
            config = AgentConfig.load(configFile);
            notifiers = Notifiers.of(config.alerts());
        } catch (ConfigException e) {
            err.println("spike-agent notify-test: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (notifiers.isEmpty()) {
            out.println("no notifier configured in " + configFile + ": set notify.ntfy.url, notify.webhook.url or"
                    + " notify.email.smtp (see docs/alerts.md)" + (config.alerts().heartbeatUrl() == null ? ""
                    : "; heartbeat.url is set, but the heartbeat is not a notifier and is not tested here"));
            out.flush();
            return 1;
        }
        AlertPolicy policy = new AlertPolicy(config.agentId(), config.rules().timeZone(), java.time.Duration.ofHours(
                config.alerts().remindEveryH()));
        int failed = 0;
        for (Notifier notifier : notifiers) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Notification test = policy.apply(AlertPolicy.State.EMPTY, new AlertPolicy.Input.Notice(Subject.TEST, now,
                    Descriptions.test(notifier.name() + " (" + notifier.target() + ")")), now).notifications().get(0);
            try {
                notifier.send(test);
                out.printf("OK    %-8s delivered to %s%n", notifier.name(), notifier.target());
            } catch (DeliveryException e) {
                failed++;
                out.printf("FAIL  %-8s %s%n", notifier.name(), e.getMessage());
            }
            out.flush();
        }
        if (config.alerts().heartbeatUrl() != null) {
            out.println("-     heartbeat not tested: a ping would tell the service the agent is up; the agent pings"
                    + " it when it runs");
        }
        out.println(failed == 0 ? notifiers.size() + " delivered" : failed + " of " + notifiers.size() + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
