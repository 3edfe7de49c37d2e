package dev.cairn.core.store;

/**
 * A stored file or directory, by its path relative to the repository's root. For a file,
 * {@code sha256} is the hex digest recorded when it was written; null for a directory.
 */
public record ArtifactInfo(String path, boolean isDirectory, long size, String sha256) {}
