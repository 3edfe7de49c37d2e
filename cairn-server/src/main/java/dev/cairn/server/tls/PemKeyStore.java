package dev.cairn.server.tls;

import dev.cairn.core.error.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * An in-memory key store from PEM files: the certificate chain (leaf first, as every CA bundles it) and the private
 * key in any of the encodings OpenSSL writes ({@code PRIVATE KEY} PKCS#8, {@code RSA PRIVATE KEY} PKCS#1,
 * {@code EC PRIVATE KEY} SEC1), parsed by Bouncy Castle rather than by hand. Encrypted keys are refused with a
 * message saying so: a password would have to live beside the key anyway.
 */
final class PemKeyStore {

    static final String ALIAS = "cairn";

    private PemKeyStore() {}

    /** The key store and the random password that protects its entry in memory. */
    record Loaded(KeyStore keyStore, char[] password, X509Certificate leaf) {}

    static Loaded load(TlsSettings settings) {
        List<X509Certificate> chain = certificates(settings.certificate());
        PrivateKey key = privateKey(settings.privateKey());
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw CairnException.invalid("--tls-key", settings.privateKey(), "the private key of the certificate in --tls-cert "
                    + "(the certificate's key is " + chain.getFirst().getPublicKey().getAlgorithm() + ", this one " + key.getAlgorithm() + ")");
        }
        try {
            char[] password = randomPassword();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, chain.toArray(Certificate[]::new));
            return new Loaded(store, password, chain.getFirst());
        } catch (GeneralSecurityException | IOException e) {
            throw CairnException.invalid("--tls-key", settings.privateKey(), "a private key matching --tls-cert (" + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) throw new GeneralSecurityException("no certificate");
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw CairnException.invalid("--tls-cert", file, "a PEM file of certificates (-----BEGIN CERTIFICATE-----), leaf first");
        }
    }

    private static PrivateKey privateKey(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw CairnException.invalid("--tls-key", file, "an unencrypted PEM private key (decrypt it with "
                            + "`openssl pkey -in KEY -out KEY.pem` and protect the file's permissions instead)");
                }
                if (object instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
                if (object instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            // falls through to the refusal: the message names the file, never its content
        }
        throw CairnException.invalid("--tls-key", file, "a PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        char[] password = Base64.getEncoder().encodeToString(bytes).toCharArray();
        Arrays.fill(bytes, (byte) 0);
        return password;
    }
}
