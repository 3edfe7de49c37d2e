package dev.cairn.monitor.performance;

import java.util.SplittableRandom;

/**
 * Draws from Binomial(n, p) with a {@link SplittableRandom}, so a seed fixes every draw on every JVM
 * (its {@code nextDouble} is specified; the normal deviate is our own Box–Muller, not the JDK's
 * unspecified {@code nextGaussian}).
 *
 * <p>With m = min(np, n(1-p)) below {@value #EXACT_BELOW} the draw is exact: inversion of the CDF,
 * walking up from 0 (from the rarer outcome), about m + 1 steps. Above, it is the normal approximation
 * N(np, np(1-p)) rounded to the nearest whole number (the continuity correction) and clamped to
 * [0, n]; there np(1-p) >= 50, so by Berry–Esseen its CDF is within 0.4748 (p² + q²) / sqrt(npq)
 * &lt;= 0.067 of the exact one everywhere, and in practice (symmetric enough at that size) within
 * about 0.005. Such bins only occur in windows of tens of thousands of rows, where the metrics sum
 * over many bins and their spread is normal anyway.
 */
final class Binomial {
    static final int EXACT_BELOW = 100;

    private Binomial() {}

    static long draw(SplittableRandom random, long n, double p) {
        if (n == 0 || p <= 0) return 0;
        if (p >= 1) return n;
        boolean flip = p > 0.5;
        double rare = flip ? 1 - p : p;
        long k = n * rare < EXACT_BELOW ? inversion(random, n, rare) : normal(random, n, rare);
        return flip ? n - k : k;
    }

    private static long inversion(SplittableRandom random, long n, double p) {
        double q = 1 - p;
        double ratio = p / q;
        double pmf = Math.pow(q, n); // n p < 100 and p <= 0.5, so this is above 2^-200: no underflow
        double u = random.nextDouble();
        long k = 0;
        while (u >= pmf && k < n) {
            u -= pmf;
            k++;
            pmf *= ratio * (n - k + 1) / k;
        }
        return k;
    }

    private static long normal(SplittableRandom random, long n, double p) {
        double mean = n * p;
        double sd = Math.sqrt(mean * (1 - p));
        long k = Math.round(mean + sd * gaussian(random));
        return Math.max(0, Math.min(n, k));
    }

    /** Box–Muller; 1 - nextDouble() is in (0, 1], so the logarithm is finite. */
    static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
