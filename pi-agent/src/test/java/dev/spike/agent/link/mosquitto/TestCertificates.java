package dev.spike.agent.link.mosquitto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away private certificate authority for TLS tests, made with the openssl CLI and the same commands as
 * docs/deploy-mosquitto.md (EC P-256 keys, a CA limited to signing, server certificates with subjectAltName and
 * extendedKeyUsage serverAuth), so the documented commands are exercised on every build.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.authority(dir);
 * TestCertificates.ServerCertificate localhost = ca.issueServer("localhost", "DNS:localhost", "IP:127.0.0.1");
 * }</pre>
 */
public final class TestCertificates {

    /** A server certificate and its unencrypted private key, both PEM, as mosquitto's certfile/keyfile want. */
    public record ServerCertificate(Path certFile, Path keyFile) {
    }

    /** Two days: long enough for any build, short enough that a leaked test key is worthless. */
    private static final String DAYS = "2";

    private final Path dir;
    private final Path openssl;
    private final Path caKey;
    private final Path caFile;

    private TestCertificates(Path dir, Path openssl) {
        this.dir = dir;
        this.openssl = openssl;
        this.caKey = dir.resolve("ca.key");
        this.caFile = dir.resolve("ca.crt");
    }

    /** Creates a new CA (ca.key, ca.crt) in {@code dir}, which must exist. */
    public static TestCertificates authority(Path dir) {
        TestCertificates ca = new TestCertificates(dir, ExternalCommand.require("openssl", "openssl"));
        ca.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ca.caKey);
        ca.openssl("req", "-x509", "-new", "-key", ca.caKey, "-sha256", "-days", DAYS,
                "-subj", "/CN=Spike test CA",
                "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", ca.caFile);
        return ca;
    }

    /**
     * Issues a server certificate signed by this CA. {@code subjectAltNames} are openssl's form ("DNS:localhost",
     * "IP:127.0.0.1"); clients verify the host name against them, never against the CN.
     *
     * @param name file name stem, unique within this CA's directory
     */
    public ServerCertificate issueServer(String name, String... subjectAltNames) {
        if (subjectAltNames.length == 0) {
            throw new IllegalArgumentException("subjectAltNames must name at least one host, was none");
        }
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path extensions = dir.resolve(name + ".ext");
        Path cert = dir.resolve(name + ".crt");
        String commonName = subjectAltNames[0].substring(subjectAltNames[0].indexOf(':') + 1);
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
        openssl("req", "-new", "-key", key, "-subj", "/CN=" + commonName, "-out", csr);
        try {
            Files.writeString(extensions, String.join("\n",
                    "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical,digitalSignature",
                    "extendedKeyUsage=serverAuth",
                    "subjectAltName=" + String.join(",", subjectAltNames),
                    ""), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + extensions + ": " + e.getMessage(), e);
        }
        openssl("x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey,
                "-CAcreateserial", "-CAserial", dir.resolve("ca.srl"),
                "-days", DAYS, "-sha256", "-extfile", extensions, "-out", cert);
        return new ServerCertificate(cert, key);
    }

    /** The CA certificate (PEM): what a client trusts, and what {@code MosquittoBroker.caFile()} returns. */
    public Path caFile() {
        return caFile;
    }

    /** Trusts this CA and nothing else, for {@code Mqtt5ClientBuilder.sslConfig().trustManagerFactory(...)}. */
    public TrustManagerFactory trustManagerFactory() {
        try (InputStream in = Files.newInputStream(caFile)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("spike-test-ca", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test CA " + caFile + ": " + e.getMessage(), e);
        }
    }

    private void openssl(Object... arguments) {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        for (Object argument : arguments) {
            command.add(argument.toString());
        }
        ExternalCommand.run(dir, command);
    }
}
