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

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresDatabase.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    protected String newStoreUri() {
        return postgres.newDatabase();
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return postgres.connect(storeUri.substring(storeUri.lastIndexOf('/') + 1));
    }
}
