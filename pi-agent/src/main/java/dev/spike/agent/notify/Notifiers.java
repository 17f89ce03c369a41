package dev.spike.agent.notify;

import dev.spike.agent.config.ConfigException;
import dev.spike.agent.config.NotifySettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;

/** Builds the configured notifiers, reading their secrets: a missing or unreadable secret file stops the agent. */
public final class Notifiers {

    private Notifiers() {
    }

    /** The notifiers {@code settings} configure, in a fixed order: ntfy, webhook, email. Empty when none. */
    public static List<Notifier> of(NotifySettings settings) throws ConfigException {
        return of(settings, null);
    }

    /** As {@link #of(NotifySettings)}, with the TLS sockets for e-mail (tests trust their own authority). */
    static List<Notifier> of(NotifySettings settings, SSLSocketFactory mailTls) throws ConfigException {
        Http http = new Http();
        List<Notifier> out = new ArrayList<>();
        if (settings.ntfyUrl() != null) {
            String token = settings.ntfyTokenFile() == null ? null
                    : Secrets.read(settings.ntfyTokenFile(), "notify.ntfy.tokenFile").strip(); // a token has no spaces
            out.add(new NtfyNotifier(URI.create(settings.ntfyUrl().strip()), token, http));
        }
        if (settings.webhookUrl() != null) {
            out.add(new WebhookNotifier(URI.create(settings.webhookUrl().strip()), http));
        }
        NotifySettings.Email email = settings.email();
        if (email != null) {
            String password = email.passwordFile() == null ? null
                    : Secrets.read(email.passwordFile(), "notify.email.passwordFile");
            out.add(new EmailNotifier(email, password, mailTls));
        }
        return out;
    }
}
