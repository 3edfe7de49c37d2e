package dev.cairn.bench.spark;

import dev.cairn.data.DataValidation;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.spark.SparkProfiler;
import dev.cairn.spark.SparkScorer;
import dev.cairn.spark.SparkSessions;
import dev.cairn.spark.SparkTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Times, in one run: validation (bench/data's 20 checks) and profile of one synthetic Parquet file
 * on DuckDB (cairn-data) and on Spark local[2] (cairn-spark); and batch scoring on Spark with
 * Cairn's {@link SparkScorer} against a plain {@code mapPartitions} that encodes the same rows by
 * hand and calls XGBoost4J's {@code inplace_predict} directly. Prints a Markdown table for
 * docs/benchmarks.md with the load average, and the per-partition costs the 1B-row estimate uses.
 * Arguments: rows, scoring rows, work directory, checks YAML, model package directory.
 */
public final class SparkBenchmark {
    private static final int REPEATS = Integer.parseInt(System.getenv().getOrDefault("CAIRN_BENCH_REPEATS", "2"));
    private static final Map<String, Booster> BOOSTERS = new ConcurrentHashMap<>();

    private SparkBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        long scoreRows = Long.parseLong(args[1]);
        Path work = Path.of(args[2]);
        Path checks = Path.of(args[3]);
        Path model = Path.of(args[4]);
        Files.createDirectories(work);
        Path parquet = work.resolve("synthetic-" + rows + ".parquet");
        Path credit = work.resolve("credit-" + scoreRows + ".parquet");
        Path warmup = work.resolve("warmup.parquet");
        Path warmupCredit = work.resolve("credit-warmup.parquet");
        if (!Files.exists(parquet)) generate(parquet, rows);
        if (!Files.exists(warmup)) generate(warmup, 100_000);
        if (!Files.exists(credit)) credit(credit, scoreRows);
        if (!Files.exists(warmupCredit)) credit(warmupCredit, 100_000);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();

        boolean all = !"score".equals(System.getenv().getOrDefault("CAIRN_BENCH_PARTS", "all"));
        DataValidation duck = new DataValidation();
        DataSpec spec = duck.readSpec(checks);
        SparkSession spark = SparkSessions.getOrCreate("local[2]", work.resolve("spark"));
        spark.sparkContext().addFile(model.resolve("model.ubj").toString());
        Supplier<Long> cairn = () -> SparkScorer.score(SparkTable.read(spark, credit.toString()),
                new SparkScorer.Options(model, "id", 10_000, "bench", work.resolve("cairn-scores.parquet").toString())).rows();
        Supplier<Long> plain = () -> plainScore(spark, credit, work.resolve("plain-scores.parquet"));
        log("warming up");
        if (all) {
            duck.profile(DataValidation.file(warmup));
            Validator.validate(SparkTable.read(spark, warmup.toString()), spec, null, MetricsHistory.NONE);
            SparkProfiler.profile(SparkTable.read(spark, warmup.toString()));
        }
        SparkScorer.score(SparkTable.read(spark, warmupCredit.toString()),
                new SparkScorer.Options(model, "id", 10_000, "bench", work.resolve("cairn-warmup.parquet").toString()));
        plainScore(spark, warmupCredit, work.resolve("plain-warmup.parquet"));

        Timed<ValidationResult> duckValidate = null;
        Timed<ValidationResult> sparkValidate = null;
        Timed<DatasetProfile> duckProfile = null;
        Timed<DatasetProfile> sparkProfile = null;
        int partitions = 0;
        if (all) {
            log("DuckDB validate");
            duckValidate = best(() -> duck.validate(DataValidation.file(parquet), spec, null, MetricsHistory.NONE));
            log("Spark validate");
            sparkValidate = best(() -> Validator.validate(SparkTable.read(spark, parquet.toString()), spec, null, MetricsHistory.NONE));
            log("DuckDB profile");
            duckProfile = best(() -> duck.profile(DataValidation.file(parquet)));
            log("Spark profile");
            partitions = SparkTable.read(spark, parquet.toString()).data().rdd().getNumPartitions();
            sparkProfile = best(() -> SparkProfiler.profile(SparkTable.read(spark, parquet.toString())));
        }

        // Alternated (Cairn, plain, Cairn, plain…) so that both see the same changes of load on a shared machine.
        log("Spark scoring: Cairn SparkScorer and plain XGBoost4J mapPartitions, alternated");
        List<Timed<Long>> pair = alternate(cairn, plain);
        Timed<Long> cairnScore = pair.get(0);
        Timed<Long> plainScore = pair.get(1);
        int scorePartitions = SparkTable.read(spark, credit.toString()).data().rdd().getNumPartitions();
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();

        StringBuilder md = new StringBuilder();
        if (all) {
            md.append(String.format(Locale.ROOT, "Data: %,d rows x 20 columns (bench/data's file), Parquet %.0f MB, %d Spark partitions. ",
                    rows, Files.size(parquet) / 1e6, partitions));
        }
        md.append(String.format(Locale.ROOT, "Scoring: %,d credit rows, %d partitions. Spark local[2], JVM heap %d MB, %d cores. Best of %d runs.%n",
                scoreRows, scorePartitions, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), REPEATS));
        md.append(String.format(Locale.ROOT, "Load average before: %s; after: %s (a shared machine: not quiet numbers).%n%n", loadBefore, loadAfter));
        if (all) {
            md.append("| operation | DuckDB s | Spark local[2] s | Spark / DuckDB time |\n|---|---:|---:|---:|\n");
            md.append(String.format(Locale.ROOT, "| validation (20 checks) | %.2f | %.2f | %.2fx |%n", duckValidate.seconds, sparkValidate.seconds,
                    sparkValidate.seconds / duckValidate.seconds));
            md.append(String.format(Locale.ROOT, "| profile (moments, KLL, HLL, frequent items) | %.2f | %.2f | %.2fx |%n", duckProfile.seconds,
                    sparkProfile.seconds, sparkProfile.seconds / duckProfile.seconds));
            md.append('\n');
        }
        md.append("| batch scoring on Spark local[2] | seconds | rows/s | Cairn / plain throughput |\n|---|---:|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| plain mapPartitions + XGBoost4J inplace_predict (hand-coded encoding) | %.2f | %,.0f | |%n",
                plainScore.seconds, scoreRows / plainScore.seconds));
        md.append(String.format(Locale.ROOT, "| Cairn SparkScorer (cairn-runtime predictColumns, whole-or-nothing Parquet) | %.2f | %,.0f | %.2f |%n",
                cairnScore.seconds, scoreRows / cairnScore.seconds, plainScore.seconds / cairnScore.seconds));
        if (all) {
            md.append(String.format(Locale.ROOT, "%nPer-partition cost (2 tasks at once): validation %.3f s, profile %.3f s per %,d-row partition; "
                    + "scoring %.3f s per %,d-row partition.%n", sparkValidate.seconds * 2 / partitions, sparkProfile.seconds * 2 / partitions,
                    rows / partitions, cairnScore.seconds * 2 / scorePartitions, scoreRows / scorePartitions));
            md.append(String.format(Locale.ROOT, "Checks: DuckDB %d failed, Spark %d failed; profile rows DuckDB %,d, Spark %,d. ",
                    duckValidate.value.failures().size(), sparkValidate.value.failures().size(), duckProfile.value.rowCount(),
                    sparkProfile.value.rowCount()));
        }
        md.append(String.format(Locale.ROOT, "Scored rows %,d (Cairn) and %,d (plain).%n", cairnScore.value, plainScore.value));
        System.out.println(md);
        spark.stop();
    }

    /** The baseline: the same rows, encoded by hand as the golden model's preprocessing says, into XGBoost4J directly. */
    private static long plainScore(SparkSession spark, Path credit, Path out) {
        JavaRDD<Row> rows = spark.read().parquet(credit.toString()).javaRDD();
        String scoredAt = Instant.now().toString();
        JavaRDD<Row> scored = rows.mapPartitions(part -> plainPartition(part, scoredAt));
        // The same five columns as Cairn's output (and `cairn score`'s): id, label, probability, model_version, scored_at.
        StructType schema = new StructType().add("id", DataTypes.LongType).add("label", DataTypes.StringType)
                .add("probability", DataTypes.DoubleType).add("model_version", DataTypes.StringType).add("scored_at", DataTypes.StringType);
        spark.createDataFrame(scored, schema).write().mode(SaveMode.Overwrite).parquet(out.toString());
        return spark.read().parquet(out.toString()).count();
    }

    /**
     * The baseline's partition: batches of 10,000 rows encoded by hand and predicted by XGBoost4J as Spark's writer
     * asks for rows, holding one batch's output at a time (as Cairn's scorer does; a partition's rows held in a list
     * cost it about a second of garbage collection per million rows).
     */
    private static Iterator<Row> plainPartition(Iterator<Row> part, String scoredAt) {
        Booster booster = BOOSTERS.computeIfAbsent("model", k -> {
            try {
                return XGBoost.loadModel(SparkFiles.get("model.ubj"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        int width = 9;
        int batch = 10_000;
        float[] features = new float[batch * width];
        long[] ids = new long[batch];
        return new Iterator<>() {
            private Row[] out = new Row[0];
            private int next;

            @Override
            public boolean hasNext() {
                if (next < out.length) return true;
                if (!part.hasNext()) return false;
                int n = 0;
                while (n < batch && part.hasNext()) {
                    Row r = part.next();
                    int o = n * width;
                    String checking = r.getString(1);
                    features[o] = "<0".equals(checking) ? 1 : 0;
                    features[o + 1] = "0<=X<200".equals(checking) ? 1 : 0;
                    features[o + 2] = ">=200".equals(checking) ? 1 : 0;
                    features[o + 3] = "no checking".equals(checking) ? 1 : 0;
                    features[o + 4] = r.getLong(2);
                    double amount = r.isNullAt(3) ? 2320.0 : r.getDouble(3);
                    features[o + 5] = (float) ((amount - 3271.0) / 2822.7);
                    String savings = r.isNullAt(4) ? "<100" : r.getString(4);
                    features[o + 6] = savings.equals("<100") ? 0 : savings.equals("100<=X<500") ? 1 : 2;
                    double age = r.getLong(5);
                    features[o + 7] = age < 25 ? 0 : age < 35 ? 1 : age < 50 ? 2 : 3;
                    features[o + 8] = r.getBoolean(6) ? 1 : 0;
                    ids[n] = r.getLong(0);
                    n++;
                }
                float[][] p;
                try {
                    p = booster.inplace_predict(n == batch ? features : Arrays.copyOf(features, n * width), n, width, Float.NaN);
                } catch (XGBoostError e) {
                    throw new IllegalStateException(e);
                }
                if (out.length != n) out = new Row[n];
                for (int i = 0; i < n; i++) {
                    double good = p[i][0];
                    out[i] = RowFactory.create(ids[i], good >= 0.5 ? "good" : "bad", good, "bench", scoredAt);
                }
                next = 0;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return out[next++];
            }
        };
    }

    private record Timed<T>(T value, double seconds) {}

    /** The best time of each of two runs, taken in turns. */
    private static <T> List<Timed<T>> alternate(Supplier<T> first, Supplier<T> second) {
        List<Supplier<T>> work = List.of(first, second);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        List<T> values = new ArrayList<>(Collections.nCopies(2, null));
        for (int i = 0; i < REPEATS; i++) {
            for (int w = 0; w < 2; w++) {
                long t0 = System.nanoTime();
                values.set(w, work.get(w).get());
                double s = (System.nanoTime() - t0) / 1e9;
                log(String.format(Locale.ROOT, "  %s %.2f s", w == 0 ? "cairn" : "plain", s));
                best[w] = Math.min(best[w], s);
            }
        }
        return List.of(new Timed<>(values.get(0), best[0]), new Timed<>(values.get(1), best[1]));
    }

    private static <T> Timed<T> best(Supplier<T> work) {
        double best = Double.MAX_VALUE;
        T value = null;
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            value = work.get();
            double s = (System.nanoTime() - t0) / 1e9;
            log(String.format(Locale.ROOT, "  %.2f s", s));
            best = Math.min(best, s);
        }
        return new Timed<>(value, best);
    }

    /** bench/data's synthetic file: id, 9 doubles, 5 integers, 5 categories, 1-3% missing. */
    static void generate(Path file, long rows) throws SQLException {
        StringBuilder q = new StringBuilder("COPY (SELECT i AS id, ");
        for (int i = 0; i < 9; i++) {
            q.append("CASE WHEN random() < 0.02 THEN NULL ELSE random() * ").append((i + 1) * 100).append(" END AS num").append(i).append(", ");
        }
        for (int i = 0; i < 5; i++) {
            q.append("CASE WHEN random() < 0.01 THEN NULL ELSE (random() * ").append(10 + i * 50).append(")::BIGINT END AS int").append(i).append(", ");
        }
        for (int i = 0; i < 5; i++) {
            q.append("CASE WHEN random() < 0.03 THEN NULL ELSE 'c' || ((random() * ").append(5 + i * 10).append(")::INT)::VARCHAR END AS cat")
                    .append(i).append(i < 4 ? ", " : " ");
        }
        q.append("FROM range(").append(rows).append(") t(i)) TO '").append(file).append("' (FORMAT parquet)");
        duckdb(q.toString());
    }

    /** Rows the golden credit model accepts: its six inputs and an id. */
    static void credit(Path file, long rows) throws SQLException {
        duckdb("COPY (SELECT i AS id, (['<0', '0<=X<200', '>=200', 'no checking'])[1 + (random() * 4)::INT % 4] AS checking_status,"
                + " (4 + random() * 60)::BIGINT AS duration,"
                + " CASE WHEN random() < 0.12 THEN NULL ELSE 250.0 + floor(random() * 15000) END::DOUBLE AS credit_amount,"
                + " CASE WHEN random() < 0.12 THEN NULL ELSE (['<100', '100<=X<500', '>=500'])[1 + (random() * 3)::INT % 3] END AS savings_status,"
                + " (19 + random() * 60)::BIGINT AS age, random() < 0.5 AS own_telephone"
                + " FROM range(" + rows + ") t(i)) TO '" + file + "' (FORMAT parquet)");
    }

    private static void duckdb(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void log(String message) {
        System.err.println("[bench/spark] " + message);
    }
}
