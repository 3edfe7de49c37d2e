package dev.cairn.train.data;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a data file's bytes: what a run records so a reproduction can tell the data changed. */
public final class Fingerprint {
    private Fingerprint() {}

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw CairnException.invalid("data", file.toString(), "a readable file (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "SHA-256 is not available", e);
        }
    }
}
