package dev.cairn.data.drift;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.data.profile.ColumnProfile;
import dev.cairn.data.profile.DatasetProfile;
import dev.cairn.data.profile.ProfileSketches;
import dev.cairn.data.profile.ReproducibleKll;
import dev.cairn.data.source.Column;
import dev.cairn.data.source.ColumnKind;
import dev.cairn.data.source.DataReader;
import dev.cairn.data.source.LoadedTable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares a current dataset with a reference, column by column. The test is Evidently's default
 * unless the options name one: for a reference of at most 1000 rows, KS for numbers with more
 * than 5 values, chi-square for more than 2 values, else the two-proportion z-test; for larger
 * references, the normed Wasserstein distance for such numbers and Jensen–Shannon otherwise.
 * Every statistic that applies is computed and reported, drifted or not. PSI and Jensen–Shannon of
 * numbers use bins cut at the reference's quantiles (Evidently cuts equal-width bins), so that drift
 * from files and drift from their profiles agree within the sketches' error (psi_error_bound).
 */
public final class DriftCalculator {
    /** Up to this many values per column, numeric statistics are computed from every value, not from sketches. */
    public static final int EXACT_LIMIT = 2_000_000;
    private static final int SMALL_REFERENCE = 1000;

    private DriftCalculator() {}

    /** Drift from two stored profiles: numeric statistics come from their KLL sketches. */
    public static DriftResult compare(DatasetProfile reference, DatasetProfile current, DriftOptions options) {
        return compare(reference, current, options, column -> null, column -> null);
    }

    /** Drift between two datasets: exact for numeric columns up to {@link #EXACT_LIMIT} values. */
    public static DriftResult compare(LoadedTable reference, DatasetProfile referenceProfile, LoadedTable current,
                                      DatasetProfile currentProfile, DriftOptions options) {
        return compare(referenceProfile, currentProfile, options, c -> values(reference, c), c -> values(current, c));
    }

    private static DriftResult compare(DatasetProfile reference, DatasetProfile current, DriftOptions options,
                                       Function<ColumnProfile, double[]> referenceValues, Function<ColumnProfile, double[]> currentValues) {
        List<FeatureDrift> features = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ColumnProfile r : reference.columns()) {
            ColumnProfile c = current.column(r.name()).orElse(null);
            if (c == null) {
                skipped.add(r.name() + ": absent in the current data");
                continue;
            }
            if ((r.kind() == ColumnKind.NUMERIC) != (c.kind() == ColumnKind.NUMERIC)) {
                skipped.add(r.name() + ": " + r.duckType() + " in the reference, " + c.duckType() + " in the current data");
                continue;
            }
            if (r.present() == 0 || c.present() == 0) {
                skipped.add(r.name() + ": no values in " + (r.present() == 0 ? "the reference" : "the current data"));
                continue;
            }
            features.add(r.kind() == ColumnKind.NUMERIC
                    ? numeric(r, c, options, referenceValues.apply(r), currentValues.apply(c))
                    : categorical(r, c, options));
        }
        for (ColumnProfile c : current.columns()) {
            if (reference.column(c.name()).isEmpty()) skipped.add(c.name() + ": absent in the reference");
        }
        int drifted = (int) features.stream().filter(FeatureDrift::drifted).count();
        double share = features.isEmpty() ? 0 : drifted / (double) features.size();
        return new DriftResult(DriftResult.FORMAT, reference.source(), current.source(), features.size(), drifted, share,
                !features.isEmpty() && share >= options.datasetDriftShare(), options, features, skipped);
    }

    private static FeatureDrift numeric(ColumnProfile r, ColumnProfile c, DriftOptions options, double[] rv, double[] cv) {
        boolean exact = rv != null && cv != null && rv.length > 0 && cv.length > 0;
        NumericDistribution ref = exact ? NumericDistribution.Exact.of(rv)
                : new NumericDistribution.Sketch(ProfileSketches.kll(r), r.numeric().stdDev() == null ? 0 : r.numeric().stdDev());
        NumericDistribution cur = exact ? NumericDistribution.Exact.of(cv)
                : new NumericDistribution.Sketch(ProfileSketches.kll(c), c.numeric().stdDev() == null ? 0 : c.numeric().stdDev());
        double[] support = union(ref.support(), cur.support());
        long uniqueValues = exact ? support.length : Math.max(r.numeric().distinct(), c.numeric().distinct());

        Map<String, Double> stats = new TreeMap<>();
        double d = 0;
        double wasserstein = 0;
        for (int k = 0; k < support.length; k++) {
            double diff = Math.abs(ref.cdf(support[k]) - cur.cdf(support[k]));
            d = Math.max(d, diff);
            if (k < support.length - 1) wasserstein += diff * (support[k + 1] - support[k]);
        }
        stats.put("ks_statistic", d);
        stats.put("ks_p_value", DriftStatistics.ksPValue(d, ref.n(), cur.n()));
        stats.put("wasserstein", wasserstein);
        stats.put("wasserstein_normed", DriftStatistics.wassersteinNormed(wasserstein, ref.std()));
        double[] edges = referenceQuantileEdges(ref, cur, options.bins());
        double[] rf = fill(ref.binFractions(edges));
        double[] cf = fill(cur.binFractions(edges));
        stats.put("psi", DriftStatistics.psi(rf, cf));
        stats.put("jensen_shannon", DriftStatistics.jensenShannon(rf, cf));
        if (!exact) stats.put("psi_error_bound", DriftStatistics.psiErrorBound(rf, cf, ReproducibleKll.PMF_ERROR));
        stats.put("reference_mean", r.numeric().mean());
        stats.put("current_mean", c.numeric().mean());
        if (uniqueValues <= 5) addCategorical(stats, ref.valueCounts(), cur.valueCounts());
        String test = options.tests().getOrDefault(r.name(), defaultTest(true, ref.n(), uniqueValues));
        return verdict(r, c, "num", test, stats, options, exact ? "exact" : "sketch", ref.n(), cur.n());
    }

    private static FeatureDrift categorical(ColumnProfile r, ColumnProfile c, DriftOptions options) {
        Map<String, Double> rc = ProfileSketches.valueCounts(r);
        Map<String, Double> cc = ProfileSketches.valueCounts(c);
        Map<String, Double> stats = new TreeMap<>();
        addCategorical(stats, rc, cc);
        Set<String> keys = new TreeSet<>(rc.keySet());
        keys.addAll(cc.keySet());
        boolean exact = r.strings().distinctExact() && c.strings().distinctExact();
        String test = options.tests().getOrDefault(r.name(), defaultTest(false, r.present(), keys.size()));
        return verdict(r, c, "cat", test, stats, options, exact ? "exact" : "sketch", r.present(), c.present());
    }

    private static void addCategorical(Map<String, Double> stats, Map<String, Double> rc, Map<String, Double> cc) {
        double[] chi = DriftStatistics.chiSquare(rc, cc);
        stats.put("chi_square_statistic", chi[0]);
        stats.put("chi_square_p_value", chi[1]);
        double[] contingency = DriftStatistics.chiSquareContingency(rc, cc);
        stats.put("chi_square_contingency_statistic", contingency[0]);
        stats.put("chi_square_contingency_p_value", contingency[1]);
        Set<String> keys = new TreeSet<>(rc.keySet());
        keys.addAll(cc.keySet());
        double nr = rc.values().stream().mapToDouble(Double::doubleValue).sum();
        double nc = cc.values().stream().mapToDouble(Double::doubleValue).sum();
        double[] p = keys.stream().mapToDouble(k -> rc.getOrDefault(k, 0.0) / nr).toArray();
        double[] q = keys.stream().mapToDouble(k -> cc.getOrDefault(k, 0.0) / nc).toArray();
        stats.put("l_infinity", DriftStatistics.lInfinity(p, q));
        stats.put("psi", DriftStatistics.psi(p, q));
        stats.put("jensen_shannon", DriftStatistics.jensenShannon(fill(p), fill(q)));
        if (keys.size() <= 2) {
            String key = keys.iterator().next();
            double[] z = DriftStatistics.proportionZTest(rc.getOrDefault(key, 0.0), nr, cc.getOrDefault(key, 0.0), nc);
            stats.put("z_statistic", z[0]);
            stats.put("z_p_value", z[1]);
        }
    }

    static String defaultTest(boolean numeric, long referenceSize, long uniqueValues) {
        if (referenceSize <= SMALL_REFERENCE) {
            if (numeric && uniqueValues > 5) return "ks";
            return uniqueValues > 2 ? "chi_square" : "z";
        }
        return numeric && uniqueValues > 5 ? "wasserstein" : "jensen_shannon";
    }

    /** The statistic a test judges by: its p-value, or the distance itself. */
    private static String statisticOf(String test) {
        return switch (test) {
            case "ks" -> "ks_p_value";
            case "chi_square" -> "chi_square_p_value";
            case "chi_square_contingency" -> "chi_square_contingency_p_value";
            case "z" -> "z_p_value";
            case "wasserstein" -> "wasserstein_normed";
            default -> test;
        };
    }

    private static FeatureDrift verdict(ColumnProfile r, ColumnProfile c, String type, String test, Map<String, Double> stats,
                                        DriftOptions options, String method, long nRef, long nCur) {
        Double value = stats.get(statisticOf(test));
        if (value == null) {
            List<String> applicable = DriftOptions.TESTS.stream().filter(t -> stats.containsKey(statisticOf(t))).toList();
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Test '" + test + "' does not apply to column '" + r.name() + "' ("
                    + (type.equals("num") ? "numeric" : "categorical") + "): it needs " + DriftOptions.TEST_COLUMNS.get(test)
                    + ". Tests that apply to it: " + String.join(", ", applicable) + ". All tests: " + DriftOptions.describeTests(),
                    Map.of("column", r.name(), "test", test, "applicable", applicable));
        }
        boolean pTest = DriftOptions.isPValueTest(test);
        double threshold = pTest ? options.pValueThreshold() : options.distanceThreshold();
        boolean drifted = pTest ? value < threshold : value >= threshold;
        Map<String, Double> finite = new LinkedHashMap<>();
        stats.forEach((k, v) -> {
            if (v != null) finite.put(k, v);
        });
        return new FeatureDrift(r.name(), type, test, value, threshold, drifted, finite, method, nRef, nCur);
    }

    /**
     * The bins of PSI and Jensen–Shannon for numbers: cut at the reference's quantiles (i/bins), so each
     * holds about the same share of the reference and none is so thin that a sketch's small absolute error
     * becomes a large relative one; the outer edges reach both samples' extremes. The quantiles are read the
     * same way from every value or from the sketch ({@link NumericDistribution#quantile}), so drift from
     * files and drift from their profiles use the same bins up to the sketch's rank error. Ties merge bins.
     */
    static double[] referenceQuantileEdges(NumericDistribution ref, NumericDistribution cur, int bins) {
        List<Double> edges = new ArrayList<>();
        edges.add(Math.min(ref.min(), cur.min()));
        for (int i = 1; i < bins; i++) {
            double q = ref.quantile(i / (double) bins);
            if (q > edges.getLast()) edges.add(q);
        }
        double hi = Math.max(ref.max(), cur.max());
        if (hi > edges.getLast()) edges.add(hi);
        if (edges.size() < 2) return DriftStatistics.binEdges(edges.getFirst(), edges.getFirst(), 1);
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] fill(double[] fractions) {
        return Arrays.stream(fractions).map(v -> v == 0 ? DriftStatistics.EMPTY_BIN : v).toArray();
    }

    private static double[] union(double[] a, double[] b) {
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        return Arrays.stream(all).distinct().toArray();
    }

    private static double[] values(LoadedTable table, ColumnProfile column) {
        if (column.numeric() == null || column.numeric().finiteCount() > EXACT_LIMIT) return null;
        Column c = table.column(column.name()).orElseThrow();
        double[] values = new double[(int) column.numeric().finiteCount()];
        int n = 0;
        String x = "CAST(" + c.sql() + " AS DOUBLE)";
        try (Statement s = table.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT " + x + " FROM " + table.relation() + " WHERE isfinite(" + x + ")")) {
            while (rs.next() && n < values.length) values[n++] = rs.getDouble(1);
        } catch (SQLException e) {
            throw DataReader.queryError(table.source(), "read column '" + column.name() + "' of", e);
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }
}
