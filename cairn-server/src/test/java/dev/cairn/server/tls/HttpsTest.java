package dev.cairn.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.auth.Account;
import dev.cairn.core.auth.ApiToken;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.server.ServerMain;
import dev.cairn.server.ServerOptions;
import dev.cairn.server.auth.ApiTokens;
import dev.cairn.server.auth.AuthOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("HTTPS from PEM files: served, HTTP refused, credentials checked as over HTTP, renewals reloaded, bad files named")
class HttpsTest {

    /** Seeded, so that the keys (and so the test) are the same on every run. */
    private final SecureRandom random = seeded();

    @TempDir
    Path dir;

    @Test
    @DisplayName("the server answers HTTPS with the certificate, not plain HTTP; a token with one letter's case changed is refused on the same connection")
    void servesHttpsOnly() throws Exception {
        Issued first = issue("cairn-test-1", rsa());
        Path cert = write("cert.pem", first.certificatePem());
        Path key = write("key.pem", first.keyPem());
        String token = withUser();
        ServerOptions options = options().withTls(new TlsSettings(cert, key, TlsSettings.CHECK_EVERY));
        try (ServerMain.RunningServer running = ServerMain.start(options, Clock.systemUTC(), false)) {
            assertThat(running.url()).startsWith("https://");
            HttpClient client = trusting(first.certificate());
            HttpResponse<String> health = client.send(get(running.url() + "/health", null), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(served(health)).isEqualTo("CN=cairn-test-1");

            String altered = token.substring(0, token.length() - 1)
                    + (Character.isUpperCase(token.charAt(token.length() - 1)) ? token.substring(token.length() - 1).toLowerCase()
                    : token.substring(token.length() - 1).toUpperCase());
            String guarded = running.url() + "/api/v1/experiments";
            for (int i = 0; i < 2; i++) {
                assertThat(client.send(get(guarded, "Bearer " + token), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                if (!altered.equals(token)) {
                    assertThat(client.send(get(guarded, "Bearer " + altered), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
                }
            }

            String plain = running.url().replace("https://", "http://") + "/health";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(plain)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                // Jetty may answer a plain request on a TLS port with 400 rather than closing: either way no HTTP service.
                if (answer.statusCode() == 400) throw new IOException("400 from the TLS port");
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    @DisplayName("a renewed certificate written over the files is served without a restart; a broken renewal keeps the old one")
    void reloadsARenewal() throws Exception {
        Issued first = issue("cairn-test-1", rsa());
        Path cert = write("cert.pem", first.certificatePem());
        Path key = write("key.pem", first.keyPem());
        ServerOptions options = options().withTls(new TlsSettings(cert, key, Duration.ofMillis(100)));
        try (ServerMain.RunningServer running = ServerMain.start(options, Clock.systemUTC(), false)) {
            // A half-written renewal: the key is not the certificate's. The old certificate stays in service.
            Issued second = issue("cairn-test-2", ec());
            Files.writeString(cert, second.certificatePem());
            Thread.sleep(500);
            assertThat(served(trusting(first.certificate(), second.certificate()).send(get(running.url() + "/health", null),
                    HttpResponse.BodyHandlers.ofString()))).isEqualTo("CN=cairn-test-1");

            Files.writeString(key, second.keyPem());
            Instant deadline = Instant.now().plusSeconds(60);
            String subject = "";
            while (!subject.equals("CN=cairn-test-2") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                // A new client each time: a new handshake, not a resumed session.
                subject = served(trusting(first.certificate(), second.certificate()).send(get(running.url() + "/health", null),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(subject).isEqualTo("CN=cairn-test-2");
        }
    }

    @Test
    @DisplayName("PKCS#1 RSA and PKCS#8 EC keys load; a missing half, a foreign key, an encrypted key and a non-PEM file are refused naming the option")
    void badFilesAreNamed() throws Exception {
        Issued rsa = issue("rsa", rsa());
        Issued ec = issue("ec", ec());
        assertThat(rsa.keyPem()).contains("BEGIN RSA PRIVATE KEY");
        assertThat(ec.keyPem()).contains("BEGIN PRIVATE KEY");
        Path rsaCert = write("rsa.pem", rsa.certificatePem());
        Path rsaKey = write("rsa.key", rsa.keyPem());
        Path ecCert = write("ec.pem", ec.certificatePem());
        Path ecKey = write("ec.key", ec.keyPem());
        assertThat(PemKeyStore.load(new TlsSettings(rsaCert, rsaKey, null)).leaf().getSubjectX500Principal().getName()).isEqualTo("CN=rsa");
        assertThat(PemKeyStore.load(new TlsSettings(ecCert, ecKey, null)).leaf().getSubjectX500Principal().getName()).isEqualTo("CN=ec");

        assertRefused(() -> ServerOptions.parse(List.of("--tls-cert", rsaCert.toString())), "--tls-key");
        assertRefused(() -> ServerOptions.parse(List.of("--tls-key", rsaKey.toString())), "--tls-cert");
        assertRefused(() -> ServerOptions.parse(List.of("--tls-cert", dir.resolve("absent.pem").toString(), "--tls-key", rsaKey.toString())),
                "--tls-cert");
        assertRefused(() -> PemKeyStore.load(new TlsSettings(rsaCert, ecKey, null)), "--tls-key");
        Path encrypted = write("encrypted.key", pem(writer -> writer.writeObject(rsa.keys(),
                new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider()).setSecureRandom(random).build("secret".toCharArray()))));
        assertRefused(() -> PemKeyStore.load(new TlsSettings(rsaCert, encrypted, null)), "--tls-key");
        Path notPem = write("not.pem", "hello");
        assertRefused(() -> PemKeyStore.load(new TlsSettings(notPem, rsaKey, null)), "--tls-cert");
        assertRefused(() -> PemKeyStore.load(new TlsSettings(rsaCert, notPem, null)), "--tls-key");
    }

    private static void assertRefused(Runnable call, String option) {
        assertThatThrownBy(call::run).isInstanceOf(CairnException.class).hasMessageContaining(option)
                .hasMessageNotContaining("PRIVATE KEY-----\n");
    }

    private ServerOptions options() {
        return new ServerOptions("sqlite:" + dir.resolve("cairn.db"), dir.resolve("artifacts").toUri().toString(), "127.0.0.1", 0)
                .withAuth(new AuthOptions(true, false, Permission.READ, List.of()));
    }

    /** An account with an API token in the server's store (created before the server starts, as an admin would). */
    private String withUser() {
        ServerOptions options = options();
        try (MetadataStore store = Stores.openMetadata(options.storeUri(), options.artifactRoot())) {
            store.auth().createAccount("alice", Account.Kind.USER, null, false);
            ApiTokens.NewToken token = ApiTokens.generate();
            store.auth().createToken(new ApiToken(token.id(), "alice", "test", Permission.MANAGE, null, null, null), ApiTokens.sha256(token.token()));
            return token.token();
        }
    }

    private record Issued(X509Certificate certificate, KeyPair keys, String certificatePem, String keyPem) {}

    /** A self-signed certificate for localhost and 127.0.0.1 with the given common name. */
    private Issued issue(String commonName, KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        String algorithm = keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).setSecureRandom(random).build(keys.getPrivate())));
        String key = keys.getPrivate().getAlgorithm().equals("EC")
                ? pem(writer -> writer.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())))
                : pem(writer -> writer.writeObject(keys));
        return new Issued(certificate, keys, pem(writer -> writer.writeObject(certificate)), key);
    }

    private interface PemWrite {
        void to(JcaPEMWriter writer) throws IOException;
    }

    private static String pem(PemWrite write) throws IOException {
        Writer text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            write.to(writer);
        }
        return text.toString();
    }

    private KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
    }

    private KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static HttpClient trusting(X509Certificate... certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < certificates.length; i++) trusted.setCertificateEntry("c" + i, certificates[i]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpRequest get(String url, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) request.header("Authorization", authorization);
        return request.build();
    }

    private static String served(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static SecureRandom seeded() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(20261203L);
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
