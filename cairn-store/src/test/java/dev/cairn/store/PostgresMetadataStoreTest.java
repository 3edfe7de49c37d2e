package dev.cairn.store;

import dev.cairn.core.store.Stores;
import dev.cairn.store.contract.MetadataStoreContract;
import dev.cairn.store.contract.MigrationUpgrade;
import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The PostgreSQL metadata store")
class PostgresMetadataStoreTest extends MetadataStoreContract {

    private static EmbeddedPostgresDatabase postgres;
    private static String template;

    /** Migrates one database, then gives every test a copy of it (CREATE DATABASE … TEMPLATE). */
    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresDatabase.start();
        String uri = postgres.newDatabase();
        Stores.openMetadata(uri, ARTIFACT_ROOT).close();
        template = uri.substring(uri.lastIndexOf('/') + 1);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Test
    @DisplayName("a database made by the first schema version, with data, is migrated forward without losing rows")
    void upgradeFromFirstVersion() throws SQLException {
        String uri = postgres.newDatabase();
        String database = uri.substring(uri.lastIndexOf('/') + 1);
        MigrationUpgrade.check(uri, "postgresql", "jdbc:postgresql://localhost:" + postgres.port() + "/" + database,
                "postgres", "postgres", () -> rawConnection(uri));
    }

    @Override
    protected String newStoreUri() {
        return postgres.newDatabaseFrom(template);
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return postgres.connect(storeUri.substring(storeUri.lastIndexOf('/') + 1));
    }
}
