package dev.spike.agent.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.agent.config.NotifySettings;
import dev.spike.agent.link.mosquitto.TestCertificates;
import java.nio.file.Path;
import java.time.Instant;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e-mail notifier against real SMTP servers in the test JVM: GreenMail for SMTPS with a login and a certificate
 * for localhost from a test authority (host name checked), and for the refusal to send a password over plain SMTP
 * without STARTTLS; SubEtha SMTP ({@link StarttlsMailServer}) for the STARTTLS upgrade of {@code smtp://}, with the
 * same certificate, and for a server that refuses a message.
 */
class EmailNotifierTest {

    @TempDir
    static Path certs;

    static TestCertificates authority;

    MailServer server;
    StarttlsMailServer starttls;

    @BeforeAll
    static void tlsForGreenMail() throws Exception {
        authority = TestCertificates.authority(certs);
        TestCertificates.ServerCertificate cert = authority.issueServer("mail", "DNS:localhost");
        Path keystore = certs.resolve("mail.p12");
        Process openssl = new ProcessBuilder("openssl", "pkcs12", "-export", "-in", cert.certFile().toString(),
                "-inkey", cert.keyFile().toString(), "-out", keystore.toString(), "-passout", "pass:changeit", "-name",
                "greenmail").redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(openssl.waitFor()).as("openssl pkcs12: %s", output).isZero();
        // read by GreenMail when its first TLS server starts in this JVM; no other test class starts one
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", "changeit");
        System.setProperty("greenmail.tls.key.password", "changeit");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (starttls != null) {
            starttls.close();
        }
    }

    /** The server side of TLS: the key and the certificate for localhost that GreenMail's SMTPS uses too. */
    private static SSLContext serverTls() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.resolve("mail.p12"))) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static SSLSocketFactory trustingTheTestAuthority() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, authority.trustManagerFactory().getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static Notification notification() {
        Instant at = Instant.parse("2026-06-01T12:02:00Z");
        return new Notification("terrarium-1-runaway-raised", "terrarium", Subject.RUNAWAY,
                Notification.State.RAISED, Notification.Priority.URGENT, at, at, "Spike terrarium: valve budget used up",
                "Valve budget used up since 14:02: the valve refuses to open. Humidity 58 °C… ünïcödé.");
    }

    @Test
    void sendsOverSmtpsWithALoginAndAVerifiedCertificate() throws Exception {
        server = new MailServer("smtps").user("keeper", "s3cret");
        NotifySettings.Email settings = new NotifySettings.Email("smtps://localhost:" + server.port(),
                "spike@example.org", List.of("keeper@example.org"), "keeper", Path.of("unused"));

        new EmailNotifier(settings, "s3cret", trustingTheTestAuthority()).send(notification());

        assertThat(server.received()).singleElement().satisfies(mail -> {
            assertThat(mail.subject()).isEqualTo("Spike terrarium: valve budget used up");
            assertThat(mail.text()).startsWith("Valve budget used up since 14:02").contains("ünïcödé");
            assertThat(mail.messageId()).isEqualTo("<terrarium-1-runaway-raised@spike-agent>");
        });
    }

    @Test
    void aWrongPasswordIsAnErrorThatNamesTheKeys() throws Exception {
        server = new MailServer("smtps").user("keeper", "s3cret");
        NotifySettings.Email settings = new NotifySettings.Email("smtps://localhost:" + server.port(),
                "spike@example.org", List.of("keeper@example.org"), "keeper", Path.of("unused"));

        assertThatThrownBy(() -> new EmailNotifier(settings, "wrong", trustingTheTestAuthority())
                .send(notification())).isInstanceOf(DeliveryException.class)
                .hasMessageContaining("refused the login of keeper")
                .hasMessageContaining("notify.email.passwordFile");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        server = new MailServer("smtps");
        // the certificate names localhost only, not the address the same server is reached by here
        NotifySettings.Email settings = new NotifySettings.Email("smtps://127.0.0.1:" + server.port(),
                "spike@example.org", List.of("keeper@example.org"), null, null);

        assertThatThrownBy(() -> new EmailNotifier(settings, null, trustingTheTestAuthority()).send(notification()))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("TLS with smtps://127.0.0.1")
                .hasMessageContaining("certificate");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void neverSendsAPasswordOverPlainSmtpWithoutStarttls() throws Exception {
        server = new MailServer("smtp").user("keeper", "s3cret");
        NotifySettings.Email settings = new NotifySettings.Email(server.url(), "spike@example.org",
                List.of("keeper@example.org"), "keeper", Path.of("unused"));

        assertThatThrownBy(() -> new EmailNotifier(settings, "s3cret", null).send(notification()))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("STARTTLS");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void sendsOverPlainSmtpWithoutALogin() throws Exception {
        server = new MailServer("smtp");
        NotifySettings.Email settings = new NotifySettings.Email(server.url(), "spike@example.org",
                List.of("keeper@example.org"), null, null);

        new EmailNotifier(settings, null, null).send(notification());

        assertThat(server.received()).singleElement().satisfies(mail -> assertThat(mail.importance())
                .isEqualTo("high"));
    }

    @Test
    void upgradesPlainSmtpWithStarttlsAndLogsInOverIt() throws Exception {
        starttls = new StarttlsMailServer(serverTls(), "keeper", "s3cret");
        NotifySettings.Email settings = new NotifySettings.Email("smtp://localhost:" + starttls.port(),
                "spike@example.org", List.of("keeper@example.org"), "keeper", Path.of("unused"));

        new EmailNotifier(settings, "s3cret", trustingTheTestAuthority()).send(notification());

        // the server takes nothing but EHLO, STARTTLS and QUIT before the upgrade: the mail came over TLS
        assertThat(starttls.handshakes()).singleElement().asString().startsWith("TLSv1.");
        assertThat(starttls.logins()).containsExactly(new StarttlsMailServer.Login("keeper", true, true));
        assertThat(starttls.received()).singleElement().satisfies(mail -> {
            assertThat(mail.overTls()).isTrue();
            assertThat(mail.login()).isEqualTo("keeper");
            assertThat(mail.from()).isEqualTo("spike@example.org");
            assertThat(mail.to()).containsExactly("keeper@example.org");
            assertThat(mail.data()).contains("Subject: Spike terrarium: valve budget used up")
                    .contains("Message-ID: <terrarium-1-runaway-raised@spike-agent>");
        });
    }

    @Test
    void upgradesWithStarttlsWhenOfferedEvenWithoutALogin() throws Exception {
        starttls = new StarttlsMailServer(serverTls(), null, null);
        NotifySettings.Email settings = new NotifySettings.Email("smtp://localhost:" + starttls.port(),
                "spike@example.org", List.of("keeper@example.org"), null, null);

        new EmailNotifier(settings, null, trustingTheTestAuthority()).send(notification());

        assertThat(starttls.handshakes()).hasSize(1);
        assertThat(starttls.received()).singleElement().satisfies(mail -> assertThat(mail.overTls()).isTrue());
    }

    @Test
    void aStarttlsCertificateForAnotherHostIsRefusedBeforeThePassword() throws Exception {
        starttls = new StarttlsMailServer(serverTls(), "keeper", "s3cret");
        // the certificate names localhost only, not the address the same server is reached by here
        NotifySettings.Email settings = new NotifySettings.Email("smtp://127.0.0.1:" + starttls.port(),
                "spike@example.org", List.of("keeper@example.org"), "keeper", Path.of("unused"));

        assertThatThrownBy(() -> new EmailNotifier(settings, "s3cret", trustingTheTestAuthority())
                .send(notification())).isInstanceOf(DeliveryException.class)
                .hasMessageContaining("TLS with smtp://127.0.0.1");
        assertThat(starttls.logins()).isEmpty();
        assertThat(starttls.received()).isEmpty();
    }

    private StarttlsMailServer starttlsWithoutLogin() throws Exception {
        starttls = new StarttlsMailServer(serverTls(), null, null);
        return starttls;
    }

    private EmailNotifier notifierFor(StarttlsMailServer mailServer) throws Exception {
        return new EmailNotifier(new NotifySettings.Email("smtp://localhost:" + mailServer.port(),
                "spike@example.org", List.of("keeper@example.org"), null, null), null, trustingTheTestAuthority());
    }

    @Test
    void aMessageTheServerRefusesForGoodIsARefusalNotAFailureToRetry() throws Exception {
        starttlsWithoutLogin().refuse(text -> text.contains("valve budget"), 554,
                "5.7.1 Message rejected as spam");

        assertThatThrownBy(() -> notifierFor(starttls).send(notification())).isInstanceOf(RefusedException.class)
                .hasMessageContaining("refused this notification with 554")
                .hasMessageContaining("5.7.1 Message rejected as spam");
        assertThat(starttls.received()).isEmpty();
    }

    @Test
    void aTemporaryRefusalOfTheMessageIsRetried() throws Exception {
        starttlsWithoutLogin().refuse(text -> true, 451, "4.3.0 Try again later");

        assertThatThrownBy(() -> notifierFor(starttls).send(notification())).isInstanceOf(DeliveryException.class)
                .isNotInstanceOf(RefusedException.class).hasMessageContaining("451");
    }

    @Test
    void aRefusedRecipientIsASetUpProblemAndRetried() throws Exception {
        // fixing notify.email.to and restarting delivers what is owed
        starttlsWithoutLogin().refuseRecipients(to -> true, 550, "5.1.1 No such user");

        assertThatThrownBy(() -> notifierFor(starttls).send(notification())).isInstanceOf(DeliveryException.class)
                .isNotInstanceOf(RefusedException.class).hasMessageContaining("No such user")
                .hasMessageContaining("notify.email.to");
    }
}
