package dev.cairn.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * Checks that a database created by the first schema version, with data in it, is brought up to
 * date when a store opens it: the later migrations keep every row (and collapse repeated metric
 * points, as the unique key on points requires).
 */
public final class MigrationUpgrade {

    private MigrationUpgrade() {}

    /** {@code connect} opens a plain connection to the database behind {@code storeUri}. */
    public static void check(String storeUri, String migrationFolder, String jdbcUrl, String user, String password,
                             SqlConnector connect) throws SQLException {
        Flyway.configure().dataSource(jdbcUrl, user, password).locations("classpath:db/migration/" + migrationFolder)
                .target("1").load().migrate();
        try (Connection connection = connect.open(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time,"
                    + " last_update_time) VALUES (7, 'old', 'file:/old/7', 'active', 1, 1)");
            statement.executeUpdate("INSERT INTO runs (run_uuid, experiment_id, name, status, start_time, lifecycle_stage, artifact_uri)"
                    + " VALUES ('0123456789abcdef0123456789abcdef', 7, 'old-run', 'FINISHED', 5, 'active', 'file:/old/7/r/artifacts')");
            for (String values : List.of("0.5, 0, 10, 1", "0.5, 0, 10, 1", "0.7, 0, 20, 2", "0, 1, 30, 3")) {
                statement.executeUpdate("INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES"
                        + " ('0123456789abcdef0123456789abcdef', 'loss', " + values + ")");
            }
        }
        try (MetadataStore store = Stores.openMetadata(storeUri, "file:/tmp/cairn-upgrade")) {
            assertThat(store.experiments().getExperiment("7").name()).isEqualTo("old");
            assertThat(store.experiments().getExperiment("0").name()).isEqualTo("Default");
            List<Metric> history = store.runs().getMetricHistory("0123456789abcdef0123456789abcdef", "loss");
            assertThat(history).hasSize(3);
            assertThat(history.get(0)).isEqualTo(new Metric("loss", 0.5, 10, 1));
            assertThat(history.get(2).value()).isNaN();
            store.runs().restoreRun("0123456789abcdef0123456789abcdef");
            store.runs().logMetric("0123456789abcdef0123456789abcdef", new Metric("loss", 0.7, 20, 2));
            assertThat(store.runs().getMetricHistory("0123456789abcdef0123456789abcdef", "loss")).hasSize(3);
        }
    }

    /** Opens a plain JDBC connection. */
    @FunctionalInterface
    public interface SqlConnector {
        Connection open() throws SQLException;
    }
}
