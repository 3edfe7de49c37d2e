package dev.cairn.store.bench;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.Stores;
import dev.cairn.core.tracking.Metric;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.store.sql.Database;
import dev.cairn.store.sql.JdbcMetadataStore;
import dev.cairn.store.testing.EmbeddedPostgresDatabase;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Measures the two figures the metadata store is designed for, next to a baseline from the same
 * run: logBatch throughput (metric points per second, batches of 1,000) against a plain JDBC batch
 * insert, and searchRuns latency over many runs of one experiment. Not a test: run it by hand.
 * <pre>
 *   java -cp &lt;test classpath&gt; dev.cairn.store.bench.MetadataStoreBenchmark sqlite:/tmp/bench.db 100000
 *   java -cp &lt;test classpath&gt; dev.cairn.store.bench.MetadataStoreBenchmark embedded-postgresql 100000
 *   (a third argument "no-analyze" skips ANALYZE after loading, to see plans without statistics)
 * </pre>
 */
public final class MetadataStoreBenchmark {

    private MetadataStoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "sqlite:/tmp/cairn-bench-" + System.nanoTime() + ".db";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        boolean analyze = args.length <= 2 || !args[2].equals("no-analyze");
        EmbeddedPostgresDatabase postgres = null;
        if (uri.equals("embedded-postgresql")) {
            postgres = EmbeddedPostgresDatabase.start();
            uri = postgres.cairnUri();
        }
        try (MetadataStore store = Stores.openMetadata(uri, "file:/tmp/cairn-bench-artifacts")) {
            Database database = ((JdbcMetadataStore) store).database();
            String experiment = store.experiments().createExperiment("bench-" + System.nanoTime(), null, List.of());
            logBatch(store, experiment);
            baseline(database);
            populate(database, experiment, runs, analyze);
            search(store, experiment);
        } finally {
            if (postgres != null) postgres.close();
        }
    }

    private static void logBatch(MetadataStore store, String experiment) {
        String runId = store.runs().createRun(experiment, "bench", 1, null, List.of()).info().runId();
        int batches = 40;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                store.runs().logBatch(runId, batch(round * batches + b), List.of(), List.of());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("logBatch round %d: %d points in %.3f s = %.0f points/s%n", round, batches * 1000, seconds,
                    batches * 1000 / seconds);
        }
    }

    private static List<Metric> batch(int b) {
        List<Metric> metrics = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            metrics.add(new Metric("loss" + (i % 10), Math.random(), System.currentTimeMillis(), (long) b * 1000 + i));
        }
        return metrics;
    }

    /** The same number of rows through one plain JDBC batch into a table without indexes. */
    private static void baseline(Database database) {
        long start = System.nanoTime();
        database.write(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_baseline (a TEXT, b TEXT, c DOUBLE PRECISION, d INTEGER, e BIGINT, f BIGINT)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_baseline VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 200_000; i++) {
                    insert.setString(1, "run");
                    insert.setString(2, "k" + (i % 10));
                    insert.setDouble(3, i);
                    insert.setInt(4, 0);
                    insert.setLong(5, i);
                    insert.setLong(6, i);
                    insert.addBatch();
                    if (i % 10_000 == 9_999) insert.executeBatch();
                }
            }
            return null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("baseline: plain JDBC batch insert of 200000 rows, no indexes, one transaction: %.3f s = %.0f rows/s%n",
                seconds, 200_000 / seconds);
    }

    /** Many runs with three metrics, three params and a tag each, written straight into the store's tables. */
    private static void populate(Database database, String experiment, int runs, boolean analyze) {
        long start = System.nanoTime();
        Random random = new Random(42);
        database.write(connection -> {
            try (PreparedStatement run = connection.prepareStatement("INSERT INTO runs (run_uuid, experiment_id, name, user_id, status,"
                    + " start_time, lifecycle_stage, artifact_uri) VALUES (?, ?, ?, 'bench', 'FINISHED', ?, 'active', 'file:/x')");
                 PreparedStatement metric = connection.prepareStatement(
                         "INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, 1, 0)");
                 PreparedStatement param = connection.prepareStatement("INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?)");
                 PreparedStatement tag = connection.prepareStatement("INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < runs; i++) {
                    String id = UUID.randomUUID().toString().replace("-", "");
                    run.setString(1, id);
                    run.setLong(2, Long.parseLong(experiment));
                    run.setString(3, "run-" + i);
                    run.setLong(4, 1_000_000L + i);
                    run.addBatch();
                    for (String key : List.of("auc", "loss", "f1")) {
                        metric.setString(1, id);
                        metric.setString(2, key);
                        metric.setDouble(3, random.nextDouble());
                        metric.addBatch();
                    }
                    for (int k = 0; k < 3; k++) {
                        param.setString(1, id);
                        param.setString(2, "p" + k);
                        param.setString(3, Integer.toString(random.nextInt(10)));
                        param.addBatch();
                    }
                    tag.setString(1, id);
                    tag.setString(2, "team");
                    tag.setString(3, random.nextBoolean() ? "risk" : "growth");
                    tag.addBatch();
                    if (i % 5000 == 4999 || i == runs - 1) {
                        run.executeBatch();
                        metric.executeBatch();
                        param.executeBatch();
                        tag.executeBatch();
                    }
                }
            }
            return null;
        });
        if (analyze) {
            database.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ANALYZE");
                }
                return null;
            });
        }
        System.out.printf("populated %d runs in %.1f s%n", runs, (System.nanoTime() - start) / 1e9);
    }

    private static void search(MetadataStore store, String experiment) {
        String[] filters = {"metrics.auc > 0.999", "metrics.auc > 0.5", "metrics.auc > 0.9 and params.p1 = '3'",
                "metrics.auc > 0.99 or tags.team = 'nobody'", "params.p0 = '7' and tags.team = 'risk'", null};
        for (String filter : filters) {
            for (List<String> order : List.of(List.<String>of(), List.of("metrics.auc DESC"))) {
                long best = Long.MAX_VALUE;
                int found = 0;
                for (int repeat = 0; repeat < 5; repeat++) {
                    long start = System.nanoTime();
                    found = store.runs().searchRuns(List.of(experiment), filter, ViewType.ACTIVE_ONLY, order, 100, null).items().size();
                    best = Math.min(best, System.nanoTime() - start);
                }
                System.out.printf("searchRuns %-46s order %-20s -> %3d runs, best of 5: %6.1f ms%n", filter, order, found, best / 1e6);
            }
        }
    }
}
