package dev.cairn.store;

import dev.cairn.store.contract.MetadataStoreContract;
import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

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

    @Override
    protected String newStoreUri() {
        return postgres.newDatabaseFrom(template);
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return postgres.connect(storeUri.substring(storeUri.lastIndexOf('/') + 1));
    }
}
