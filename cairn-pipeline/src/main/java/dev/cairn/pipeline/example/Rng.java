package dev.cairn.pipeline.example;

/**
 * A small seeded random generator (SplitMix64) whose sequence is fixed by this code alone, so the master data is
 * the same on every JVM and machine: {@link java.util.Random} and {@link java.util.SplittableRandom} promise no
 * such thing across versions, and {@link Math}'s log and exp may differ by an ulp between platforms, which is why
 * only {@link StrictMath} is used here. A stream is keyed by what it generates ({@link #of}), not by how many
 * numbers were drawn before it, so one customer's sales on one day do not depend on anybody else's.
 */
final class Rng {
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** The stream for {@code seed} and the keys naming what it generates, e.g. (seed, SALES, customer, day). */
    static Rng of(long seed, long... keys) {
        long s = mix(seed ^ 0x6A09E667F3BCC909L);
        for (long k : keys) s = mix(s ^ mix(k + 0x9E3779B97F4A7C15L));
        return new Rng(s);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double uniform() {
        return (nextLong() >>> 11) * TWO_TO_MINUS_53;
    }

    /** Uniform in [0, bound). */
    int below(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    boolean chance(double p) {
        return uniform() < p;
    }

    /** Standard normal (Box-Muller; the second value is dropped so a draw always takes two numbers). */
    double gaussian() {
        double u = 1.0 - uniform(); // (0, 1]: log(u) is finite
        double v = uniform();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * StrictMath.PI * v);
    }

    /** exp(N(mu, sigma)). */
    double logNormal(double mu, double sigma) {
        return StrictMath.exp(mu + sigma * gaussian());
    }

    /** Poisson by Knuth's method: fine for the small means of a day's purchases. */
    int poisson(double mean) {
        if (mean <= 0) return 0;
        double limit = StrictMath.exp(-mean);
        double product = uniform();
        int n = 0;
        while (product > limit) {
            n++;
            product *= uniform();
        }
        return n;
    }

    /** An index drawn with the given (not necessarily normalised) weights. */
    int weighted(double... weights) {
        double total = 0;
        for (double w : weights) total += w;
        double x = uniform() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
