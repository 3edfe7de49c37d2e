package dev.cairn.data.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.DataValidation;
import dev.cairn.data.TestFiles;
import dev.cairn.data.drift.ReconstructionModel.Categorical;
import dev.cairn.data.drift.ReconstructionModel.Numeric;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import dev.cairn.data.source.Sql;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconstructionDriftTest {
    /**
     * Java and SQL evaluate the same IEEE operations in the same order on the same doubles (the
     * literals read back exactly), so they agree to the last bit; 1e-9 is the contract's bound.
     */
    private static final double SAME = 1e-9;
    private static final List<String> MIXED_FEATURES = List.of("x1", "x2", "n", "grade", "flag");

    @TempDir
    Path dir;

    @Test
    @DisplayName("Java's error and DuckDB's errorSql agree on every row: numbers, categories, missing values, unseen values, numbers as text")
    void javaAndSqlAgree() throws Exception {
        Path reference = mixed("reference.csv", 2000, 11, false);
        Path current = mixed("current.csv", 500, 12, true);
        ReconstructionModel model;
        try (LoadedTable ref = open(reference)) {
            model = ReconstructionDrift.fit(ref, MIXED_FEATURES, 10);
            assertAgree(model, ref, c -> Sql.identifier(c));
        }
        assertThat(model.features()).extracting(f -> f.getClass().getSimpleName())
                .containsExactly("Numeric", "Numeric", "Numeric", "Categorical", "Categorical");
        try (LoadedTable cur = open(current)) {
            assertAgree(model, cur, c -> Sql.identifier(c));
            // Numbers given as text (DuckDB's VARCHAR of a DOUBLE reads back as the same double).
            assertAgree(model, cur, c -> "CAST(" + Sql.identifier(c) + " AS VARCHAR)");
        }
    }

    private void assertAgree(ReconstructionModel model, LoadedTable table, Function<String, String> columnSql) throws SQLException {
        String sql = "SELECT " + String.join(", ", model.featureNames().stream().map(columnSql).toList()) + ", "
                + ReconstructionDrift.errorSql(model, columnSql) + " FROM " + table.relation();
        int rows = 0;
        double worst = 0;
        try (Statement s = table.connection().createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 0; i < model.features().size(); i++) row.put(model.featureNames().get(i), r.getObject(i + 1));
                double expected = r.getDouble(model.features().size() + 1);
                double java = ReconstructionDrift.error(model, row);
                assertThat(java).as("row %d: %s", rows, row).isCloseTo(expected, within(SAME));
                worst = Math.max(worst, Math.abs(java - expected));
                rows++;
            }
        }
        assertThat(rows).isPositive();
        assertThat(worst).isLessThanOrEqualTo(SAME);
    }

    @Test
    @DisplayName("NannyML's showcase: a broken correlation leaves each column's distribution unchanged but the reconstruction error crosses the upper threshold")
    void brokenCorrelationIsCaughtWhereUnivariateDriftIsNot() throws Exception {
        Random random = new Random(2024);
        Path reference = correlated("reference.csv", random, 5000, false);
        Path shuffled = correlated("shuffled.csv", random, 5000, true);
        Path same = correlated("same.csv", random, 5000, false);
        Path window = correlated("window.csv", random, 500, false);

        DriftResult univariate = new DataValidation().drift(DataValidation.file(reference), DataValidation.file(shuffled),
                new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("x1", "ks", "x2", "ks")));
        assertThat(univariate.driftedColumns()).isZero();
        assertThat(univariate.features()).allSatisfy(f -> assertThat(f.value()).isGreaterThan(0.05));

        ReconstructionModel model;
        try (LoadedTable ref = open(reference)) {
            model = ReconstructionDrift.fit(ref, List.of("x1", "x2"), 10);
        }
        // x2 = x1 + noise: one component, along the diagonal, explains nearly all the variance.
        assertThat(model.components()).hasSize(1);
        assertThat(model.explainedVariance()).isGreaterThan(0.99);
        assertThat(model.components().getFirst()).allSatisfy(w -> assertThat(w).isCloseTo(Math.sqrt(0.5), within(1e-3)));
        assertThat(model.referenceRows()).isEqualTo(5000);
        assertThat(model.chunkSize()).isEqualTo(500);
        assertThat(model.upperThreshold()).isEqualTo(model.referenceMeanError() + 3 * model.referenceChunkStd());

        MultivariateResult broken = evaluate(model, shuffled);
        assertThat(broken.drifted()).isTrue();
        assertThat(broken.value()).isGreaterThan(broken.upper()).isGreaterThan(5 * model.upperThreshold());

        MultivariateResult sameDistribution = evaluate(model, same);
        assertThat(sameDistribution.drifted()).isFalse();
        assertThat(sameDistribution.value()).isBetween(sameDistribution.lower(), sameDistribution.upper());
        // A window of 10x the chunk size gets a band √10 narrower; one of the chunk size the model's own.
        assertThat(sameDistribution.upper() - sameDistribution.lower())
                .isCloseTo((model.upperThreshold() - model.lowerThreshold()) / Math.sqrt(10), within(1e-12));
        MultivariateResult chunk = evaluate(model, window);
        assertThat(chunk.drifted()).isFalse();
        assertThat(chunk.lower()).isEqualTo(model.lowerThreshold());
        assertThat(chunk.upper()).isEqualTo(model.upperThreshold());
    }

    /** The window's mean error from one aggregate scan, as monitoring computes it. */
    private MultivariateResult evaluate(ReconstructionModel model, Path data) throws SQLException {
        try (LoadedTable table = open(data); Statement s = table.connection().createStatement();
             ResultSet r = s.executeQuery("SELECT avg(" + ReconstructionDrift.errorSql(model, Sql::identifier) + "), count(*) FROM "
                     + table.relation())) {
            r.next();
            return ReconstructionDrift.evaluate(model, r.getDouble(1), r.getLong(2));
        }
    }

    @Test
    @DisplayName("a window without rows is not drifted; a value below the lower threshold is")
    void evaluateEdges() throws Exception {
        ReconstructionModel model;
        try (LoadedTable ref = open(correlated("reference.csv", new Random(7), 1000, false))) {
            model = ReconstructionDrift.fit(ref, List.of("x1", "x2"), 10);
        }
        MultivariateResult empty = ReconstructionDrift.evaluate(model, Double.NaN, 0);
        assertThat(empty.value()).isNaN();
        assertThat(empty.drifted()).isFalse();
        assertThat(ReconstructionDrift.evaluate(model, model.referenceMeanError(), model.chunkSize()).drifted()).isFalse();
        assertThat(ReconstructionDrift.evaluate(model, model.upperThreshold() * 1.01, model.chunkSize()).drifted()).isTrue();
        if (model.lowerThreshold() > 0) {
            assertThat(ReconstructionDrift.evaluate(model, model.lowerThreshold() * 0.99, model.chunkSize()).drifted()).isTrue();
        }
    }

    @Test
    @DisplayName("the model survives JSON exactly, with its format and each feature's kind")
    void jsonRoundTrip() throws Exception {
        ReconstructionModel model;
        try (LoadedTable ref = open(mixed("reference.csv", 1000, 5, false))) {
            model = ReconstructionDrift.fit(ref, MIXED_FEATURES, 10);
        }
        String json = model.toJson();
        assertThat(json).contains("\"format\" : \"cairn.multivariate/v1\"").contains("\"kind\" : \"numeric\"")
                .contains("\"kind\" : \"categorical\"").contains("\"frequencies\"").contains("\"components\"")
                .contains("\"lowerThreshold\"").contains("\"upperThreshold\"").contains("\"chunkSize\" : 100");
        ReconstructionModel back = ReconstructionModel.fromJson(json);
        assertThat(back).isEqualTo(model);
        assertThat(back.toJson()).isEqualTo(json);
        Map<String, Object> row = Map.of("x1", 3.5, "x2", "-1", "n", 4, "grade", "B", "flag", true);
        assertThat(ReconstructionDrift.error(back, row)).isEqualTo(ReconstructionDrift.error(model, row));
    }

    @Test
    @DisplayName("an unseen category encodes as 0; a missing value as the imputed one; unreadable numeric text is missing")
    void encodings() throws Exception {
        ReconstructionModel model;
        try (LoadedTable ref = open(mixed("reference.csv", 1000, 3, false))) {
            model = ReconstructionDrift.fit(ref, MIXED_FEATURES, 10);
        }
        Categorical grade = (Categorical) model.features().get(3);
        assertThat(grade.encode("never seen")).isZero();
        assertThat(grade.frequencies()).containsKeys("A", "B", "C", "O'Brien").doesNotContainKey("never seen");
        assertThat(grade.frequencies().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-12));
        Categorical flag = (Categorical) model.features().get(4);
        assertThat(flag.frequencies()).containsOnlyKeys("false", "true");

        Map<String, Object> base = new LinkedHashMap<>(Map.of("x1", 1.0, "x2", 2.0, "n", 3, "grade", "A", "flag", false));
        double unseen = ReconstructionDrift.error(model, with(base, "grade", "never seen"));
        assertThat(unseen).isEqualTo(standardizedError(model, base, 3, (0 - grade.mean()) / grade.std()));
        assertThat(ReconstructionDrift.error(model, with(base, "grade", null)))
                .isEqualTo(ReconstructionDrift.error(model, with(base, "grade", grade.impute())));
        Numeric x1 = (Numeric) model.features().get(0);
        assertThat(ReconstructionDrift.error(model, with(base, "x1", null)))
                .isEqualTo(ReconstructionDrift.error(model, with(base, "x1", x1.impute())))
                .isEqualTo(ReconstructionDrift.error(model, with(base, "x1", "not a number")))
                .isEqualTo(ReconstructionDrift.error(model, with(base, "x1", Double.NaN)));
        assertThat(ReconstructionDrift.error(model, with(base, "x1", " 1.0 "))).isEqualTo(ReconstructionDrift.error(model, base));
        assertThat(ReconstructionDrift.error(model, with(base, "flag", "false"))).isEqualTo(ReconstructionDrift.error(model, base));
        Map<String, Object> onlyX1 = new HashMap<>(Map.of("x1", 1.0));
        assertThat(ReconstructionDrift.error(model, onlyX1)).isFinite();

        // The SQL agrees on the same edge values, a quote in a category included.
        try (LoadedTable t = open(TestFiles.write(dir, "edges.csv", "x1,x2,n,grade,flag\n"
                + "1.0,2.0,3,never seen,false\n1.0,2.0,3,,false\n,2.0,3,A,false\n1.0,2.0,3,O'Brien,true\n"))) {
            assertAgree(model, t, Sql::identifier);
        }
    }

    private static double standardizedError(ReconstructionModel model, Map<String, Object> row, int index, double value) {
        double[] s = new double[model.features().size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = i == index ? value : switch (model.features().get(i)) {
                case Numeric n -> ReconstructionDrift.standardize(n, ((Number) row.get(n.name())).doubleValue());
                case Categorical c -> ReconstructionDrift.standardize(c, String.valueOf(row.get(c.name())));
            };
        }
        // Straight from the definition, ||s - WᵀWs||, not through the identity the code uses.
        double[][] w = ReconstructionDrift.components(model);
        double[] reconstructed = new double[s.length];
        for (double[] component : w) {
            double p = 0;
            for (int i = 0; i < s.length; i++) p += component[i] * s[i];
            for (int i = 0; i < s.length; i++) reconstructed[i] += p * component[i];
        }
        double sum = 0;
        for (int i = 0; i < s.length; i++) sum += (s[i] - reconstructed[i]) * (s[i] - reconstructed[i]);
        return Math.sqrt(sum);
    }

    private static Map<String, Object> with(Map<String, Object> row, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(row);
        copy.put(key, value);
        return copy;
    }

    @Test
    @DisplayName("the identity-based error matches the definition ||s - WᵀWs|| within rounding")
    void errorMatchesTheDefinition() throws Exception {
        ReconstructionModel model;
        try (LoadedTable ref = open(mixed("reference.csv", 1000, 9, false))) {
            model = ReconstructionDrift.fit(ref, MIXED_FEATURES, 10);
        }
        Map<String, Object> row = Map.of("x1", 4.0, "x2", -3.0, "n", 9, "grade", "C", "flag", true);
        Categorical grade = (Categorical) model.features().get(3);
        double direct = standardizedError(model, Map.of("x1", 4.0, "x2", -3.0, "n", 9, "grade", "C", "flag", true), 3,
                (grade.encode("C") - grade.mean()) / grade.std());
        // A large error (several standard deviations off the subspace): the identity's cancellation costs ~1e-15 relative.
        assertThat(ReconstructionDrift.error(model, row)).isCloseTo(direct, within(1e-12 * direct));
    }

    @Test
    @DisplayName("more rows than the limit: every n-th row in the table's order, exactly the limit")
    void largeTablesAreSampledEvenly() throws Exception {
        Path big = dir.resolve("big.parquet");
        // Three row groups, so DuckDB may scan them in parallel: the sample must still follow the table's order.
        TestFiles.duckdb("COPY (SELECT i AS id, i + (i * 7919) % 1000 AS y FROM range(300000) t(i)) TO '" + big + "' (FORMAT parquet)");
        try (LoadedTable table = open(big)) {
            ReconstructionModel model = ReconstructionDrift.fit(table, List.of("id", "y"), 10);
            assertThat(model.referenceRows()).isEqualTo(ReconstructionDrift.MAX_ROWS);
            assertThat(model.chunkSize()).isEqualTo(10_000);
            // Rows 0, 3, 6, … 299997: their ids average 149998.5.
            assertThat(((Numeric) model.features().getFirst()).impute()).isEqualTo(149_998.5);
            ReconstructionModel small = ReconstructionFit.fit(table, List.of("id", "y"), 4, 7);
            assertThat(small.referenceRows()).isEqualTo(7);
        }
        Path thousand = TestFiles.write(dir, "ids.csv", "id,y\n" + java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> i + "," + (i + i * 37 % 101)).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n");
        try (LoadedTable table = open(thousand)) {
            ReconstructionModel model = ReconstructionFit.fit(table, List.of("id", "y"), 10, 100);
            // Rows 0, 10, … 990.
            assertThat(((Numeric) model.features().getFirst()).impute()).isEqualTo(495.0);
            assertThat(model.chunkSize()).isEqualTo(10);
        }
    }

    @Test
    @DisplayName("bad features, chunks and degenerate references are refused naming the field")
    void refusals() throws Exception {
        Path data = TestFiles.write(dir, "d.csv", "a,b,c,k,t\n1,2,x,5,2024-01-01\n2,3,y,5,2024-01-02\n3,1,x,5,2024-01-03\n4,4,y,5,2024-01-04\n");
        try (LoadedTable t = open(data)) {
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "missing"), 2), "features", "missing");
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a"), 2), "features", null);
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "a"), 2), "features", "a");
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "t"), 2), "features", "t");
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "b"), 1), "chunks", "1");
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "b"), 5), "chunks", "5");
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("k", "k2"), 2), "features", "k2");
        }
        Path constant = TestFiles.write(dir, "constant.csv", "a,b\n1,x\n1,x\n1,x\n1,x\n");
        try (LoadedTable t = open(constant)) {
            assertInvalid(() -> ReconstructionDrift.fit(t, List.of("a", "b"), 2), "features", null);
        }
        // Two independent features: one component explains about half, so both are kept and every row reconstructs exactly.
        Path independent = TestFiles.write(dir, "independent.csv", "a,b\n1,1\n1,-1\n-1,1\n-1,-1\n");
        try (LoadedTable t = open(independent)) {
            assertThatThrownBy(() -> ReconstructionDrift.fit(t, List.of("a", "b"), 2)).isInstanceOf(CairnException.class)
                    .hasMessageContaining("'features'").hasMessageContaining("reconstruct exactly");
        }
    }

    @Test
    @DisplayName("a stored model that is malformed is refused naming the field")
    void malformedJson() throws Exception {
        String json;
        try (LoadedTable ref = open(mixed("reference.csv", 500, 1, false))) {
            json = ReconstructionDrift.fit(ref, MIXED_FEATURES, 10).toJson();
        }
        assertInvalid(() -> ReconstructionModel.fromJson("{ not json"), "json", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replace("cairn.multivariate/v1", "cairn.multivariate/v9")), "format", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"std\" : [0-9.Ee-]+", "\"std\" : -1.0")), "features[0].std", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"mean\" : [0-9.Ee-]+", "\"mean\" : \"abc\"")), "features[0].mean", "abc");
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"kind\" : \"numeric\"", "\"kind\" : \"ordinal\"")), "features[0].kind", "ordinal");
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"chunkSize\"", "\"chunkSizes\"")), "chunkSize", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"upperThreshold\" : [0-9.Ee-]+", "\"upperThreshold\" : -5.0")),
                "upperThreshold", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"components\" : \\[ \\[ [0-9.Ee-]+", "\"components\" : [ [ 7.0")),
                "components", null);
        assertInvalid(() -> ReconstructionModel.fromJson(json.replaceFirst("\"components\" : \\[ \\[ [0-9.Ee-]+,", "\"components\" : [ [")),
                "components[0]", null);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String value) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CairnException.class, e -> {
            assertThat(e.details()).containsEntry("field", field);
            if (value != null) assertThat(e.details()).containsEntry("value", value);
            assertThat(e.getMessage()).contains("'" + field + "'");
        });
    }

    private LoadedTable open(Path path) {
        return DataReader.open(DataValidation.file(path));
    }

    /**
     * x1 ~ N(0,1) with 5% missing; x2 = 2·x1 + 3 + N(0, 0.3); n an integer 0..9; grade among A, B, C
     * and O'Brien with missing values; flag boolean. The current data adds categories the
     * reference never had.
     */
    private Path mixed(String name, int rows, long seed, boolean unseen) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,n,grade,flag\n");
        String[] grades = unseen ? new String[] {"A", "B", "Z", "new value", "O'Brien"} : new String[] {"A", "B", "B", "C", "O'Brien"};
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = 2 * x1 + 3 + 0.3 * random.nextGaussian();
            csv.append(random.nextDouble() < 0.05 ? "" : Double.toString(x1)).append(',')
                    .append(x2).append(',')
                    .append(random.nextInt(10)).append(',')
                    .append(random.nextDouble() < 0.05 ? "" : grades[random.nextInt(grades.length)]).append(',')
                    .append(random.nextDouble() < 0.3).append('\n');
        }
        return TestFiles.write(dir, name, csv.toString());
    }

    /** x1 ~ N(5, 2), x2 = x1 + N(0, 0.1): nearly one-dimensional; with {@code shuffle}, x2's values are permuted across rows. */
    private Path correlated(String name, Random random, int rows, boolean shuffle) throws IOException {
        double[] x1 = new double[rows];
        List<Double> x2 = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            x1[i] = 5 + 2 * random.nextGaussian();
            x2.add(x1[i] + 0.1 * random.nextGaussian());
        }
        if (shuffle) java.util.Collections.shuffle(x2, random);
        StringBuilder csv = new StringBuilder("x1,x2\n");
        for (int i = 0; i < rows; i++) csv.append(String.format(Locale.ROOT, "%s,%s%n", x1[i], x2.get(i)));
        return TestFiles.write(dir, name, csv.toString());
    }
}
