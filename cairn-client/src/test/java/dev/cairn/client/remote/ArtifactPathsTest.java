package dev.cairn.client.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArtifactPathsTest {

    @Test
    @DisplayName("relative paths are kept, trailing slashes dropped, the root is empty")
    void goodPaths() {
        assertThat(ArtifactPaths.normalize("model/model.yaml")).isEqualTo("model/model.yaml");
        assertThat(ArtifactPaths.normalize("model/")).isEqualTo("model");
        assertThat(ArtifactPaths.normalize(null)).isEmpty();
        assertThat(ArtifactPaths.normalize("")).isEmpty();
        assertThat(ArtifactPaths.normalize("a..b/c")).as("'..' inside a name is a name").isEqualTo("a..b/c");
    }

    @Test
    @DisplayName("paths that could leave the root are INVALID_PARAMETER_VALUE naming the path")
    void badPaths() {
        for (String bad : List.of("../x", "a/../../x", "./x", "/abs", "C:/x", "a\\b", "a//b", "s3://b/k", "a\0b")) {
            CairnException e = catchThrowableOfType(CairnException.class, () -> ArtifactPaths.normalize(bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.details()).containsEntry("field", "path");
        }
        assertThat(catchThrowableOfType(CairnException.class, () -> ArtifactPaths.normalizeFile("/")).code())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    @DisplayName("joining, parents, base names and relative paths")
    void pathArithmetic() {
        assertThat(ArtifactPaths.join("", "a")).isEqualTo("a");
        assertThat(ArtifactPaths.join("a", "")).isEqualTo("a");
        assertThat(ArtifactPaths.join("a", "b/c")).isEqualTo("a/b/c");
        assertThat(ArtifactPaths.parent("a/b/c")).isEqualTo("a/b");
        assertThat(ArtifactPaths.parent("c")).isEmpty();
        assertThat(ArtifactPaths.baseName("a/b/c")).isEqualTo("c");
        assertThat(ArtifactPaths.relativeTo("model", "model/assets/x")).isEqualTo("assets/x");
        assertThat(ArtifactPaths.relativeTo("model", "model")).isEmpty();
        assertThat(ArtifactPaths.relativeTo("", "x")).isEqualTo("x");
    }
}
