package dev.cairn.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoreUrisTest {

    @Test
    @DisplayName("postgresql:// URIs become a JDBC URL and credentials, and the shown URI has no password")
    void postgresUris() {
        PostgresMetadataStoreProvider.Target target =
                PostgresMetadataStoreProvider.target("postgresql://cairn:s%40cret@db.local:5433/mlops?sslmode=require");
        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/mlops?sslmode=require");
        assertThat(target.user()).isEqualTo("cairn");
        assertThat(target.password()).isEqualTo("s@cret");
        assertThat(target.displayUri()).isEqualTo("postgresql://cairn@db.local:5433/mlops?sslmode=require").doesNotContain("cret");

        assertThat(PostgresMetadataStoreProvider.target("postgres://h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        PostgresMetadataStoreProvider.Target jdbc = PostgresMetadataStoreProvider.target("jdbc:postgresql://h:1/db?user=u&password=p");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://h:1/db?user=u&password=p");
        assertThat(jdbc.displayUri()).doesNotContain("password=p");
    }

    @Test
    @DisplayName("a postgresql URI without a host is refused without echoing the password")
    void badPostgresUri() {
        CairnException e = catchThrowableOfType(CairnException.class, () -> PostgresMetadataStoreProvider.target("postgresql://u:topsecret@/db"));
        assertThat(e.getMessage()).doesNotContain("topsecret");
    }

    @Test
    @DisplayName("SQLite URIs name absolute files: sqlite:/abs, sqlite:relative, sqlite:///relative, sqlite:////abs, jdbc:sqlite:")
    void sqliteUris() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(SqliteMetadataStoreProvider.path("sqlite:/data/cairn.db")).isEqualTo(Path.of("/data/cairn.db"));
        assertThat(SqliteMetadataStoreProvider.path("sqlite:cairn.db")).isEqualTo(cwd.resolve("cairn.db"));
        assertThat(SqliteMetadataStoreProvider.path("sqlite:///cairn.db")).isEqualTo(cwd.resolve("cairn.db"));
        assertThat(SqliteMetadataStoreProvider.path("sqlite:////data/cairn.db")).isEqualTo(Path.of("/data/cairn.db"));
        assertThat(SqliteMetadataStoreProvider.path("jdbc:sqlite:/data/cairn.db")).isEqualTo(Path.of("/data/cairn.db"));
        assertThat(catchThrowableOfType(CairnException.class, () -> SqliteMetadataStoreProvider.path("sqlite:")).getMessage())
                .contains("store_uri");
    }
}
