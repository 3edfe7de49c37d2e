package dev.cairn.data.drift;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.commons.math3.util.ArithmeticUtils;

/**
 * The drift statistics, computed as SciPy and Evidently compute them, so that their values can be
 * checked against SciPy's (see DriftStatisticsTest): two-sample Kolmogorov–Smirnov with SciPy's
 * choice of exact or asymptotic p-value, Pearson's chi-square of current counts against reference
 * proportions (Evidently's goodness of fit) and of the 2×k contingency table (SciPy's
 * chi2_contingency), population stability index, Jensen–Shannon distance, Wasserstein distance, L∞
 * and the two-proportion z-test.
 */
public final class DriftStatistics {
    /** SciPy's ks_2samp computes the exact p-value when both samples are at most this large. */
    public static final int KS_EXACT_MAX_N = 10_000;
    /** Evidently's replacement for empty bins in PSI and Jensen–Shannon, so logarithms stay finite. */
    public static final double EMPTY_BIN = 0.0001;

    private DriftStatistics() {}

    /** The KS statistic of two samples: the largest distance between their empirical CDFs. */
    public static double ksStatistic(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] == v) i++;
            while (j < y.length && y[j] == v) j++;
            d = Math.max(d, Math.abs(i / (double) x.length - j / (double) y.length));
        }
        return d;
    }

    /** The two-sided p-value of a KS statistic {@code d} for samples of sizes n and m, as SciPy's ks_2samp(method='auto'). */
    public static double ksPValue(double d, long n, long m) {
        if (n == 0 || m == 0) return 1.0;
        if (Math.max(n, m) <= KS_EXACT_MAX_N) return ksExactPValue(d, (int) n, (int) m);
        double big = Math.max(n, m);
        double small = Math.min(n, m);
        long en = Math.round(big * small / (big + small));
        return kolmogorovSurvival(d, en);
    }

    /**
     * The exact two-sided p-value P(D ≥ d): the share of lattice paths from (0,0) to (n,m) that leave
     * the band |i/n − j/m| < d (Hodges 1958). As SciPy's {@code _compute_outer_prob_inside_method}, the
     * recursion carries that share itself (Viehmann 2021, arXiv:2102.08037) rather than one minus the
     * share inside, so a tiny p-value keeps its precision instead of cancelling to 0 (3e-28, not 0.0).
     * q[j] is the probability that a uniformly random path to (i, j) has left the band; a path to (i, j)
     * comes from (i−1, j) with probability i/(i+j).
     */
    static double ksExactPValue(double d, int n1, int n2) {
        int m = Math.max(n1, n2);
        int n = Math.min(n1, n2);
        int g = ArithmeticUtils.gcd(m, n);
        long mg = m / g;
        long ng = n / g;
        long h = Math.round(d * (mg * n)); // d in units of 1/lcm(m, n)
        if (h == 0) return 1.0;
        double[] q = new double[n + 1];
        for (int j = 0; j <= n; j++) q[j] = (long) j * mg >= h ? 1.0 : 0.0;
        for (int i = 1; i <= m; i++) {
            if ((long) i * ng >= h) q[0] = 1.0;
            for (int j = 1; j <= n; j++) {
                if (Math.abs((long) i * ng - (long) j * mg) >= h) {
                    q[j] = 1.0;
                } else {
                    q[j] = (i * q[j] + j * q[j - 1]) / (i + j);
                }
            }
        }
        return clip(q[n]);
    }

    /**
     * P(D_n ≥ d) of the one-sample Kolmogorov distribution, with SciPy's kstwo.sf branches (Simard
     * and L'Ecuyer 2011): exact tails from Ruben–Gambino, twice the one-sided Smirnov probability
     * where n·d² is large (so small p-values keep their precision), else one minus the CDF.
     */
    public static double kolmogorovSurvival(double d, long n) {
        if (d >= 1) return 0.0;
        if (d <= 0) return 1.0;
        double t = n * d;
        if (t <= 1.0) {
            if (t <= 0.5) return 1.0;
            double logCdf = Gamma.logGamma(n + 1.0) - n * Math.log(n) + n * Math.log(2 * t - 1);
            return 1.0 - Math.exp(logCdf);
        }
        if (t >= n - 1) return 2 * Math.pow(1.0 - d, n);
        if (d >= 0.5) return clip(2 * smirnov(n, d));
        double nxSquared = t * d;
        if (n <= 140) {
            return nxSquared <= 4 ? clip(1.0 - new KolmogorovSmirnovTest().cdf(d, (int) n)) : clip(2 * smirnov(n, d));
        }
        if (nxSquared >= 370.0) return 0.0;
        if (nxSquared >= 2.2) return clip(2 * smirnov(n, d));
        int size = (int) Math.min(n, Integer.MAX_VALUE);
        return clip(1.0 - new KolmogorovSmirnovTest().cdf(d, size));
    }

    /** The exact one-sided Smirnov probability P(D_n⁺ ≥ d) (Birnbaum and Tingey 1951), summed in logs. */
    static double smirnov(long n, double d) {
        double sum = 0;
        long last = (long) Math.floor(n * (1 - d));
        double logNFactorial = Gamma.logGamma(n + 1.0);
        for (long j = 0; j <= last; j++) {
            double a = 1 - d - j / (double) n;
            if (a <= 0) continue;
            double logTerm = logNFactorial - Gamma.logGamma(j + 1.0) - Gamma.logGamma(n - j + 1.0)
                    + (n - j) * Math.log(a) + (j - 1) * Math.log(d + j / (double) n);
            sum += Math.exp(logTerm);
        }
        return d * sum;
    }

    private static double clip(double p) {
        return Math.min(1.0, Math.max(0.0, p));
    }

    /** Pearson's chi-square of observed counts against expected counts; {statistic, p-value}. */
    public static double[] chiSquare(double[] observed, double[] expected) {
        double stat = 0;
        for (int i = 0; i < observed.length; i++) {
            if (expected[i] == 0) {
                if (observed[i] != 0) stat = Double.POSITIVE_INFINITY;
                continue;
            }
            double diff = observed[i] - expected[i];
            stat += diff * diff / expected[i];
        }
        int dof = observed.length - 1;
        double p = dof <= 0 ? 1.0 : Double.isInfinite(stat) ? 0.0 : Gamma.regularizedGammaQ(dof / 2.0, stat / 2.0);
        return new double[] {stat, p};
    }

    /** Evidently's chi-square: current counts against the reference's proportions scaled to the current size. */
    public static double[] chiSquare(Map<String, Double> reference, Map<String, Double> current) {
        Set<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(current.keySet());
        double nRef = reference.values().stream().mapToDouble(Double::doubleValue).sum();
        double nCur = current.values().stream().mapToDouble(Double::doubleValue).sum();
        double[] observed = new double[keys.size()];
        double[] expected = new double[keys.size()];
        int i = 0;
        for (String k : keys) {
            observed[i] = current.getOrDefault(k, 0.0);
            expected[i] = nRef == 0 ? 0 : reference.getOrDefault(k, 0.0) * nCur / nRef;
            i++;
        }
        return chiSquare(observed, expected);
    }

    /**
     * SciPy's {@code chi2_contingency} on the 2×k table of reference and current counts by category:
     * {statistic, p-value}. Expected counts are row total × column total / N; with one degree of freedom
     * (a 2×2 table) Yates' continuity correction applies, as SciPy's default {@code correction=True} does
     * (each observed count moves towards its expected one by at most 0.5).
     */
    public static double[] chiSquareContingency(Map<String, Double> reference, Map<String, Double> current) {
        Set<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(current.keySet());
        double nRef = reference.values().stream().mapToDouble(Double::doubleValue).sum();
        double nCur = current.values().stream().mapToDouble(Double::doubleValue).sum();
        double total = nRef + nCur;
        int dof = keys.size() - 1;
        if (dof <= 0 || nRef == 0 || nCur == 0) return new double[] {0.0, 1.0};
        double stat = 0;
        for (String k : keys) {
            double column = reference.getOrDefault(k, 0.0) + current.getOrDefault(k, 0.0);
            for (double[] cell : new double[][] {{reference.getOrDefault(k, 0.0), nRef}, {current.getOrDefault(k, 0.0), nCur}}) {
                double expected = cell[1] * column / total;
                double observed = cell[0];
                if (dof == 1) {
                    double diff = expected - observed;
                    observed += Math.signum(diff) * Math.min(0.5, Math.abs(diff));
                }
                stat += (observed - expected) * (observed - expected) / expected;
            }
        }
        return new double[] {stat, Gamma.regularizedGammaQ(dof / 2.0, stat / 2.0)};
    }

    /** Population stability index of two distributions given as proportions (empty bins set to 0.0001). */
    public static double psi(double[] reference, double[] current) {
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = reference[i] == 0 ? EMPTY_BIN : reference[i];
            double c = current[i] == 0 ? EMPTY_BIN : current[i];
            psi += (r - c) * Math.log(r / c);
        }
        return psi;
    }

    /**
     * A bound on the error of a PSI computed from sketches, when each bin's share on either side is
     * within {@code epsilon} of the exact one (the sketch's normalized PMF error). Each bin's term
     * f(r, c) = (r − c) ln(r/c) is convex, so over the box r ± ε, c ± ε it rises at most to its largest
     * corner and falls at most by the gradient's reach ε(|∂f/∂r| + |∂f/∂c|), with ∂f/∂r = ln(r/c) + 1 − c/r
     * and ∂f/∂c = −ln(r/c) + 1 − r/c. Shares are kept at least {@link #EMPTY_BIN}, as in {@link #psi}.
     */
    public static double psiErrorBound(double[] reference, double[] current, double epsilon) {
        double bound = 0;
        for (int i = 0; i < reference.length; i++) {
            double r = Math.max(reference[i], EMPTY_BIN);
            double c = Math.max(current[i], EMPTY_BIN);
            double f = psiTerm(r, c);
            double rise = 0;
            for (double dr : new double[] {-epsilon, epsilon}) {
                for (double dc : new double[] {-epsilon, epsilon}) {
                    rise = Math.max(rise, psiTerm(Math.max(r + dr, EMPTY_BIN), Math.max(c + dc, EMPTY_BIN)) - f);
                }
            }
            double log = Math.log(r / c);
            double fall = epsilon * (Math.abs(log + 1 - c / r) + Math.abs(-log + 1 - r / c));
            bound += Math.max(rise, fall);
        }
        return bound;
    }

    private static double psiTerm(double r, double c) {
        return (r - c) * Math.log(r / c);
    }

    /** Jensen–Shannon distance (natural log, the square root of the divergence), as SciPy's jensenshannon. */
    public static double jensenShannon(double[] p, double[] q) {
        double sp = Arrays.stream(p).sum();
        double sq = Arrays.stream(q).sum();
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / sp;
            double b = q[i] / sq;
            double m = (a + b) / 2;
            if (a > 0) divergence += a * Math.log(a / m);
            if (b > 0) divergence += b * Math.log(b / m);
        }
        return Math.sqrt(Math.max(0, divergence / 2));
    }

    /** The largest absolute difference between two distributions' proportions (TFDV's L∞ distance). */
    public static double lInfinity(double[] p, double[] q) {
        double d = 0;
        for (int i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i] - q[i]));
        return d;
    }

    /** The first Wasserstein distance between two samples, as SciPy's wasserstein_distance. */
    public static double wasserstein(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        double[] all = new double[x.length + y.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        Arrays.sort(all);
        double distance = 0;
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length - 1; k++) {
            while (i < x.length && x[i] <= all[k]) i++;
            while (j < y.length && y[j] <= all[k]) j++;
            distance += Math.abs(i / (double) x.length - j / (double) y.length) * (all[k + 1] - all[k]);
        }
        return distance;
    }

    /** Population standard deviation (NumPy's np.std). */
    public static double std(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        double s = 0;
        for (double v : values) s += (v - mean) * (v - mean);
        return values.length == 0 ? 0 : Math.sqrt(s / values.length);
    }

    /** Evidently's normed Wasserstein: the distance divided by the reference's standard deviation (at least 0.001). */
    public static double wassersteinNormed(double distance, double referenceStd) {
        return distance / Math.max(referenceStd, 0.001);
    }

    /** Two-proportion z-test, two-sided: {z, p-value}. {@code k} successes of {@code n}. */
    public static double[] proportionZTest(double k1, double n1, double k2, double n2) {
        double p1 = k1 / n1;
        double p2 = k2 / n2;
        double pooled = (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
        if (se == 0) return new double[] {0, 1};
        double z = (p1 - p2) / se;
        return new double[] {z, 2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(z)))};
    }

    /** NumPy's histogram_bin_edges(values, bins) for a range: {@code bins} equal-width bins from lo to hi. */
    public static double[] binEdges(double lo, double hi, int bins) {
        if (!(hi > lo)) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        edges[bins] = hi;
        return edges;
    }

    /** NumPy's histogram(values, edges) counts, as proportions of the sample's size. */
    public static double[] histogram(double[] values, double[] edges) {
        int bins = edges.length - 1;
        double[] counts = new double[bins];
        for (double v : values) {
            if (v < edges[0] || v > edges[bins]) continue;
            int k = Arrays.binarySearch(edges, v);
            int bin = k >= 0 ? Math.min(k, bins - 1) : -k - 2;
            counts[bin]++;
        }
        for (int i = 0; i < bins; i++) counts[i] /= values.length;
        return counts;
    }
}
