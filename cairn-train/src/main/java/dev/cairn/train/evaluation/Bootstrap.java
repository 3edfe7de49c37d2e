package dev.cairn.train.evaluation;

import java.util.Arrays;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Percentile bootstrap confidence intervals: the metric recomputed on {@code resamples} samples of
 * the rows drawn with replacement, seeded so a report is reproducible.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** A two-sided interval at {@code level} (e.g. 0.95) with the number of resamples it rests on. */
    public record Interval(double lower, double upper, double level, int resamples) {}

    /** {@code metric} gets the row indexes of one resample; resamples where it is NaN are left out. */
    public static Interval interval(int rows, ToDoubleFunction<int[]> metric, int resamples, double level, long seed) {
        Random random = new Random(seed);
        double[] values = new double[resamples];
        int kept = 0;
        int[] sample = new int[rows];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < rows; i++) sample[i] = random.nextInt(rows);
            double v = metric.applyAsDouble(sample);
            if (!Double.isNaN(v)) values[kept++] = v;
        }
        if (kept == 0) return new Interval(Double.NaN, Double.NaN, level, 0);
        double[] sorted = Arrays.copyOf(values, kept);
        Arrays.sort(sorted);
        double alpha = (1 - level) / 2;
        return new Interval(quantile(sorted, alpha), quantile(sorted, 1 - alpha), level, kept);
    }

    /**
     * The interval of {@code a − b} when both are recomputed on the same resamples: a paired
     * bootstrap, so the part of the sampling noise the two share (hard rows are hard for both
     * models) cancels. Resamples where either is NaN are left out.
     */
    public static Interval pairedDifference(int rows, ToDoubleFunction<int[]> a, ToDoubleFunction<int[]> b, int resamples, double level,
                                            long seed) {
        return interval(rows, sample -> a.applyAsDouble(sample) - b.applyAsDouble(sample), resamples, level, seed);
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
