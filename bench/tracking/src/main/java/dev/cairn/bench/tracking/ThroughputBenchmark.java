package dev.cairn.bench.tracking;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Metric;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Metric points per second through {@code RunStore.logBatch} (batches of 1000 metrics into one
 * run), and beside it the ceiling: the same rows inserted with one JDBC batch and one commit per
 * 1000 into a plain table with the same columns and no index, key or trigger.
 *
 * <p>Between the two, the same raw insert into tables that add one of Cairn's costs at a time
 * (an index on (run_uuid, key, step, timestamp), a foreign key to runs, then Cairn's own metrics
 * table with its keys and indexes as migrated, then logBatch's other statements written by hand), so the report shows
 * where logBatch's time goes: in the database, or in the store's own code.
 */
final class ThroughputBenchmark {
    static final int BATCH_SIZE = 1000;
    private static final int KEYS = 10;
    private static final String COLUMNS = "(run_uuid TEXT NOT NULL, key TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,"
            + " is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)";
    private static final String COLUMNS_WITH_FOREIGN_KEY = "(run_uuid TEXT NOT NULL REFERENCES runs (run_uuid),"
            + " key TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,"
            + " is_nan INTEGER NOT NULL, timestamp BIGINT NOT NULL, step BIGINT NOT NULL)";

    /** Points per second: Cairn's logBatch and the plain-table ceiling each run alone, and the interleaved breakdown by step. */
    record Result(double cairnPointsPerSecond, double baselinePointsPerSecond, Map<String, Double> breakdown) {}

    private interface BatchWriter {
        void write(List<Metric> batch) throws SQLException;
    }

    /** Steps keep increasing across all measurements, so no writer ever logs the same point twice. */
    private static long nextStep;

    private ThroughputBenchmark() {}

    static Result run(Backend backend, MetadataStore store, int warmupBatches, int batches) throws SQLException {
        String experimentId = store.experiments().createExperiment("bench-throughput-" + UUID.randomUUID(), null, List.of());
        String runId = store.runs().createRun(experimentId, "bench", System.currentTimeMillis(), "throughput", List.of())
                .info().runId();
        // Cairn's metrics table refuses a point twice for one run: each writer into it gets its own run.
        String tableRunId = store.runs().createRun(experimentId, "bench", System.currentTimeMillis(), "throughput-table", List.of())
                .info().runId();
        String rawRunId = store.runs().createRun(experimentId, "bench", System.currentTimeMillis(), "throughput-raw", List.of())
                .info().runId();
        String multiRowRunId = store.runs().createRun(experimentId, "bench", System.currentTimeMillis(), "throughput-rows", List.of())
                .info().runId();

        try (Connection connection = backend.connect()) {
            execute(connection, "CREATE TABLE bench_plain " + COLUMNS);
            execute(connection, "CREATE TABLE bench_indexed " + COLUMNS);
            execute(connection, "CREATE INDEX bench_indexed_run_key_step ON bench_indexed (run_uuid, key, step, timestamp)");
            execute(connection, "CREATE TABLE bench_foreign_key " + COLUMNS_WITH_FOREIGN_KEY);
            connection.setAutoCommit(false);
            BatchWriter cairn = batch -> store.runs().logBatch(runId, batch, List.of(), List.of());
            BatchWriter plain = batch -> insert(connection, "bench_plain", runId, batch, true);

            // The headline figures: each alone, as a server that only logs metrics would run it, in
            // rounds that alternate the two; the median round is reported, so a burst of load from
            // elsewhere on the machine skews one round, not the figure.
            measure(warmupBatches, 0, Map.of(CAIRN, cairn));
            measure(warmupBatches, 0, Map.of(PLAIN, plain));
            List<Double> cairnRounds = new ArrayList<>();
            List<Double> plainRounds = new ArrayList<>();
            int perRound = Math.max(1, batches / ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                cairnRounds.add(measure(0, perRound, Map.of(CAIRN, cairn)).get(CAIRN));
                plainRounds.add(measure(0, perRound, Map.of(PLAIN, plain)).get(PLAIN));
            }
            double cairnAlone = median(cairnRounds);
            double plainAlone = median(plainRounds);

            // The breakdown: every step taking turns, so that they share the machine's load and the
            // database's checkpoints alike; its figures compare with each other, not with the above.
            Map<String, BatchWriter> writers = new LinkedHashMap<>();
            writers.put(PLAIN, plain);
            writers.put("+ index (run_uuid, key, step, timestamp)", batch -> insert(connection, "bench_indexed", runId, batch, true));
            writers.put("+ foreign key to runs", batch -> insert(connection, "bench_foreign_key", runId, batch, true));
            writers.put("Cairn's metrics table (its keys and indexes as migrated)", batch -> insert(connection, "metrics", tableRunId, batch, true));
            writers.put("+ logBatch's run check and latest_metrics upsert, by hand", batch -> logBatchByHand(connection, rawRunId, batch, false));
            writers.put("  same, points as multi-row INSERTs of 100 rows (as the store sends them)",
                    batch -> logBatchByHand(connection, multiRowRunId, batch, true));
            writers.put(CAIRN, cairn);
            Map<String, Double> rates = measure(warmupBatches, batches, writers);
            connection.setAutoCommit(true);
            for (String table : List.of("bench_plain", "bench_indexed", "bench_foreign_key")) execute(connection, "DROP TABLE " + table);
            return new Result(cairnAlone, plainAlone, rates);
        }
    }

    private static final int ROUNDS = 5;

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static final String PLAIN = "plain table (the ceiling)";
    private static final String CAIRN = "Cairn logBatch (all of the above + validation, pool, transaction handling)";

    /**
     * Points per second of each writer over {@code batches} batches, after {@code warmup}
     * unmeasured ones. The writers take turns batch by batch, so that a change in the machine's
     * load during the run affects them alike.
     */
    private static Map<String, Double> measure(int warmup, int batches, Map<String, BatchWriter> writers) throws SQLException {
        Map<String, Long> nanos = new LinkedHashMap<>();
        writers.keySet().forEach(name -> nanos.put(name, 0L));
        for (int b = -warmup; b < batches; b++, nextStep += BATCH_SIZE / KEYS) {
            long step = nextStep;
            List<Metric> batch = batch(step);
            for (Map.Entry<String, BatchWriter> writer : writers.entrySet()) {
                long start = System.nanoTime();
                writer.getValue().write(batch);
                if (b >= 0) nanos.merge(writer.getKey(), System.nanoTime() - start, Long::sum);
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        if (batches > 0) nanos.forEach((name, total) -> rates.put(name, (double) batches * BATCH_SIZE / (total / 1e9)));
        return rates;
    }

    /** logBatch's statements written by hand: check the run is active, insert the points, upsert the latest per key. */
    private static void logBatchByHand(Connection connection, String runId, List<Metric> metrics, boolean multiRow) throws SQLException {
        try (PreparedStatement check = connection.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?")) {
            check.setString(1, runId);
            try (var row = check.executeQuery()) {
                if (!row.next() || !"active".equals(row.getString(1))) throw new IllegalStateException("run " + runId + " is not active");
            }
        }
        if (multiRow) insertMultiRow(connection, runId, metrics);
        else insert(connection, "metrics", runId, metrics, false);
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) latest.merge(metric.key(), metric, (a, b) -> b.step() > a.step() ? b : a);
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,"
                        + " timestamp = excluded.timestamp, step = excluded.step WHERE excluded.step > latest_metrics.step")) {
            for (Metric metric : latest.values()) {
                bind(upsert, runId, metric);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        connection.commit();
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

    /** One JDBC batch (and, if asked, its commit), as logBatch does (it, too, prepares its statement per call). */
    private static void insert(Connection connection, String table, String runId, List<Metric> metrics, boolean commit)
            throws SQLException {
        // Into Cairn's table as Cairn inserts (a point logged twice is kept once); the bench tables have no key.
        String onConflict = table.equals("metrics") ? " ON CONFLICT DO NOTHING" : "";
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)" + onConflict)) {
            for (Metric metric : metrics) {
                bind(insert, runId, metric);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (commit) connection.commit();
    }

    /** The points as INSERTs of 100 rows each (one statement, 600 parameters). */
    private static void insertMultiRow(Connection connection, String runId, List<Metric> metrics) throws SQLException {
        for (int from = 0; from < metrics.size(); from += 100) {
            List<Metric> chunk = metrics.subList(from, Math.min(metrics.size(), from + 100));
            String values = String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?, ?)"));
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES " + values + " ON CONFLICT DO NOTHING")) {
                int index = 0;
                for (Metric metric : chunk) {
                    insert.setString(++index, runId);
                    insert.setString(++index, metric.key());
                    insert.setDouble(++index, metric.value());
                    insert.setInt(++index, 0);
                    insert.setLong(++index, metric.timestamp());
                    insert.setLong(++index, metric.step());
                }
                insert.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement statement, String runId, Metric metric) throws SQLException {
        statement.setString(1, runId);
        statement.setString(2, metric.key());
        statement.setDouble(3, metric.value());
        statement.setInt(4, 0);
        statement.setLong(5, metric.timestamp());
        statement.setLong(6, metric.step());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
