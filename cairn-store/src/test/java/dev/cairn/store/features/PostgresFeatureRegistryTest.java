package dev.cairn.store.features;

import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The PostgreSQL feature registry")
class PostgresFeatureRegistryTest extends FeatureRegistryContract {

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
}
