package dev.cairn.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.data.drift.DriftStatistics;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reference values computed with SciPy 1.10.1 (Debian 12's python3-scipy, /usr/bin/python3) by
 * src/test/resources/drift-references.py; Evidently's formulas where Evidently wraps SciPy. The tiny KS
 * p-values and chi2_contingency values were added with SciPy 1.17.1 (same script, last lines).
 *
 * <pre>
 * a = [0.61, 0.29, …]; b = [2.2, 1.66, …]      (the arrays below)
 * stats.ks_2samp(a, b); stats.wasserstein_distance(a, b) / np.std(a)
 * x = (arange(12000)*7919 % 10007)/10007.0; y = (arange(15000)*7907 % 10009)/10009.0*1.05
 * stats.chisquare(f_obs, f_exp) with f_exp = reference counts * n_cur / n_ref
 * bins = np.histogram_bin_edges(a + b, bins=30); PSI and jensenshannon of the histograms (0 → 0.0001)
 * </pre>
 */
class DriftStatisticsTest {
    private static final double[] A = {0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
        1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47};
    private static final double[] B = {2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38,
        0.7, 0.19, -0.15, -0.23, 0.17, 0.74, 0.81, -0.04, 0.55, 0.32, -0.79, 1.06};
    private static final Offset<Double> TIGHT = within(1e-12);

    private static double[] x(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((long) i * 7919 % 10007) / 10007.0 * scale;
        return v;
    }

    private static double[] y(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = ((long) i * 7907 % 10009) / 10009.0 * scale;
        return v;
    }

    private static void assertKs(double[] a, double[] b, double d, double p, double pTolerance) {
        double statistic = DriftStatistics.ksStatistic(a, b);
        assertThat(statistic).isCloseTo(d, TIGHT);
        assertThat(DriftStatistics.ksPValue(statistic, a.length, b.length)).isCloseTo(p, within(pTolerance));
    }

    @Test
    @DisplayName("KS statistic and exact p-value of small samples match scipy.stats.ks_2samp")
    void ksSmallSamplesMatchScipy() {
        assertKs(A, B, 0.25103448275862067, 0.29773860357051635, 1e-12);
        assertKs(A, Arrays.copyOf(A, 20), 0.07, 0.9999996692054484, 1e-12);
        assertKs(Arrays.copyOf(A, 20), Arrays.copyOf(B, 20), 0.25, 0.571336004933722, 1e-12);
    }

    @Test
    @DisplayName("KS of samples of a few thousand uses the exact distribution, as SciPy's method='auto'")
    void ksMediumSamplesMatchScipy() {
        assertKs(x(3000, 1), y(2500, 1.05), 0.048666666666666664, 0.0030227291763915884, 1e-12);
    }

    @Test
    @DisplayName("KS of samples over 10000 uses the asymptotic kstwo distribution, as SciPy")
    void ksLargeSamplesMatchScipy() {
        assertKs(x(12000, 1), y(15000, 1.05), 0.04786666666666661, 1.0295962467732987e-13, 1e-15);
        assertKs(x(12000, 1), y(15000, 1.01), 0.010183333333333322, 0.49069002108180215, 1e-5);
        assertThat(DriftStatistics.kolmogorovSurvival(0.05, 500)).isCloseTo(0.15866260223815365, within(1e-6));
        assertThat(DriftStatistics.kolmogorovSurvival(0.02, 6667)).isCloseTo(0.009522631972687882, within(1e-6));
    }

    @Test
    @DisplayName("Tiny exact KS p-values keep their precision instead of underflowing to 0, as SciPy's")
    void ksTinyPValuesMatchScipy() {
        // SciPy 1.17.1, drift-references.py (KS_TINY_*): samples of 1000 (and 800) shifted by 0.25 and 0.3. The p-value
        // is one minus a number within 1e-16 of 1, so it must be computed as the share of paths that leave the band.
        double[] x = x(1000, 1);
        double[] y = y(1000, 1);
        double[] shifted = Arrays.stream(y).map(v -> v + 0.25).toArray();
        assertThat(DriftStatistics.ksStatistic(x, shifted)).isCloseTo(0.252, TIGHT);
        assertThat(DriftStatistics.ksPValue(0.252, 1000, 1000)).isCloseTo(2.730594245482165e-28, within(1e-9 * 2.730594245482165e-28));
        double[] further = Arrays.stream(y).map(v -> v + 0.3).toArray();
        assertThat(DriftStatistics.ksStatistic(x, further)).isCloseTo(0.302, TIGHT);
        assertThat(DriftStatistics.ksPValue(0.302, 1000, 1000)).isCloseTo(1.222371081395849e-40, within(1e-9 * 1.222371081395849e-40));
        double[] y800 = Arrays.stream(y(800, 1)).map(v -> v + 0.25).toArray();
        assertThat(DriftStatistics.ksStatistic(x, y800)).isCloseTo(0.25175, TIGHT);
        assertThat(DriftStatistics.ksPValue(0.25175, 1000, 800)).isCloseTo(3.2360828197086277e-25, within(1e-9 * 3.2360828197086277e-25));
    }

    @Test
    @DisplayName("The contingency-table chi-square matches scipy.stats.chi2_contingency, with Yates' correction for 2x2 only")
    void chiSquareContingencyMatchesScipy() {
        double[] r = DriftStatistics.chiSquareContingency(Map.of("a", 120.0, "b", 80.0, "c", 50.0, "d", 10.0),
                Map.of("a", 90.0, "b", 95.0, "c", 40.0, "d", 25.0));
        assertThat(r[0]).isCloseTo(12.920000000000002, within(1e-10));
        assertThat(r[1]).isCloseTo(0.004812843059593781, within(1e-14));
        double[] yates = DriftStatistics.chiSquareContingency(Map.of("yes", 130.0, "no", 270.0), Map.of("yes", 140.0, "no", 210.0));
        assertThat(yates[0]).isCloseTo(4.237583705357142, within(1e-10));
        assertThat(yates[1]).isCloseTo(0.039538400770252634, within(1e-14));
    }

    @Test
    @DisplayName("Chi-square of current counts against reference proportions matches scipy.stats.chisquare")
    void chiSquareMatchesScipy() {
        double[] r = DriftStatistics.chiSquare(Map.of("a", 120.0, "b", 80.0, "c", 50.0, "d", 10.0),
                Map.of("a", 90.0, "b", 95.0, "c", 40.0, "d", 25.0));
        assertThat(r[0]).isCloseTo(35.80500000000001, within(1e-10));
        assertThat(r[1]).isCloseTo(8.234036349139636e-08, within(1e-18));
    }

    @Test
    @DisplayName("PSI, Jensen-Shannon and L-infinity of categories match NumPy/SciPy")
    void categoricalDistancesMatchScipy() {
        double[] ref = {120 / 260.0, 80 / 260.0, 50 / 260.0, 10 / 260.0};
        double[] cur = {90 / 250.0, 95 / 250.0, 40 / 250.0, 25 / 250.0};
        assertThat(DriftStatistics.psi(ref, cur)).isCloseTo(0.10523326570759253, TIGHT);
        assertThat(DriftStatistics.jensenShannon(ref, cur)).isCloseTo(0.11346388945375749, TIGHT);
        assertThat(DriftStatistics.lInfinity(ref, cur)).isCloseTo(0.10153846153846158, TIGHT);
    }

    @Test
    @DisplayName("PSI and Jensen-Shannon of numbers over 30 equal-width bins match Evidently's binning")
    void binnedDistancesMatchScipy() {
        double lo = Math.min(Arrays.stream(A).min().orElseThrow(), Arrays.stream(B).min().orElseThrow());
        double hi = Math.max(Arrays.stream(A).max().orElseThrow(), Arrays.stream(B).max().orElseThrow());
        double[] edges = DriftStatistics.binEdges(lo, hi, 30);
        double[] ra = DriftStatistics.histogram(A, edges);
        double[] cb = DriftStatistics.histogram(B, edges);
        assertThat(DriftStatistics.psi(ra, cb)).isCloseTo(4.032826159165269, within(1e-10));
        double[] raFilled = Arrays.stream(ra).map(v -> v == 0 ? DriftStatistics.EMPTY_BIN : v).toArray();
        double[] cbFilled = Arrays.stream(cb).map(v -> v == 0 ? DriftStatistics.EMPTY_BIN : v).toArray();
        assertThat(DriftStatistics.jensenShannon(raFilled, cbFilled)).isCloseTo(0.48161994787494616, within(1e-10));
    }

    @Test
    @DisplayName("Wasserstein distance and its normed form match scipy.stats.wasserstein_distance")
    void wassersteinMatchesScipy() {
        double w = DriftStatistics.wasserstein(A, B);
        assertThat(w).isCloseTo(0.4500689655172414, TIGHT);
        assertThat(DriftStatistics.wassersteinNormed(w, DriftStatistics.std(A))).isCloseTo(0.4132547534312751, TIGHT);
    }

    @Test
    @DisplayName("The two-proportion z-test matches Evidently's z_stat_test")
    void zTestMatchesReference() {
        double[] z = DriftStatistics.proportionZTest(130, 400, 140, 350);
        assertThat(z[0]).isCloseTo(-2.1347814095749165, TIGHT);
        assertThat(z[1]).isCloseTo(0.032778869508858666, within(1e-12));
    }
}
