package dev.cairn.core.features;

import java.util.Objects;

/**
 * What applying one definition did: {@code definition} is the version now current; {@code created} is false when the
 * definition was unchanged (its latest version already had this SHA-256), so nothing was stored.
 */
public record AppliedFeatureDefinition(FeatureDefinition definition, boolean created) {
    public AppliedFeatureDefinition {
        Objects.requireNonNull(definition, "definition");
    }
}
