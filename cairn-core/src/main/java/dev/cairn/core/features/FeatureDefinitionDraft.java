package dev.cairn.core.features;

import dev.cairn.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A definition to apply: its name and kind, its canonical JSON {@code body} and where it came from. Its version is
 * the store's to give; its {@link #sha256()} decides whether it is a new one.
 */
public record FeatureDefinitionDraft(String name, FeatureKind kind, String body, String source) {
    public FeatureDefinitionDraft {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
    }

    /** The SHA-256 (hex) of the body's UTF-8 bytes. */
    public String sha256() {
        return Sha256.of(body.getBytes(StandardCharsets.UTF_8));
    }
}
