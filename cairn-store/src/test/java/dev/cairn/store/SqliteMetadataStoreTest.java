package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.store.contract.MetadataStoreContract;
import dev.cairn.store.contract.MigrationUpgrade;
import dev.cairn.store.sql.SqliteMetadataStoreProvider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The SQLite metadata store")
class SqliteMetadataStoreTest extends MetadataStoreContract {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @TempDir
    Path folder;

    @Override
    protected String newStoreUri() {
        return "sqlite:" + folder.resolve("store-" + COUNTER.incrementAndGet() + "/cairn.db");
    }

    @Test
    @DisplayName("two stores open on one file in one process write at the same time without SQLITE_BUSY")
    void twoStoresOnOneFile() throws Exception {
        String runId = store.runs().createRun("0", "alice", 1L, null, List.of()).info().runId();
        try (MetadataStore second = Stores.openMetadata(storeUri, ARTIFACT_ROOT)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                MetadataStore target = t % 2 == 0 ? store : second;
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) target.runs().logMetric(runId, new Metric("m" + thread, i, 1, i));
                    return null;
                }));
            }
            for (Future<?> future : futures) future.get(60, TimeUnit.SECONDS);
            pool.shutdown();
            for (int t = 0; t < 4; t++) assertThat(second.runs().getMetricHistory(runId, "m" + t)).hasSize(25);
        }
    }

    @Test
    @DisplayName("conditions matching many rows (searched run by run rather than from the index) give the same answers")
    void unselectiveConditions() throws SQLException {
        String exp = searchFixture();
        // Rows of runs outside the experiment (written without foreign-key checks) make both
        // conditions unselective, so the store searches them the other way.
        try (Connection connection = rawConnection(storeUri);
             java.sql.PreparedStatement metric = connection.prepareStatement(
                     "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, 'auc', 0.99, 0, 1, 0)");
             java.sql.PreparedStatement param = connection.prepareStatement("INSERT INTO params (run_uuid, key, value) VALUES (?, 'max_depth', '6')")) {
            for (int i = 0; i < 2500; i++) {
                metric.setString(1, "elsewhere" + i);
                metric.addBatch();
                param.setString(1, "elsewhere" + i);
                param.addBatch();
            }
            metric.executeBatch();
            param.executeBatch();
        }
        assertThat(search(exp, "metrics.auc > 0.8")).containsExactly("r5", "r4", "r3");
        assertThat(search(exp, "params.max_depth = '6'")).containsExactly("r3", "r2");
        assertThat(search(exp, "metrics.auc > 0.8 and params.max_depth = '6' or tags.team = 'ops'")).containsExactly("r5", "r3");
        assertThat(search(exp, "params.max_depth = '6'", "metrics.auc DESC")).containsExactly("r3", "r2");
    }

    @Test
    @DisplayName("a database made by the first schema version, with data, is migrated forward without losing rows")
    void upgradeFromFirstVersion() throws SQLException {
        String uri = newStoreUri();
        java.nio.file.Path file = SqliteMetadataStoreProvider.path(uri);
        java.io.File parent = file.getParent().toFile();
        assertThat(parent.mkdirs() || parent.isDirectory()).isTrue();
        MigrationUpgrade.check(uri, "sqlite", "jdbc:sqlite:" + file, null, null, () -> rawConnection(uri));
    }

    @Override
    protected Connection rawConnection(String storeUri) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + SqliteMetadataStoreProvider.path(storeUri));
    }
}
