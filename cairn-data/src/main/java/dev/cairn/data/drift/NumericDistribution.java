package dev.cairn.data.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The distribution of a numeric column, exact (every value, sorted) or from a KLL sketch. The
 * statistics are written once against this interface; with the exact form they equal SciPy's.
 */
sealed interface NumericDistribution {

    long n();

    /** The points where the CDF may step, sorted and distinct. */
    double[] support();

    /** P(X ≤ x). */
    double cdf(double x);

    /** P(X < x). */
    double cdfBelow(double x);

    double min();

    double max();

    /** Population standard deviation. */
    double std();

    /**
     * The smallest value whose CDF is at least p (the inverse CDF; the minimum for p = 0): the same
     * definition for every value and for the sketch (KLL's inclusive quantile).
     */
    double quantile(double p);

    /** NumPy histogram proportions: bins [e_i, e_i+1), the last one closed. */
    default double[] binFractions(double[] edges) {
        int bins = edges.length - 1;
        double[] f = new double[bins];
        for (int i = 0; i < bins; i++) {
            double upper = i == bins - 1 ? cdf(edges[i + 1]) : cdfBelow(edges[i + 1]);
            f[i] = Math.max(0, upper - cdfBelow(edges[i]));
        }
        return f;
    }

    /** Counts by value, for columns with few distinct values that are tested like categories. */
    default Map<String, Double> valueCounts() {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (double v : support()) {
            double p = cdf(v) - cdfBelow(v);
            if (p > 0) counts.put(Double.toString(v), p * n());
        }
        return counts;
    }

    record Exact(double[] sorted, double std) implements NumericDistribution {
        static Exact of(double[] values) {
            double[] s = values.clone();
            Arrays.sort(s);
            return new Exact(s, DriftStatistics.std(s));
        }

        @Override
        public long n() {
            return sorted.length;
        }

        @Override
        public double[] support() {
            return Arrays.stream(sorted).distinct().toArray();
        }

        @Override
        public double cdf(double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
            }
            return lo / (double) sorted.length;
        }

        @Override
        public double cdfBelow(double x) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < x) lo = mid + 1; else hi = mid;
            }
            return lo / (double) sorted.length;
        }

        @Override
        public double min() {
            return sorted[0];
        }

        @Override
        public double max() {
            return sorted[sorted.length - 1];
        }

        @Override
        public double quantile(double p) {
            int k = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, k))];
        }
    }

    record Sketch(KllDoublesSketch kll, double std) implements NumericDistribution {
        @Override
        public long n() {
            return kll.getN();
        }

        @Override
        public double[] support() {
            return Arrays.stream(kll.getSortedView().getQuantiles()).distinct().toArray();
        }

        @Override
        public double cdf(double x) {
            return kll.getRank(x, QuantileSearchCriteria.INCLUSIVE);
        }

        @Override
        public double cdfBelow(double x) {
            return kll.getRank(x, QuantileSearchCriteria.EXCLUSIVE);
        }

        @Override
        public double min() {
            return kll.getMinItem();
        }

        @Override
        public double max() {
            return kll.getMaxItem();
        }

        @Override
        public double quantile(double p) {
            return kll.getQuantile(p, QuantileSearchCriteria.INCLUSIVE);
        }
    }
}
