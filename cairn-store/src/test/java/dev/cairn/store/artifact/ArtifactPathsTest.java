package dev.cairn.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArtifactPathsTest {

    @Test
    @DisplayName("paths are normalised: repeated and trailing slashes and '.' segments disappear")
    void normalises() {
        assertThat(ArtifactPaths.normalize("a//b/./c/")).isEqualTo("a/b/c");
        assertThat(ArtifactPaths.normalize("")).isEmpty();
        assertThat(ArtifactPaths.normalize("./")).isEmpty();
        assertThat(ArtifactPaths.normalize("model.v1..bin")).as("dots inside a name are fine").isEqualTo("model.v1..bin");
        assertThat(ArtifactPaths.normalize("dir/.hidden")).as("other hidden names are the caller's").isEqualTo("dir/.hidden");
    }

    @Test
    @DisplayName("a child name joins a directory path with one slash, or stands alone at the root")
    void join() {
        assertThat(ArtifactPaths.join("", "x")).isEqualTo("x");
        assertThat(ArtifactPaths.join("a", "x")).isEqualTo("a/x");
    }

    @Test
    @DisplayName("a name over 255 bytes (UTF-8) or a path over 1024 bytes is refused naming the limit")
    void lengthLimits() {
        assertThat(ArtifactPaths.normalize("d/" + "a".repeat(255))).endsWith("a".repeat(255));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArtifactPaths.normalize("d/" + "a".repeat(256)))
                .isInstanceOfSatisfying(dev.cairn.core.error.CairnException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "path");
                    assertThat(e.getMessage()).contains("at most 255 bytes");
                });
        // 128 two-byte characters: 256 bytes although only 128 characters.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArtifactPaths.normalize("é".repeat(128)))
                .hasMessageContaining("at most 255 bytes");
        String deep = String.join("/", java.util.Collections.nCopies(11, "b".repeat(100)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ArtifactPaths.normalize(deep)).hasMessageContaining("at most 1024 bytes");
    }
}
