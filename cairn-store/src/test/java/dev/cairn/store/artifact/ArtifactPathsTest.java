package dev.cairn.store.artifact;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
