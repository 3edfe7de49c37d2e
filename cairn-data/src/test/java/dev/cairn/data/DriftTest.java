package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.error.CairnException;
import dev.cairn.data.drift.DriftOptions;
import dev.cairn.data.drift.DriftResult;
import dev.cairn.data.drift.FeatureDrift;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ReproducibleKll;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftTest {
    @TempDir
    Path dir;

    private final DataValidation data = new DataValidation();

    private static FeatureDrift feature(DriftResult r, String column) {
        return r.features().stream().filter(f -> f.column().equals(column)).findFirst().orElseThrow();
    }

    @Test
    void smallDatasetsAreComparedExactlyWithKsAndChiSquareAsScipyComputesThem() throws Exception {
        // The same samples as DriftStatisticsTest: KS p-value 0.29773860357051635 in SciPy.
        String a = Arrays.stream(new double[] {0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82,
            0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47}).mapToObj(v -> v + ",x").collect(Collectors.joining("\n"));
        String b = Arrays.stream(new double[] {2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27,
            -0.37, 0.38, 0.7, 0.19, -0.15, -0.23, 0.17, 0.74, 0.81, -0.04, 0.55, 0.32, -0.79, 1.06}).mapToObj(v -> v + ",y").collect(Collectors.joining("\n"));
        Path ref = TestFiles.write(dir, "ref.csv", "v,c\n" + a + "\n");
        Path cur = TestFiles.write(dir, "cur.csv", "v,c\n" + b + "\n");
        DriftResult r = data.drift(DataValidation.file(ref), DataValidation.file(cur), DriftOptions.DEFAULT);

        FeatureDrift v = feature(r, "v");
        assertThat(v.test()).isEqualTo("ks");
        assertThat(v.method()).isEqualTo("exact");
        assertThat(v.statistics().get("ks_statistic")).isCloseTo(0.25103448275862067, within(1e-12));
        assertThat(v.value()).isCloseTo(0.29773860357051635, within(1e-12));
        assertThat(v.statistics().get("wasserstein_normed")).isCloseTo(0.4132547534312751, within(1e-12));
        // Bins at the reference's quantiles: NumPy values from drift-references.py (PSI_NUM_QUANTILE_BINS, JS_NUM_QUANTILE_BINS).
        assertThat(v.statistics().get("psi")).isCloseTo(2.8797415828224695, within(1e-10));
        assertThat(v.statistics().get("jensen_shannon")).isCloseTo(0.43936690396269595, within(1e-10));
        assertThat(v.drifted()).isFalse();

        FeatureDrift c = feature(r, "c");
        assertThat(c.test()).isEqualTo("z");
        assertThat(c.drifted()).isTrue();
        assertThat(c.statistics()).containsKeys("chi_square_p_value", "jensen_shannon", "psi", "l_infinity", "z_p_value");
        assertThat(c.statistics().get("l_infinity")).isEqualTo(1.0);
        assertThat(r.driftedColumns()).isEqualTo(1);
        assertThat(r.driftShare()).isEqualTo(0.5);
        assertThat(r.datasetDrift()).isTrue();
    }

    @Test
    void largeReferencesUseWassersteinAndJensenShannonAndReportEveryValue() throws Exception {
        Path ref = TestFiles.parquet(dir, "ref.parquet", 20_000, 0);
        Path same = TestFiles.parquet(dir, "same.parquet", 20_000, 0);
        Path shifted = dir.resolve("shifted.parquet");
        TestFiles.duckdb("COPY (SELECT id, amount * 1.5 + 20 AS amount, age, CASE WHEN id % 2 = 0 THEN 'A' ELSE grade END AS grade, flag FROM read_parquet('"
                + ref + "')) TO '" + shifted + "' (FORMAT parquet)");
        DriftResult none = data.drift(DataValidation.file(ref), DataValidation.file(same), DriftOptions.DEFAULT);
        assertThat(none.driftedColumns()).isZero();
        assertThat(feature(none, "amount").test()).isEqualTo("wasserstein");
        assertThat(feature(none, "amount").value()).isEqualTo(0.0);
        assertThat(feature(none, "grade").test()).isEqualTo("jensen_shannon");

        DriftResult drift = data.drift(DataValidation.file(ref), DataValidation.file(shifted), DriftOptions.DEFAULT);
        assertThat(feature(drift, "amount").drifted()).isTrue();
        assertThat(feature(drift, "grade").drifted()).isTrue();
        assertThat(feature(drift, "age").drifted()).isFalse();
        assertThat(feature(drift, "age").statistics()).containsKeys("ks_p_value", "psi", "jensen_shannon", "wasserstein_normed");
    }

    @Test
    void profilesAloneGiveDriftFromTheirSketchesCloseToTheExactValues() throws Exception {
        Path ref = TestFiles.parquet(dir, "ref.parquet", 20_000, 0);
        Path shifted = dir.resolve("shifted.parquet");
        TestFiles.duckdb("COPY (SELECT id, amount + 5 AS amount, age, grade, flag FROM read_parquet('" + ref + "')) TO '" + shifted
                + "' (FORMAT parquet)");
        DatasetProfile a = data.profile(DataValidation.file(ref));
        DatasetProfile b = data.profile(DataValidation.file(shifted));
        DriftResult sketch = data.drift(a, b, new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("amount", "ks")));
        DriftResult exact = data.drift(DataValidation.file(ref), DataValidation.file(shifted), new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("amount", "ks")));
        FeatureDrift s = feature(sketch, "amount");
        FeatureDrift e = feature(exact, "amount");
        assertThat(s.method()).isEqualTo("sketch");
        assertThat(e.method()).isEqualTo("exact");
        assertThat(s.test()).isEqualTo("ks");
        // Tolerances from KLL's documented bound: each sketch's CDF is within ε = ReproducibleKll.RANK_ERROR
        // (KllSketch.getNormalizedRankError(200, false) ≈ 0.0133, 99% confidence) of the exact one. So the KS
        // statistic (a largest CDF gap) is within 2ε, and Wasserstein (the integral of the CDF gap over the
        // values' range) within 2ε times that range. Profiles are reproducible, so this is not a matter of luck.
        double epsilon = ReproducibleKll.RANK_ERROR;
        var ra = a.column("amount").orElseThrow().numeric();
        var rb = b.column("amount").orElseThrow().numeric();
        double range = Math.max(ra.max(), rb.max()) - Math.min(ra.min(), rb.min());
        assertThat(s.statistics().get("ks_statistic")).isCloseTo(e.statistics().get("ks_statistic"), within(2 * epsilon));
        assertThat(s.statistics().get("wasserstein")).isCloseTo(e.statistics().get("wasserstein"), within(2 * epsilon * range));
        assertThat(s.drifted()).isEqualTo(e.drifted()).isTrue();
    }

    @Test
    void psiFromProfilesAndPsiFromFilesUseTheSameBinsAndAgreeWithinTheSketchErrorBound() throws Exception {
        Path ref = TestFiles.parquet(dir, "ref.parquet", 20_000, 0);
        Path shifted = dir.resolve("shifted.parquet");
        TestFiles.duckdb("COPY (SELECT id, amount * 1.1 + 3 AS amount, age, grade, flag FROM read_parquet('" + ref + "')) TO '" + shifted
                + "' (FORMAT parquet)");
        DriftOptions psi = new DriftOptions(0.05, 0.1, 0.5, 10, Map.of("amount", "psi", "id", "psi"));
        DriftResult fromProfiles = data.drift(data.profile(DataValidation.file(ref)), data.profile(DataValidation.file(shifted)), psi);
        DriftResult fromFiles = data.drift(DataValidation.file(ref), DataValidation.file(shifted), psi);
        for (String column : java.util.List.of("amount", "id")) {
            FeatureDrift s = feature(fromProfiles, column);
            FeatureDrift e = feature(fromFiles, column);
            assertThat(s.method()).isEqualTo("sketch");
            assertThat(e.method()).isEqualTo("exact");
            // psi_error_bound: KLL's normalized PMF error (ReproducibleKll.PMF_ERROR, 99% confidence) on each
            // bin's share, carried through PSI (DriftStatistics.psiErrorBound).
            double bound = s.statistics().get("psi_error_bound");
            assertThat(bound).isPositive().isLessThan(0.5);
            assertThat(s.value()).as(column).isCloseTo(e.value(), within(bound));
            assertThat(e.statistics()).doesNotContainKey("psi_error_bound");
        }
    }

    private static String categories(Map<String, Integer> counts) {
        StringBuilder b = new StringBuilder("grade\n");
        counts.forEach((k, n) -> b.append((k + "\n").repeat(n)));
        return b.toString();
    }

    @Test
    void theContingencyChiSquareIsATestSelectableByName() throws Exception {
        Path ref = TestFiles.write(dir, "ref.csv", categories(new java.util.TreeMap<>(Map.of("a", 120, "b", 80, "c", 50, "d", 10))));
        Path cur = TestFiles.write(dir, "cur.csv", categories(new java.util.TreeMap<>(Map.of("a", 90, "b", 95, "c", 40, "d", 25))));
        DriftResult r = data.drift(DataValidation.file(ref), DataValidation.file(cur),
                new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("grade", "chi_square_contingency")));
        FeatureDrift grade = feature(r, "grade");
        assertThat(grade.test()).isEqualTo("chi_square_contingency");
        // scipy.stats.chi2_contingency([[120, 80, 50, 10], [90, 95, 40, 25]]) (drift-references.py, CHI2_CONT_P).
        assertThat(grade.value()).isCloseTo(0.004812843059593781, within(1e-14));
        assertThat(grade.statistics().get("chi_square_contingency_statistic")).isCloseTo(12.920000000000002, within(1e-10));
        assertThat(grade.drifted()).isTrue();
        // Beside it, Evidently's goodness-of-fit chi-square is still reported.
        assertThat(grade.statistics().get("chi_square_p_value")).isCloseTo(8.234036349139636e-08, within(1e-18));
    }

    @Test
    void aTestErrorListsTheTestNamesAndTheColumnsEachNeeds() throws Exception {
        assertThatThrownBy(() -> new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("grade", "ks_p_value")))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("'ks_p_value'")
                .hasMessageContaining("ks (numeric columns")
                .hasMessageContaining("chi_square_contingency (categorical columns, and numeric columns with at most 5 distinct values")
                .hasMessageContaining("z (columns with at most 2 distinct values");
        Path ref = TestFiles.write(dir, "ref.csv", categories(Map.of("a", 3, "b", 4, "c", 5)));
        assertThatThrownBy(() -> data.drift(DataValidation.file(ref), DataValidation.file(ref), new DriftOptions(0.05, 0.1, 0.5, 30, Map.of("grade", "ks"))))
                .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code().exitCode()).isEqualTo(2))
                .hasMessageContaining("Test 'ks' does not apply to column 'grade' (categorical): it needs numeric columns")
                .hasMessageContaining("Tests that apply to it: psi, jensen_shannon, chi_square, chi_square_contingency, l_infinity.")
                .message().doesNotContain("_p_value");
    }
}
