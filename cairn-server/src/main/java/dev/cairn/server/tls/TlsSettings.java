package dev.cairn.server.tls;

import dev.cairn.core.error.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * HTTPS from a PEM certificate chain and its private key ({@code --tls-cert FILE --tls-key FILE}), the files a
 * certificate authority or cert-manager hands out. The server then listens for HTTPS only; the files are read again
 * when they change, so a renewed certificate is served without a restart.
 */
public record TlsSettings(Path certificate, Path privateKey, Duration checkEvery) {

    /** How often the files are checked for a renewal. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(30);

    public TlsSettings {
        certificate = readable("--tls-cert", certificate);
        privateKey = readable("--tls-key", privateKey);
        if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) checkEvery = CHECK_EVERY;
    }

    /** Both options or neither: one alone is a mistake, named. */
    public static TlsSettings of(String certificate, String privateKey) {
        if (certificate == null && privateKey == null) return null;
        if (certificate == null) throw CairnException.invalid("--tls-cert", null, "a PEM certificate file with --tls-key");
        if (privateKey == null) throw CairnException.invalid("--tls-key", null, "a PEM private key file with --tls-cert");
        return new TlsSettings(Path.of(certificate), Path.of(privateKey), CHECK_EVERY);
    }

    private static Path readable(String option, Path file) {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw CairnException.invalid(option, file, "a readable PEM file");
        }
        return file.toAbsolutePath().normalize();
    }
}
