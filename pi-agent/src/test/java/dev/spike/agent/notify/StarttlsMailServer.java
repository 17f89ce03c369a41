package dev.spike.agent.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * SubEtha SMTP on a loopback port: a server that offers STARTTLS, which GreenMail does not (greenmail issue #135).
 * It requires STARTTLS before anything but EHLO and QUIT, so a mail that arrives came over TLS, and records what it
 * saw: each completed STARTTLS handshake, each login with whether the session was encrypted then, and each mail.
 * {@link #refuse} makes it answer the end of a message's data with an SMTP error, as a server that refuses that
 * message (too big, spam) does; {@link #refuseRecipients} likewise for RCPT TO.
 */
final class StarttlsMailServer implements AutoCloseable {

    /** One mail as the server took it; {@code overTls} and {@code login} as of the end of its data. */
    record Mail(String from, List<String> to, String data, boolean overTls, String login) {
    }

    /** A login attempt: who, and whether STARTTLS had been done before the password came. */
    record Login(String user, boolean overTls, boolean accepted) {
    }

    private record Refusal(Predicate<String> which, int code, String text) {
    }

    private final SMTPServer server;
    private final List<String> handshakes = new CopyOnWriteArrayList<>();
    private final List<Login> logins = new CopyOnWriteArrayList<>();
    private final List<Mail> received = new CopyOnWriteArrayList<>();
    private volatile Refusal refusal;
    private volatile Refusal recipientRefusal;

    /**
     * @param tls      the server's key and certificate, used for STARTTLS
     * @param user     the one login it takes, or null to take mail without one
     * @param password that login's password
     */
    StarttlsMailServer(SSLContext tls, String user, String password) {
        SMTPServer.Builder builder = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .enableTLS().requireTLS()
                .startTlsSocketFactory(socket -> {
                    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, remote.getHostString(),
                            socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.addHandshakeCompletedListener(done -> handshakes.add(done.getSession().getProtocol()));
                    return ssl;
                })
                .messageHandlerFactory(Handler::new);
        if (user != null) {
            builder.requireAuth().authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(
                    (login, secret, context) -> {
                        boolean accepted = user.equals(login) && password.equals(secret);
                        logins.add(new Login(login, tlsStarted(context), accepted));
                        if (!accepted) {
                            throw new LoginFailedException();
                        }
                    }));
        }
        server = builder.build();
        server.start();
    }

    /** From now on, answers the end of the data of each message whose text matches with {@code code text}. */
    void refuse(Predicate<String> which, int code, String text) {
        refusal = new Refusal(which, code, text);
    }

    /** From now on, answers RCPT TO for each recipient that matches with {@code code text}. */
    void refuseRecipients(Predicate<String> which, int code, String text) {
        recipientRefusal = new Refusal(which, code, text);
    }

    int port() {
        return server.getPortAllocated();
    }

    /** The TLS protocols of the STARTTLS handshakes completed so far, in order. */
    List<String> handshakes() {
        return new ArrayList<>(handshakes);
    }

    List<Login> logins() {
        return new ArrayList<>(logins);
    }

    List<Mail> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        server.stop();
    }

    private static boolean tlsStarted(MessageContext context) {
        return context instanceof Session session && session.isTLSStarted();
    }

    private final class Handler implements MessageHandler {
        private final MessageContext context;
        private String from;
        private final List<String> to = new ArrayList<>();

        Handler(MessageContext context) {
            this.context = context;
        }

        @Override
        public void from(String address) {
            from = address;
        }

        @Override
        public void recipient(String address) throws RejectException {
            Refusal r = recipientRefusal;
            if (r != null && r.which().test(address)) {
                throw new RejectException(r.code(), r.text());
            }
            to.add(address);
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            String text = new String(data.readAllBytes(), StandardCharsets.UTF_8);
            Refusal r = refusal;
            if (r != null && r.which().test(text)) {
                throw new RejectException(r.code(), r.text());
            }
            String login = context.getAuthenticationHandler().map(h -> String.valueOf(h.getIdentity()))
                    .orElse(null);
            received.add(new Mail(from, List.copyOf(to), text, tlsStarted(context), login));
            return null;
        }

        @Override
        public void done() {
            // nothing held
        }
    }
}
