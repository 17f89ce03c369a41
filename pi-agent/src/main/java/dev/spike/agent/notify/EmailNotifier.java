package dev.spike.agent.notify;

import dev.spike.agent.config.NotifySettings;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends each notification as a plain-text e-mail through Jakarta Mail (Eclipse Angus Mail).
 *
 * <ul>
 *   <li>{@code smtp://host:port}: plain SMTP upgraded with STARTTLS when the server offers it. With a username the
 *       upgrade is required: a password never crosses the network in clear text.</li>
 *   <li>{@code smtps://host:port}: TLS from the first byte (port 465).</li>
 * </ul>
 * TLS checks the server's certificate against the JVM's authorities and its host name. Every wait is bounded. The
 * Message-ID is made from the notification's id, so a rare repeat is one mail to clients that dedupe. A permanent
 * refusal of the message itself is a {@link RefusedException}: the dispatcher does not send that one again.
 */
final class EmailNotifier implements Notifier {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final NotifySettings.Email settings;
    private final NotifySettings.Email.Server server;
    private final String password;
    private final Session session;

    /**
     * @param password    the SMTP password, or null without a username
     * @param tlsSockets  the TLS socket factory, or null for the JVM's default (tests trust their own authority)
     */
    EmailNotifier(NotifySettings.Email settings, String password, SSLSocketFactory tlsSockets) {
        this.settings = settings;
        this.server = settings.server();
        this.password = password;
        String protocol = server.tls() ? "smtps" : "smtp";
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol);
        props.put(p + "host", server.host());
        props.put(p + "port", String.valueOf(server.port()));
        String ms = String.valueOf(TIMEOUT.toMillis());
        props.put(p + "connectiontimeout", ms);
        props.put(p + "timeout", ms);
        props.put(p + "writetimeout", ms);
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "auth", String.valueOf(settings.username() != null));
        if (!server.tls()) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", String.valueOf(settings.username() != null));
        } else {
            props.put(p + "ssl.enable", "true");
        }
        if (tlsSockets != null) {
            props.put(p + "ssl.socketFactory", tlsSockets);
        }
        this.session = Session.getInstance(props);
    }

    @Override
    public String name() {
        return "email";
    }

    @Override
    public String target() {
        return server + " to " + String.join(", ", settings.to())
                + (settings.username() == null ? "" : " as " + settings.username());
    }

    @Override
    public void send(Notification n) throws DeliveryException {
        try {
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + n.id() + "@spike-agent>");
                }
            };
            message.setFrom(new InternetAddress(settings.from(), true));
            message.setRecipients(Message.RecipientType.TO, recipients(settings.to()));
            message.setSubject(n.title(), "UTF-8");
            message.setSentDate(new Date(n.at().toEpochMilli()));
            message.setText(n.text() + "\n\n-- \nSpike agent " + n.agentId() + ", notification " + n.id() + "\n",
                    "UTF-8");
            if (n.priority() != Notification.Priority.DEFAULT) {
                message.setHeader("Importance", "high");
                message.setHeader("X-Priority", n.priority() == Notification.Priority.URGENT ? "1" : "2");
            }
            message.saveChanges();
            try (Transport transport = session.getTransport()) {
                if (settings.username() != null) {
                    transport.connect(server.host(), server.port(), settings.username(), password);
                } else {
                    transport.connect();
                }
                transport.sendMessage(message, message.getAllRecipients());
            }
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException(server + " refused the login of " + settings.username() + ": "
                    + oneLine(e) + "; check notify.email.username and the first line of notify.email.passwordFile",
                    e);
        } catch (SendFailedException e) {
            if (e instanceof SMTPSendFailedException smtp && refusesTheMessage(smtp)) {
                throw new RefusedException(server + " refused this notification with " + smtp.getReturnCode() + " ("
                        + quote(oneLine(e)) + "): sending it again would not help", e);
            }
            throw new DeliveryException(server + " refused the message: " + withAnswers(e)
                    + "; check notify.email.from and notify.email.to (a server may only let its own users send)", e);
        } catch (MessagingException e) {
            throw new DeliveryException(describe(e), e);
        }
    }

    /**
     * A permanent (5xx) answer to DATA or to the end of the message's data: the server took the sender and the
     * recipients but refuses this message (too big, taken for spam). A 5xx to MAIL FROM or RCPT TO is about the
     * configured addresses instead, and a 4xx is temporary: both are retried.
     */
    static boolean refusesTheMessage(SMTPSendFailedException e) {
        String command = e.getCommand() == null ? "" : e.getCommand().strip();
        return e.getReturnCode() / 100 == 5 && (command.equals(".") || command.equalsIgnoreCase("DATA"));
    }

    /** "Invalid Addresses" alone says little: Angus chains the server's answer for each refused address. */
    private static String withAnswers(MessagingException e) {
        List<String> answers = new ArrayList<>();
        Exception next = e.getNextException();
        while (next != null && answers.size() < 5) {
            answers.add(oneLine(next));
            next = next instanceof MessagingException m ? m.getNextException() : null;
        }
        return quote(oneLine(e) + (answers.isEmpty() ? "" : " (" + String.join("; ", answers) + ")"));
    }

    private static String quote(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private String describe(MessagingException e) {
        Throwable cause = e;
        boolean tls = false;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
            // Angus Mail reports a certificate for another host as an IOException "Can't verify identity of server"
            tls |= cause instanceof SSLException || String.valueOf(cause.getMessage()).contains("identity of server");
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + server.host() + "; check notify.email.smtp and the network's DNS";
        }
        if (cause instanceof ConnectException) {
            return "cannot connect to " + server + ": " + cause.getMessage() + "; check the host and port in"
                    + " notify.email.smtp and that the server runs";
        }
        if (cause instanceof SocketTimeoutException) {
            return server + " did not answer within " + TIMEOUT.toSeconds() + " s; check notify.email.smtp and the"
                    + " network (some providers block port 25: use 587 or smtps:// on 465)";
        }
        if (tls || cause instanceof SSLException || cause instanceof java.security.cert.CertificateException) {
            return "TLS with " + server + " failed: " + cause.getMessage() + "; check that the host name in"
                    + " notify.email.smtp is the one in the server's certificate, and smtp:// (STARTTLS) versus"
                    + " smtps:// for the port";
        }
        String text = oneLine(e);
        if (text.contains("STARTTLS")) {
            return server + " does not offer STARTTLS, and the agent sends no password in clear text; use smtps://"
                    + " or a server that offers STARTTLS (" + text + ")";
        }
        return "sending through " + server + " failed: " + text + "; check notify.email.smtp";
    }

    private static String oneLine(Exception e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        return text.replaceAll("\\s+", " ").strip();
    }

    private static InternetAddress[] recipients(List<String> to) throws AddressException {
        InternetAddress[] out = new InternetAddress[to.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new InternetAddress(to.get(i), true);
        }
        return out;
    }
}
