package dev.cairn.store.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Races on the PostgreSQL pipeline store (two stores on one database)")
class PostgresPipelineRaceTest extends PipelineRaceContract {

    private static PostgresTemplate postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresTemplate.start(ARTIFACT_ROOT);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) postgres.close();
    }

    @Override
    protected String newStoreUri() {
        return postgres.newStoreUri();
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return postgres.connect(storeUri);
    }
}
