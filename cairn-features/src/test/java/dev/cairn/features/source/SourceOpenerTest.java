package dev.cairn.features.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.access.DataAccess;
import dev.cairn.core.error.CairnException;
import dev.cairn.features.definition.SourceDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feature store confined to directories (a server's pipelines) opens the SQLite file an applied definition names
 * inside them, as it opens any file there, and refuses one outside them and a database URL it was not given a
 * prefix for, naming the source's field.
 */
class SourceOpenerTest {
    @TempDir
    Path dir;

    private static SourceDefinition jdbc(String url) {
        return new SourceDefinition("customers", new SourceDefinition.JdbcLocation(url, "customers", null, null, null), "registered_at",
                null, null);
    }

    @Test
    void aConfinedStoreOpensAnSqliteFileInsideItsRootsOnly() throws Exception {
        Path inside = Files.createDirectories(dir.resolve("pipelines"));
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        SourceOpener opener = new SourceOpener(new DataAccess(List.of(inside), Map.of(), List.of()), Map.<String, String>of()::get);

        assertThat(opener.open(jdbc("jdbc:sqlite:" + inside.resolve("master.db")))).isNotNull();
        assertThatThrownBy(() -> opener.open(jdbc("jdbc:sqlite:" + outside.resolve("master.db"))))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.details()).containsEntry("field", "sources.customers.jdbc"));
        assertThatThrownBy(() -> opener.open(jdbc("jdbc:sqlite:" + inside.resolve("../elsewhere/master.db"))))
                .isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> opener.open(jdbc("jdbc:postgresql://db:5432/shop")))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage()).contains("sources.customers.jdbc")
                        .contains("a JDBC URL this feature store may open"));
        // A prefix the store was given still opens what it names.
        SourceOpener prefixed = new SourceOpener(new DataAccess(List.of(inside), Map.of(), List.of("jdbc:postgresql://db:5432/")),
                Map.<String, String>of()::get);
        assertThat(prefixed.open(jdbc("jdbc:postgresql://db:5432/shop"))).isNotNull();
    }
}
