package dev.cairn.store.pipeline;

import dev.cairn.core.store.Stores;
import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * An embedded PostgreSQL with one migrated database that every test copies (CREATE DATABASE … TEMPLATE), which is
 * much faster than migrating each; as the metadata-store contract's PostgreSQL test does.
 */
final class PostgresTemplate implements AutoCloseable {

    private final EmbeddedPostgresDatabase postgres;
    private final String template;

    private PostgresTemplate(EmbeddedPostgresDatabase postgres, String template) {
        this.postgres = postgres;
        this.template = template;
    }

    static PostgresTemplate start(String artifactRoot) {
        EmbeddedPostgresDatabase postgres = EmbeddedPostgresDatabase.start();
        String uri = postgres.newDatabase();
        Stores.openMetadata(uri, artifactRoot).close();
        return new PostgresTemplate(postgres, uri.substring(uri.lastIndexOf('/') + 1));
    }

    /** A new database, migrated and empty. */
    String newStoreUri() {
        return postgres.newDatabaseFrom(template);
    }

    Connection connect(String storeUri) throws SQLException {
        return postgres.connect(storeUri.substring(storeUri.lastIndexOf('/') + 1));
    }

    @Override
    public void close() {
        postgres.close();
    }
}
