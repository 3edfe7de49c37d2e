package dev.cairn.core.tracking;

/**
 * A dataset as MLflow 2 records it: a name, a content digest, where it came from
 * ({@code sourceType} such as "local", "s3", "jdbc" and {@code source} as JSON), and optionally
 * its schema and profile as JSON strings.
 */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {}
