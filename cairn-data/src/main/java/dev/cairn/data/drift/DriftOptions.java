package dev.cairn.data.drift;

import dev.cairn.core.error.CairnException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thresholds and test choices. A p-value test (ks, chi_square, chi_square_contingency, z) flags drift
 * below {@code pValueThreshold}; a distance (wasserstein, jensen_shannon, psi, l_infinity) at or above
 * {@code distanceThreshold}. The dataset drifts when at least {@code datasetDriftShare} of its
 * columns drift. {@code tests} forces a test per column; otherwise Evidently's default applies.
 * {@code bins} is the number of bins for PSI and Jensen–Shannon of numbers, cut at the reference's quantiles.
 */
public record DriftOptions(double pValueThreshold, double distanceThreshold, double datasetDriftShare, int bins,
                           Map<String, String> tests) {
    /** The tests by name, each with the columns it applies to. */
    public static final Map<String, String> TEST_COLUMNS = testColumns();
    /** The names of the tests that {@code tests} may name. */
    public static final Set<String> TESTS = Collections.unmodifiableSet(TEST_COLUMNS.keySet());
    public static final DriftOptions DEFAULT = new DriftOptions(0.05, 0.1, 0.5, 30, Map.of());

    private static Map<String, String> testColumns() {
        Map<String, String> t = new LinkedHashMap<>();
        String fewValues = "categorical columns, and numeric columns with at most 5 distinct values";
        t.put("ks", "numeric columns (two-sample Kolmogorov-Smirnov p-value)");
        t.put("wasserstein", "numeric columns (Wasserstein distance normed by the reference's standard deviation)");
        t.put("psi", "any column (population stability index)");
        t.put("jensen_shannon", "any column (Jensen-Shannon distance)");
        t.put("chi_square", fewValues + " (chi-square of current counts against the reference's proportions, p-value)");
        t.put("chi_square_contingency", fewValues + " (chi-square of the 2 x k table of reference and current counts, p-value)");
        t.put("l_infinity", fewValues + " (largest difference of proportions)");
        t.put("z", "columns with at most 2 distinct values (two-proportion z-test p-value)");
        return Collections.unmodifiableMap(t);
    }

    /** The valid test names with the columns each needs, for messages. */
    public static String describeTests() {
        return TEST_COLUMNS.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; "));
    }

    public DriftOptions {
        tests = tests == null ? Map.of() : Map.copyOf(tests);
        for (Map.Entry<String, String> e : tests.entrySet()) {
            if (!TESTS.contains(e.getValue())) {
                throw CairnException.invalid("tests." + e.getKey(), e.getValue(), "a test name: " + describeTests());
            }
        }
        if (bins < 2) throw CairnException.invalid("bins", bins, "at least 2");
    }

    public static boolean isPValueTest(String test) {
        return test.equals("ks") || test.equals("chi_square") || test.equals("chi_square_contingency") || test.equals("z");
    }
}
