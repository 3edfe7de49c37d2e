package dev.cairn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.data.DataValidation;
import dev.cairn.data.check.CheckResult;
import dev.cairn.data.check.ValidationResult;
import dev.cairn.data.check.Validator;
import dev.cairn.data.history.MetricsHistory;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileJson;
import dev.cairn.data.profile.ReproducibleKll;
import dev.cairn.data.schema.DataSpec;
import dev.cairn.data.schema.SpecYaml;
import dev.cairn.data.source.FileSource;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same data validated, profiled and scored on DuckDB (cairn-data's and cairn-runtime's own
 * paths) and on Spark {@code local[2]} over several partitions: the same check results, profiles
 * equal where they are exact and within the sketches' documented error where they are sketches,
 * and bit-identical scores.
 */
class DifferentialTest {
    private static final int ROWS = 6000;

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path dirty;
    static Path clean;
    static DataSpec spec;

    @BeforeAll
    static void data() throws Exception {
        spark = SharedSpark.get();
        dirty = DiffData.write(dir, "dirty", ROWS, true);
        clean = DiffData.write(dir, "clean", ROWS, false);
        Path yaml = Files.writeString(dir.resolve("spec.yaml"), DiffData.SPEC);
        spec = SpecYaml.read(yaml);
    }

    /** The file on Spark, spread over three partitions so that partial results are merged. */
    private static SparkTable onSpark(Path file) {
        return new SparkTable(spark, spark.read().parquet(file.toString()).repartition(3), file.toString());
    }

    @Test
    void checksGiveTheSameResultsOnBothEngines() {
        ValidationResult duck = new DataValidation().validate(FileSource.of(dirty), spec, null, MetricsHistory.NONE);
        ValidationResult onSpark = Validator.validate(onSpark(dirty), spec, null, MetricsHistory.NONE);

        assertThat(onSpark.rowCount()).isEqualTo(ROWS);
        assertThat(onSpark.success()).isEqualTo(duck.success()).isFalse();
        assertThat(onSpark.failedErrors()).isEqualTo(duck.failedErrors());
        assertThat(onSpark.failedWarnings()).isEqualTo(duck.failedWarnings());
        assertThat(onSpark.results()).hasSameSizeAs(duck.results());
        Map<String, CheckResult> sparkByName = new HashMap<>();
        onSpark.results().forEach(r -> sparkByName.put(r.name(), r));
        for (CheckResult d : duck.results()) {
            CheckResult s = sparkByName.get(d.name());
            assertThat(s).as(d.name()).isNotNull();
            assertThat(s.check()).as(d.name()).isEqualTo(d.check());
            assertThat(s.passed()).as(d.name()).isEqualTo(d.passed());
            assertThat(s.failingRows()).as(d.name()).isEqualTo(d.failingRows());
            assertThat(s.expected()).as(d.name()).isEqualTo(d.expected());
            if (d.observed() == null) {
                assertThat(s.observed()).as(d.name()).isNull();
            } else {
                // Sums and moments are added in another order across partitions: equal to the last few bits.
                assertThat(s.observed()).as(d.name()).isCloseTo(d.observed(), within(Math.abs(d.observed()) * 1e-12));
            }
            if (!d.check().equals("coercion")) assertThat(s.observedText()).as(d.name()).isEqualTo(d.observedText());
            assertThat(s.samples().isEmpty()).as(d.name()).isEqualTo(d.samples().isEmpty());
        }
        assertThat(onSpark.metrics().keySet()).isEqualTo(duck.metrics().keySet());
        duck.metrics().forEach((k, v) -> assertThat(onSpark.metrics().get(k)).as(k).isCloseTo(v, within(Math.abs(v) * 1e-12)));
        // Failures that the dirty rows cause, so the comparison covers failing checks as well as passing ones.
        assertThat(duck.failures()).extracting(CheckResult::check)
                .contains("unique", "regex", "range", "domain", "coercion", "type");
    }

    @Test
    void profilesAgreeExactlyOrWithinTheSketchesBounds() throws SQLException {
        DatasetProfile duck = new DataValidation().profile(FileSource.of(dirty));
        DatasetProfile onSpark = SparkProfiler.profile(onSpark(dirty));

        assertThat(onSpark.format()).isEqualTo(DatasetProfile.FORMAT);
        assertThat(ProfileJson.read(ProfileJson.write(onSpark))).isEqualTo(onSpark);
        assertThat(onSpark.rowCount()).isEqualTo(duck.rowCount());
        assertThat(onSpark.columns()).extracting(ColumnProfile::name).isEqualTo(duck.columns().stream().map(ColumnProfile::name).toList());
        double hllBound = 3 * HllSketch.getRelErr(false, false, 12, 1);
        for (ColumnProfile d : duck.columns()) {
            ColumnProfile s = onSpark.column(d.name()).orElseThrow();
            assertThat(s.duckType()).as(d.name()).isEqualTo(d.duckType());
            assertThat(s.kind()).as(d.name()).isEqualTo(d.kind());
            assertThat(s.count()).as(d.name()).isEqualTo(d.count());
            assertThat(s.missing()).as(d.name()).isEqualTo(d.missing());
            assertThat(s.typeCounts()).as(d.name()).isEqualTo(d.typeCounts());
            if (d.numeric() != null) {
                var dn = d.numeric();
                var sn = s.numeric();
                assertThat(sn.min()).as(d.name()).isEqualTo(dn.min());
                assertThat(sn.max()).as(d.name()).isEqualTo(dn.max());
                assertThat(sn.finiteCount()).isEqualTo(dn.finiteCount());
                assertThat(sn.zeros()).isEqualTo(dn.zeros());
                assertThat(sn.mean()).as(d.name()).isCloseTo(dn.mean(), within(Math.abs(dn.mean()) * 1e-12));
                assertThat(sn.stdDev()).as(d.name()).isCloseTo(dn.stdDev(), within(Math.abs(dn.stdDev()) * 1e-9));
                assertThat((double) sn.distinct()).as(d.name()).isCloseTo(dn.distinct(), within(dn.distinct() * hllBound));
                quantilesWithinRankError(d.name(), sn.quantiles());
            } else {
                var ds = d.strings();
                var ss = s.strings();
                assertThat(ss.min()).isEqualTo(ds.min());
                assertThat(ss.max()).isEqualTo(ds.max());
                assertThat(ss.totalLength()).isEqualTo(ds.totalLength());
                assertThat(ss.minLength()).isEqualTo(ds.minLength());
                assertThat(ss.maxLength()).isEqualTo(ds.maxLength());
                assertThat((double) ss.distinct()).as(d.name()).isCloseTo(ds.distinct(), within(ds.distinct() * hllBound));
                if (ds.distinctExact()) assertThat(ss.topValues()).as(d.name()).isEqualTo(ds.topValues());
            }
        }
    }

    /** Each quantile the Spark profile reports has an exact rank within KLL's normalized rank error of the one asked for. */
    private static void quantilesWithinRankError(String column, Map<String, Double> quantiles) throws SQLException {
        List<Double> sorted = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT CAST(\"" + column + "\" AS DOUBLE) AS v FROM read_parquet('" + dirty
                     + "') WHERE v IS NOT NULL AND isfinite(v) ORDER BY v")) {
            while (r.next()) sorted.add(r.getDouble(1));
        }
        int n = sorted.size();
        for (Map.Entry<String, Double> q : quantiles.entrySet()) {
            double asked = Double.parseDouble(q.getKey());
            double value = q.getValue();
            long below = sorted.stream().filter(v -> v < value).count();
            long atOrBelow = sorted.stream().filter(v -> v <= value).count();
            // The value's exact rank is any of [below/n, atOrBelow/n]; the asked rank must be within the bound of that range.
            assertThat(asked).as(column + " quantile " + q.getKey())
                    .isBetween((double) below / n - ReproducibleKll.RANK_ERROR, (double) atOrBelow / n + ReproducibleKll.RANK_ERROR);
        }
    }

    @Test
    void scoresAreBitIdentical() throws Exception {
        Path pkg = Path.of(DifferentialTest.class.getResource("/model").toURI());
        // DuckDB, as `cairn score` reads its input: JDBC objects in column batches into the runtime's predictColumns.
        Map<Long, Double> expected = new HashMap<>();
        try (Model model = Models.load(pkg); Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM read_parquet('" + clean + "')")) {
            List<String> inputs = model.signature().inputNames();
            List<Long> ids = new ArrayList<>();
            Map<String, List<Object>> columns = new HashMap<>();
            inputs.forEach(i -> columns.put(i, new ArrayList<>()));
            while (r.next()) {
                ids.add(r.getLong("customer_id"));
                for (String i : inputs) columns.get(i).add(r.getObject(i));
            }
            Map<String, Object> batch = new HashMap<>();
            columns.forEach((k, v) -> batch.put(k, v.toArray()));
            List<Prediction> predictions = model.predictColumns(batch);
            for (int i = 0; i < ids.size(); i++) expected.put(ids.get(i), predictions.get(i).probabilities().get("good"));
        }

        Path out = dir.resolve("scores.parquet");
        SparkScorer.Result result = SparkScorer.score(onSpark(clean), new SparkScorer.Options(pkg, "customer_id", 500, "7", out.toString()));

        assertThat(result.rows()).isEqualTo(ROWS);
        List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
        assertThat(rows).hasSize(ROWS);
        for (Row row : rows) {
            long id = row.getLong(0);
            assertThat(Double.doubleToRawLongBits(row.getDouble(2))).as("row " + id).isEqualTo(Double.doubleToRawLongBits(expected.get(id)));
            assertThat(row.getString(3)).isEqualTo("7");
        }
        assertThat(rows.getFirst().schema().fieldNames()).containsExactly("customer_id", "label", "probability", "model_version", "scored_at");
    }
}
