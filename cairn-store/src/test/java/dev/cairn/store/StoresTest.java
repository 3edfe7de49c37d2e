package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

    @TempDir
    Path folder;

    @Test
    @DisplayName("an unknown metadata scheme is refused with the registered schemes listed")
    void unknownMetadataScheme() {
        CairnException e = catchThrowableOfType(CairnException.class, () -> Stores.openMetadata("mysql://host/db", "file:/tmp/a"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("'mysql'").contains("postgresql").contains("sqlite");
    }

    @Test
    @DisplayName("an unknown artifact scheme is refused with the registered schemes listed")
    void unknownArtifactScheme() {
        CairnException e = catchThrowableOfType(CairnException.class, () -> Stores.openArtifacts("ftp://host/x"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).contains("'ftp'").contains("registered schemes are");
    }

    @Test
    @DisplayName("an unreachable PostgreSQL server is TEMPORARILY_UNAVAILABLE, and the error does not show the password")
    void unreachablePostgres() {
        CairnException e = catchThrowableOfType(CairnException.class,
                () -> Stores.openMetadata("postgresql://cairn:hunter2@127.0.0.1:1/cairn", "file:/tmp/a"));
        assertThat(e.code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
        assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain("hunter2");
    }

    @Test
    @DisplayName("schemes are read from URIs; jdbc: prefixes and plain or Windows paths are understood")
    void schemes() {
        assertThat(Stores.scheme("sqlite:/a/b.db")).isEqualTo("sqlite");
        assertThat(Stores.scheme("jdbc:sqlite:/a/b.db")).isEqualTo("sqlite");
        assertThat(Stores.scheme("jdbc:postgresql://h/db")).isEqualTo("postgresql");
        assertThat(Stores.scheme("PostgreSQL://h/db")).isEqualTo("postgresql");
        assertThat(Stores.scheme("s3://bucket/prefix")).isEqualTo("s3");
        assertThat(Stores.scheme("/plain/path")).isNull();
        assertThat(Stores.scheme("relative/path")).isNull();
        assertThat(Stores.scheme("C:\\\\data\\\\cairn")).isNull();
    }

    @Test
    @DisplayName("sqlite:, jdbc:sqlite: and plain paths open the same SQLite file, creating its folder")
    void sqliteUriForms() {
        Path file = folder.resolve("nested/dir/cairn.db");
        try (MetadataStore store = Stores.openMetadata("sqlite:" + file, "file:/tmp/artifacts")) {
            store.experiments().createExperiment("made-here", null, java.util.List.of());
            assertThat(store.uri()).isEqualTo("sqlite:" + file);
        }
        assertThat(Files.exists(file)).isTrue();
        try (MetadataStore store = Stores.openMetadata("jdbc:sqlite:" + file, "file:/tmp/artifacts")) {
            assertThat(store.experiments().getExperimentByName("made-here")).isPresent();
        }
        try (MetadataStore store = Stores.openMetadata(file.toString(), "file:/tmp/artifacts")) {
            assertThat(store.experiments().getExperimentByName("made-here")).isPresent();
        }
        try (MetadataStore store = Stores.openMetadata("sqlite:///" + file, "file:/tmp/artifacts")) {
            assertThat(store.experiments().getExperimentByName("made-here")).as("SQLAlchemy's sqlite:////abs form").isPresent();
        }
    }

    @Test
    @DisplayName("CAIRN_HOME decides the default store and artifact root")
    void cairnHome() {
        String previous = System.getProperty("cairn.home");
        try {
            System.setProperty("cairn.home", folder.toString());
            assertThat(CairnHome.home()).isEqualTo(folder.toAbsolutePath());
            assertThat(CairnHome.defaultMetadataUri()).isEqualTo("sqlite:" + folder.resolve("cairn.db"));
            assertThat(CairnHome.defaultArtifactRoot()).startsWith("file:/").endsWith("/artifacts");
            assertThat(Path.of(java.net.URI.create(CairnHome.defaultArtifactRoot()))).isEqualTo(folder.resolve("artifacts"));
            System.clearProperty("cairn.home");
            if (System.getenv("CAIRN_HOME") == null) {
                assertThat(CairnHome.home()).isEqualTo(Path.of(System.getProperty("user.home"), ".cairn"));
            }
        } finally {
            if (previous == null) System.clearProperty("cairn.home");
            else System.setProperty("cairn.home", previous);
        }
    }
}
