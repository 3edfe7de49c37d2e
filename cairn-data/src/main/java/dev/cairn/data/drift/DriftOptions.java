package dev.cairn.data.drift;

import java.util.Map;
import java.util.Set;

/**
 * Thresholds and test choices. A p-value test (ks, chi_square, z) flags drift below
 * {@code pValueThreshold}; a distance (wasserstein, jensen_shannon, psi, l_infinity) at or above
 * {@code distanceThreshold}. The dataset drifts when at least {@code datasetDriftShare} of its
 * columns drift. {@code tests} forces a test per column; otherwise Evidently's default applies.
 */
public record DriftOptions(double pValueThreshold, double distanceThreshold, double datasetDriftShare, int bins,
                           Map<String, String> tests) {
    public static final Set<String> TESTS = Set.of("ks", "chi_square", "z", "wasserstein", "jensen_shannon", "psi", "l_infinity");
    public static final DriftOptions DEFAULT = new DriftOptions(0.05, 0.1, 0.5, 30, Map.of());

    public DriftOptions {
        tests = tests == null ? Map.of() : Map.copyOf(tests);
        for (Map.Entry<String, String> e : tests.entrySet()) {
            if (!TESTS.contains(e.getValue())) {
                throw dev.cairn.core.error.CairnException.invalid("tests." + e.getKey(), e.getValue(), "one of " + TESTS);
            }
        }
        if (bins < 2) throw dev.cairn.core.error.CairnException.invalid("bins", bins, "at least 2");
    }

    public static boolean isPValueTest(String test) {
        return test.equals("ks") || test.equals("chi_square") || test.equals("z");
    }
}
