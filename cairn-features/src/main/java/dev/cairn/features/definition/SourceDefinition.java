package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;
import java.util.Objects;

/**
 * Where feature rows come from, and which column says when each row's values became true ({@code eventTimestamp});
 * {@code createdTimestamp} (optional) says when a row was written, so that of two rows of one entity with the same
 * event time the later-written one wins (a correction).
 */
public record SourceDefinition(String name, Location location, String eventTimestamp, String createdTimestamp,
                               String description) implements Definition {
    public SourceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(eventTimestamp, "eventTimestamp");
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.SOURCE;
    }

    /** A file or a JDBC table or query. */
    public sealed interface Location permits FileLocation, JdbcLocation {}

    /**
     * A CSV, Parquet or JSON-lines file: an absolute path once applied (a definition file's relative paths resolve
     * against its directory). {@code format} null: by the extension; {@code delimiter} null: detected (CSV only).
     */
    public record FileLocation(String path, String format, String delimiter) implements Location {
        public FileLocation {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A table or a SELECT query of a JDBC database. The password is never part of a definition: {@code passwordEnv}
     * names the environment variable that holds it where the feature store runs.
     */
    public record JdbcLocation(String url, String table, String query, String user, String passwordEnv) implements Location {
        public JdbcLocation {
            Objects.requireNonNull(url, "url");
            if ((table == null) == (query == null)) throw new IllegalArgumentException("a table or a query");
        }
    }
}
