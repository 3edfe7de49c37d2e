package dev.cairn.store.sql;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * SQLite files: {@code sqlite:/abs/path/cairn.db}, {@code sqlite:relative.db}, SQLAlchemy's
 * {@code sqlite:///relative.db} and {@code sqlite:////abs/path.db} (as MLflow users write them),
 * and {@code jdbc:sqlite:/path}. The file and its folder are created when missing.
 */
public final class SqliteMetadataStoreProvider implements MetadataStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public MetadataStore open(String uri, String defaultArtifactRoot) {
        Path file = path(uri);
        try {
            Path parent = file.getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Cannot create the folder of the SQLite store " + file + ": " + e.getMessage(), e);
        }
        Database database = Database.sqlite("jdbc:sqlite:" + file);
        return JdbcMetadataStore.open(database, "sqlite:" + file, defaultArtifactRoot);
    }

    /** The absolute path of the database file a URI names. */
    public static Path path(String uri) {
        String rest;
        if (uri.startsWith("jdbc:sqlite:")) {
            rest = uri.substring("jdbc:sqlite:".length());
            if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        } else if (uri.startsWith("sqlite:")) {
            rest = uri.substring("sqlite:".length());
            if (rest.startsWith("//")) {
                // SQLAlchemy form: sqlite:///relative.db, sqlite:////absolute.db
                rest = rest.substring(2);
                if (rest.startsWith("/")) rest = rest.substring(1);
            }
        } else {
            rest = uri;
        }
        int query = rest.indexOf('?');
        if (query >= 0) rest = rest.substring(0, query);
        if (rest.isBlank() || rest.equals(":memory:")) {
            throw CairnException.invalid("store_uri", uri, "sqlite:<path to a database file>");
        }
        return Path.of(rest).toAbsolutePath().normalize();
    }
}
