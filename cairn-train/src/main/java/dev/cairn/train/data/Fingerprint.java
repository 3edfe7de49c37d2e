package dev.cairn.train.data;

import dev.cairn.core.hash.Sha256;
import java.nio.file.Path;

/** The SHA-256 of a data file's bytes: what a run records so a reproduction can tell the data changed. */
public final class Fingerprint {
    private Fingerprint() {}

    public static String sha256(Path file) {
        return Sha256.of(file, "data");
    }

    public static String sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }
}
