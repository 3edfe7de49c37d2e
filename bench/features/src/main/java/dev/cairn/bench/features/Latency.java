package dev.cairn.bench.features;

import java.util.Arrays;

/** Percentiles of nanosecond samples, in milliseconds. */
final class Latency {
    private Latency() {}

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    /** p50, p99, p99.9 and max of {@code samples} (sorted in place), in ms. */
    static double[] summary(long[] samples) {
        Arrays.sort(samples);
        return new double[] {percentile(samples, 0.5), percentile(samples, 0.99), percentile(samples, 0.999),
                samples.length == 0 ? Double.NaN : samples[samples.length - 1] / 1e6};
    }
}
