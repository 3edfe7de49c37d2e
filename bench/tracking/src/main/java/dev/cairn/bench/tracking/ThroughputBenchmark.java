package dev.cairn.bench.tracking;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Metric;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Metric points per second through {@code RunStore.logBatch} (batches of 1000 metrics into one
 * run), and beside it the ceiling: the same rows inserted with one JDBC batch and one commit per
 * 1000 into a plain table with the same columns and no index, key or trigger.
 */
final class ThroughputBenchmark {
    static final int BATCH_SIZE = 1000;
    private static final int KEYS = 10;

    record Result(double cairnPointsPerSecond, double baselinePointsPerSecond, long points) {}

    private ThroughputBenchmark() {}

    static Result run(Backend backend, MetadataStore store, int warmupBatches, int batches) throws SQLException {
        String experimentId = store.experiments().createExperiment("bench-throughput-" + UUID.randomUUID(), null, List.of());
        String runId = store.runs().createRun(experimentId, "bench", System.currentTimeMillis(), "throughput", List.of())
                .info().runId();

        long step = 0;
        for (int b = 0; b < warmupBatches; b++, step += BATCH_SIZE / KEYS) store.runs().logBatch(runId, batch(step), List.of(), List.of());
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++, step += BATCH_SIZE / KEYS) store.runs().logBatch(runId, batch(step), List.of(), List.of());
        double cairnSeconds = (System.nanoTime() - start) / 1e9;

        double baselineSeconds;
        try (Connection connection = backend.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_plain_metrics (run_uuid VARCHAR(32) NOT NULL, key VARCHAR(250) NOT NULL,"
                        + " value DOUBLE PRECISION NOT NULL, is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)");
            }
            connection.setAutoCommit(false);
            step = 0;
            for (int b = 0; b < warmupBatches; b++, step += BATCH_SIZE / KEYS) plainInsert(connection, runId, batch(step));
            start = System.nanoTime();
            for (int b = 0; b < batches; b++, step += BATCH_SIZE / KEYS) plainInsert(connection, runId, batch(step));
            baselineSeconds = (System.nanoTime() - start) / 1e9;
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE bench_plain_metrics");
            }
        }
        long points = (long) batches * BATCH_SIZE;
        return new Result(points / cairnSeconds, points / baselineSeconds, points);
    }

    /** 1000 points: {@value #KEYS} metrics over 100 consecutive steps, as a training loop logs them. */
    static List<Metric> batch(long firstStep) {
        List<Metric> metrics = new ArrayList<>(BATCH_SIZE);
        long now = 1_700_000_000_000L;
        for (int s = 0; s < BATCH_SIZE / KEYS; s++) {
            long step = firstStep + s;
            for (int k = 0; k < KEYS; k++) {
                metrics.add(new Metric("metric_" + k, Math.sin(step * 0.001 + k), now + step, step));
            }
        }
        return metrics;
    }

    private static void plainInsert(Connection connection, String runId, List<Metric> metrics) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO bench_plain_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Metric metric : metrics) {
                insert.setString(1, runId);
                insert.setString(2, metric.key());
                insert.setDouble(3, metric.value());
                insert.setInt(4, 0);
                insert.setLong(5, metric.timestamp());
                insert.setLong(6, metric.step());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        connection.commit();
    }
}
