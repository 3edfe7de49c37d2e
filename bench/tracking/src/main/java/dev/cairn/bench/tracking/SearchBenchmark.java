package dev.cairn.bench.tracking;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.Param;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.ViewType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Latency of a metric-filtered {@code searchRuns} over many runs of one experiment, beside the
 * same filter written by hand in SQL, measured on the same tables in the same run: once returning
 * what Cairn returns (each run with its latest metrics, params and tags) and once returning the
 * matching run rows only.
 *
 * <p>The runs are bulk-loaded with JDBC into Cairn's own tables, in the shape createRun and
 * logBatch write them, because loading 100,000 runs through the API (two transactions each) would
 * take minutes and is not what is measured; {@link #check} then confirms through the store that
 * the runs read back as loaded and that Cairn and the hand-written query return the same runs.
 */
final class SearchBenchmark {
    static final String FILTER = "metrics.auc > 0.8 and params.max_depth = '6'";
    static final int MAX_RESULTS = 100;
    private static final int LOAD_CHUNK = 5_000;

    private static final String RUN_COLUMNS =
            "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";
    private static final String WHERE = " WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active'";
    private static final String ORDER = " ORDER BY r.start_time DESC, r.run_uuid ASC LIMIT " + MAX_RESULTS;
    /** The filter as one would write it knowing the planner: EXISTS lets it walk runs in result order and stop early. */
    static final String HAND_WRITTEN_EXISTS = "SELECT " + RUN_COLUMNS + " FROM runs r" + WHERE
            + " AND EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = 'auc' AND m.is_nan = 0 AND m.value > ?)"
            + " AND EXISTS (SELECT 1 FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = 'max_depth' AND p.value = ?)" + ORDER;
    /** The filter as a first draft would write it: inner joins. */
    static final String HAND_WRITTEN_JOIN = "SELECT " + RUN_COLUMNS + " FROM runs r"
            + " JOIN latest_metrics m ON m.run_uuid = r.run_uuid JOIN params p ON p.run_uuid = r.run_uuid" + WHERE
            + " AND m.key = 'auc' AND m.is_nan = 0 AND m.value > ? AND p.key = 'max_depth' AND p.value = ?" + ORDER;

    record Result(int runs, int matching, Stats cairn, Stats handWrittenFull, Stats handWrittenRowsOnly, Stats handWrittenJoin,
                  double loadSeconds, String plan) {}

    private SearchBenchmark() {}

    static Result run(Backend backend, MetadataStore store, int runs, int warmup, int queries) throws SQLException {
        String experimentId = store.experiments().createExperiment("bench-search-" + UUID.randomUUID(), null, List.of());
        String artifactRoot = store.experiments().getExperiment(experimentId).artifactLocation();
        long loadStart = System.nanoTime();
        int matching;
        try (Connection connection = backend.connect()) {
            matching = load(connection, Long.parseLong(experimentId), artifactRoot, runs);
            backend.analyze(connection);
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        try (Connection connection = backend.connect()) {
            check(store, connection, experimentId);
            long[] cairn = new long[queries];
            long[] full = new long[queries];
            long[] rowsOnly = new long[queries];
            for (int i = -warmup; i < queries; i++) {
                // Interleaved, so that drift in machine load affects the three alike.
                long t0 = System.nanoTime();
                int n = cairnSearch(store, experimentId).size();
                long t1 = System.nanoTime();
                int m = handWrittenFull(connection, experimentId).size();
                long t2 = System.nanoTime();
                int k = handWrittenRows(connection, experimentId, HAND_WRITTEN_EXISTS).size();
                long t3 = System.nanoTime();
                if (n != MAX_RESULTS || m != MAX_RESULTS || k != MAX_RESULTS) {
                    throw new IllegalStateException("expected " + MAX_RESULTS + " runs from each query, got " + n + ", " + m + ", " + k);
                }
                if (i >= 0) {
                    cairn[i] = t1 - t0;
                    full[i] = t2 - t1;
                    rowsOnly[i] = t3 - t2;
                }
            }
            // The join form can be much slower (seconds on SQLite, which has no statistics): fewer repetitions.
            int joinQueries = Math.min(queries, 10);
            long[] join = new long[joinQueries];
            for (int i = -2; i < joinQueries; i++) {
                long t0 = System.nanoTime();
                int j = handWrittenRows(connection, experimentId, HAND_WRITTEN_JOIN).size();
                if (j != MAX_RESULTS) throw new IllegalStateException("expected " + MAX_RESULTS + " runs from the join, got " + j);
                if (i >= 0) join[i] = System.nanoTime() - t0;
            }
            return new Result(runs, matching, Stats.of(cairn), Stats.of(full), Stats.of(rowsOnly), Stats.of(join), loadSeconds,
                    plan(backend, connection, experimentId));
        }
    }

    /** How the database runs the filter (the same SQL as Cairn's, written by hand). */
    private static String plan(Backend backend, Connection connection, String experimentId) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement query = connection.prepareStatement(backend.explain() + HAND_WRITTEN_EXISTS)) {
            query.setLong(1, Long.parseLong(experimentId));
            query.setDouble(2, 0.8);
            query.setString(3, "6");
            try (ResultSet rows = query.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) plan.append("    ").append(rows.getString(columns)).append('\n');
            }
        }
        return plan.toString();
    }

    static List<Run> cairnSearch(MetadataStore store, String experimentId) {
        return store.runs().searchRuns(List.of(experimentId), FILTER, ViewType.ACTIVE_ONLY, List.of(), MAX_RESULTS, null).items();
    }

    /** The matching run rows, in Cairn's default order. */
    static List<String> handWrittenRows(Connection connection, String experimentId, String sql) throws SQLException {
        List<String> ids = new ArrayList<>(MAX_RESULTS);
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, Long.parseLong(experimentId));
            query.setDouble(2, 0.8);
            query.setString(3, "6");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** What Cairn returns, by hand: the matching runs, then their latest metrics, params and tags. */
    static Map<String, RunData> handWrittenFull(Connection connection, String experimentId) throws SQLException {
        Map<String, RunData> runs = new java.util.LinkedHashMap<>();
        try (PreparedStatement query = connection.prepareStatement(HAND_WRITTEN_EXISTS)) {
            query.setLong(1, Long.parseLong(experimentId));
            query.setDouble(2, 0.8);
            query.setString(3, "6");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    runs.put(rows.getString(1), new RunData(rows.getString(3), rows.getLong(6), new ArrayList<>(), new HashMap<>(), new HashMap<>()));
                }
            }
        }
        if (runs.isEmpty()) return runs;
        String in = " WHERE run_uuid IN (" + String.join(", ", java.util.Collections.nCopies(runs.size(), "?")) + ")";
        each(connection, "SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics" + in, runs.keySet(),
                row -> runs.get(row.getString(1)).metrics().add(new Metric(row.getString(2), row.getDouble(3), row.getLong(5), row.getLong(6))));
        each(connection, "SELECT run_uuid, key, value FROM params" + in, runs.keySet(),
                row -> runs.get(row.getString(1)).params().put(row.getString(2), row.getString(3)));
        each(connection, "SELECT run_uuid, key, value FROM tags" + in, runs.keySet(),
                row -> runs.get(row.getString(1)).tags().put(row.getString(2), row.getString(3)));
        return runs;
    }

    record RunData(String name, long startTime, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {}

    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private static void each(Connection connection, String sql, Iterable<String> ids, RowHandler handler) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            for (String id : ids) query.setString(i++, id);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) handler.accept(rows);
            }
        }
    }

    /**
     * Loads {@code runs} finished runs: params max_depth (3–10), learning_rate, n_estimators;
     * metrics auc (uniform in [0.5, 1)), rmse, logloss at step 0; tags mlflow.runName, mlflow.user,
     * team. About 1 run in 20 matches the filter. Returns how many do.
     */
    private static int load(Connection connection, long experimentId, String artifactRoot, int runs) throws SQLException {
        Random random = new Random(42);
        long firstStart = 1_700_000_000_000L;
        int matching = 0;
        connection.setAutoCommit(false);
        try (PreparedStatement run = connection.prepareStatement("INSERT INTO runs (run_uuid, experiment_id, name, user_id, status,"
                + " start_time, end_time, deleted_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, ?, 'FINISHED', ?, ?, NULL, 'active', ?)");
             PreparedStatement param = connection.prepareStatement("INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)");
             PreparedStatement metric = connection.prepareStatement(
                     "INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, 0)");
             PreparedStatement latest = connection.prepareStatement(
                     "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, 0)");
             PreparedStatement tag = connection.prepareStatement("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)")) {
            for (int i = 0; i < runs; i++) {
                String id = new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
                String name = "run-" + i;
                long start = firstStart + i * 1000L;
                run.setString(1, id);
                run.setLong(2, experimentId);
                run.setString(3, name);
                run.setString(4, "bench");
                run.setLong(5, start);
                run.setLong(6, start + 500);
                run.setString(7, artifactRoot + "/" + id + "/artifacts");
                run.addBatch();
                String maxDepth = Integer.toString(3 + random.nextInt(8));
                add(param, id, "max_depth", maxDepth);
                add(param, id, "learning_rate", "0.0" + (1 + random.nextInt(9)));
                add(param, id, "n_estimators", Integer.toString(100 * (1 + random.nextInt(5))));
                double auc = 0.5 + random.nextDouble() * 0.5;
                if (auc > 0.8 && maxDepth.equals("6")) matching++;
                Map<String, Double> values = Map.of("auc", auc, "rmse", random.nextDouble(), "logloss", random.nextDouble() * 2);
                for (Map.Entry<String, Double> value : values.entrySet()) {
                    for (PreparedStatement statement : List.of(metric, latest)) {
                        statement.setString(1, id);
                        statement.setString(2, value.getKey());
                        statement.setDouble(3, value.getValue());
                        statement.setLong(4, start + 400);
                        statement.addBatch();
                    }
                }
                add(tag, id, "mlflow.runName", name);
                add(tag, id, "mlflow.user", "bench");
                add(tag, id, "team", random.nextBoolean() ? "risk" : "growth");
                if ((i + 1) % LOAD_CHUNK == 0 || i == runs - 1) {
                    for (PreparedStatement statement : List.of(run, param, metric, latest, tag)) statement.executeBatch();
                    connection.commit();
                }
            }
        } finally {
            connection.setAutoCommit(true);
        }
        return matching;
    }

    private static void add(PreparedStatement statement, String id, String key, String value) throws SQLException {
        statement.setString(1, id);
        statement.setString(2, key);
        statement.setString(3, value);
        statement.addBatch();
    }

    /** Fails unless Cairn reads the loaded runs back and returns the same runs as the hand-written query. */
    private static void check(MetadataStore store, Connection connection, String experimentId) throws SQLException {
        List<Run> found = cairnSearch(store, experimentId);
        List<String> expected = handWrittenRows(connection, experimentId, HAND_WRITTEN_EXISTS);
        List<String> actual = found.stream().map(r -> r.info().runId()).toList();
        if (!actual.equals(expected) || !expected.equals(handWrittenRows(connection, experimentId, HAND_WRITTEN_JOIN))) {
            throw new IllegalStateException("Cairn and the hand-written queries disagree:\n cairn " + actual + "\n  sql  " + expected);
        }
        Map<String, RunData> byHand = handWrittenFull(connection, experimentId);
        for (Run run : found) {
            RunData data = byHand.get(run.info().runId());
            Map<String, String> params = new HashMap<>();
            for (Param p : run.data().params()) params.put(p.key(), p.value());
            double auc = run.data().metrics().stream().filter(m -> m.key().equals("auc")).findFirst().orElseThrow().value();
            if (!params.equals(data.params()) || !(auc > 0.8) || !"6".equals(params.get("max_depth"))
                    || run.data().metrics().size() != 3 || run.data().tags().size() != data.tags().size()) {
                throw new IllegalStateException("Cairn read run " + run.info().runId() + " differently from the loaded rows: "
                        + run.data() + " vs " + data);
            }
        }
    }
}
