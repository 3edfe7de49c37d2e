package dev.cairn.core.hash;

import dev.cairn.core.error.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SHA-256 in lower-case hex: how Cairn names data files, model files and artifacts by content.
 * The one implementation every module uses. Every Java runtime must provide the algorithm, so its
 * absence is a bug, not an input error.
 */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** Cloned for each new digest: a clone skips {@link MessageDigest#getInstance}'s provider look-up (API tokens hash per request). */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {}

    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The digest's value in hex; the digest is reset. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** The digest of everything left in {@code in} (which is not closed). */
    public static String of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
        return hex(digest);
    }

    /** The digest of a file's bytes; an unreadable file is an input error naming {@code field} and the file. */
    public static String of(Path file, String field) {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        } catch (IOException | UncheckedIOException e) {
            throw CairnException.invalid(field, file.toString(), "a readable file (" + e.getMessage() + ")");
        }
    }

    /**
     * The digest of a Parquet directory as Spark writes one: the bytes of its {@code .parquet} part files, in name order
     * (Spark's {@code _SUCCESS} and checksum files left out), as cairn-spark's training sets digest theirs on Hadoop's file
     * systems; an unreadable directory is an input error naming {@code field}.
     */
    public static String ofDirectory(Path directory, String field) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (Stream<Path> files = Files.list(directory)) {
            for (Path part : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(part)) {
                    for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw CairnException.invalid(field, directory.toString(), "a readable directory (" + e.getMessage() + ")");
        }
        return hex(digest);
    }

    public static boolean isHex(String value) {
        return value != null && HEX.matcher(value).matches();
    }
}
