package dev.cairn.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.error.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataAccessTest {
    @TempDir
    Path dir;

    @Test
    void filesResolveInsideTheRootsOnlyAfterDotDotFileUrisAndSymbolicLinksAreResolved() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(root.resolve("in.csv"), "a\n1\n");
        Files.writeString(outside.resolve("secret.csv"), "a\n1\n");
        Files.createSymbolicLink(root.resolve("link.csv"), outside.resolve("secret.csv"));
        Files.createSymbolicLink(root.resolve("dir-link"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet.csv"));
        DataAccess access = DataAccess.roots(root);

        assertThat(access.file("f", "in.csv")).isEqualTo(root.resolve("in.csv").toRealPath());
        assertThat(access.file("f", root.resolve("in.csv").toString())).isEqualTo(root.resolve("in.csv").toRealPath());
        assertThat(access.file("f", root.resolve("in.csv").toUri().toString())).isEqualTo(root.resolve("in.csv").toRealPath());
        assertThat(access.file("f", "new/out.csv")).isEqualTo(root.resolve("new/out.csv"));
        for (String hostile : List.of("../outside/secret.csv", outside.resolve("secret.csv").toString(), "link.csv",
                "dir-link/secret.csv", "dir-link/new.csv", "dangling", "in.csv/../../outside/secret.csv",
                outside.resolve("secret.csv").toUri().toString(), "file://host/x.csv", "file:///etc/passwd",
                "*.csv", "s3://bucket/x.csv", "/etc/passwd", "a\0b")) {
            assertThatThrownBy(() -> access.file("source.path", hostile)).as(hostile).isInstanceOf(CairnException.class)
                    .satisfies(e -> {
                        assertThat(((CairnException) e).details()).containsEntry("field", "source.path");
                        assertThat(e.getMessage()).doesNotContain(root.toString());
                    });
        }
        assertThatThrownBy(() -> DataAccess.none().file("data", "in.csv")).hasMessageContaining("--data-root");
    }

    @Test
    void connectionsAreNamedAndRawUrlsAreRefusedWithTheirSecretsRedacted() {
        DataAccess access = DataAccess.none().withConnections(Map.of("master", "jdbc:sqlite:/data/master.db"));
        assertThat(access.connection("source.connection", "master")).isEqualTo("jdbc:sqlite:/data/master.db");
        assertThatThrownBy(() -> access.connection("source.connection", "jdbc:sqlite:/x.db")).hasMessageContaining("master");
        CairnException raw = access.rawJdbcUrl("source.jdbc_url", "jdbc:postgresql://u:pw@db/x?password=hunter2");
        assertThat(raw.getMessage()).doesNotContain("hunter2").doesNotContain("pw@").contains("source.jdbc_url");
        assertThat(access.allowsJdbc("jdbc:sqlite:/data/master.db")).isTrue();
        assertThat(access.allowsJdbc("jdbc:sqlite:/data/master.db.other")).isFalse();
        assertThatThrownBy(() -> new DataAccess(List.of(), Map.of("bad name", "jdbc:x"), List.of())).isInstanceOf(CairnException.class);
    }
}
