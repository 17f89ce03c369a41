package dev.spike.agent.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * GreenMail's SMTP server on a loopback port, with outages: {@link #stop()} refuses connections until
 * {@link #start()} brings a new server up on the same port. What every instance received is kept.
 */
final class MailServer implements AutoCloseable {

    /** One received mail, read while its server was up. */
    record Mail(String from, List<String> to, String subject, String text, String messageId, String importance) {
    }

    private final String protocol;
    private final List<Mail> earlier = new ArrayList<>();
    private GreenMail greenMail;
    private int port;
    private String user;
    private String password;

    /** @param protocol {@code smtp} (STARTTLS offered) or {@code smtps} */
    MailServer(String protocol) {
        this.protocol = protocol;
        start();
    }

    /** Requires this login from now on (GreenMail then refuses senders without it). */
    MailServer user(String login, String secret) {
        this.user = login;
        this.password = secret;
        greenMail.setUser(login + "@example.org", login, secret);
        return this;
    }

    synchronized MailServer start() {
        if (greenMail != null) {
            return this;
        }
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
        if (port == 0) {
            setup = setup.dynamicPort();
        }
        greenMail = new GreenMail(setup);
        greenMail.start();
        port = protocol.equals("smtps") ? greenMail.getSmtps().getPort() : greenMail.getSmtp().getPort();
        if (user != null) {
            greenMail.setUser(user + "@example.org", user, password);
        }
        return this;
    }

    synchronized void stop() {
        if (greenMail != null) {
            earlier.addAll(current());
            greenMail.stop();
            greenMail = null;
        }
    }

    int port() {
        return port;
    }

    String url() {
        return protocol + "://127.0.0.1:" + port;
    }

    synchronized List<Mail> received() {
        List<Mail> all = new ArrayList<>(earlier);
        all.addAll(current());
        return all;
    }

    private List<Mail> current() {
        List<Mail> out = new ArrayList<>();
        if (greenMail == null) {
            return out;
        }
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            try {
                List<String> to = new ArrayList<>();
                for (var address : m.getAllRecipients()) {
                    to.add(address.toString());
                }
                out.add(new Mail(m.getFrom()[0].toString(), to, m.getSubject(), String.valueOf(m.getContent()),
                        m.getMessageID(), m.getHeader("Importance", null)));
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("cannot read a received mail", e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        stop();
    }
}
