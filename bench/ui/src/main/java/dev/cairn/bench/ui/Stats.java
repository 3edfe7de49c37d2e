package dev.cairn.bench.ui;

import java.util.Arrays;
import java.util.Locale;

/** Repeated timings in milliseconds: median and 95th percentile (nearest rank). */
record Stats(int samples, double median, double p95) {

    static Stats of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, percentile(sorted, 50), percentile(sorted, 95));
    }

    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** "12.3 / 45.6". */
    String shown() {
        return String.format(Locale.ROOT, "%s / %s", ms(median), ms(p95));
    }

    static String ms(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
