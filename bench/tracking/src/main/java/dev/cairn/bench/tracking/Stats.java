package dev.cairn.bench.tracking;

import java.util.Arrays;

/** Summary of repeated timings, in milliseconds. */
record Stats(int samples, double median, double p95, double min) {

    static Stats of(long[] nanos) {
        double[] ms = Arrays.stream(nanos).mapToDouble(n -> n / 1e6).sorted().toArray();
        return new Stats(ms.length, percentile(ms, 50), percentile(ms, 95), ms[0]);
    }

    /** Nearest-rank percentile. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
