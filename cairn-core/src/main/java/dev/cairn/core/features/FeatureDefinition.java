package dev.cairn.core.features;

import java.time.Instant;
import java.util.Objects;

/**
 * One applied version of a named feature definition. Versions of a name count from 1; a new one is made only when
 * the definition changed (another {@code sha256}). Names are unique across kinds: an entity and a feature view do
 * not share one, so a name alone says which definition is meant.
 *
 * @param name      the definition's name
 * @param kind      what it defines
 * @param version   1, 2, ...
 * @param sha256    of {@code body}'s UTF-8 bytes (hex)
 * @param body      the definition as canonical JSON (what the feature store reads back)
 * @param source    where it was applied from (a file path), for people; may be null
 * @param createdBy who applied this version
 * @param createdAt when
 */
public record FeatureDefinition(String name, FeatureKind kind, long version, String sha256, String body, String source,
                                String createdBy, Instant createdAt) {
    public FeatureDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
