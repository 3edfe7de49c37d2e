package dev.cairn.monitor.performance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinomialTest {
    private static final int DRAWS = 20_000;

    @Test
    void exactDrawsFollowTheBinomialProbabilities() {
        // Binomial(5, 0.3) by inversion: each value's frequency within 5 standard errors of its probability
        // (a failure chance below 6e-7 per value).
        SplittableRandom random = new SplittableRandom(1);
        long[] seen = new long[6];
        for (int i = 0; i < DRAWS; i++) seen[(int) Binomial.draw(random, 5, 0.3)]++;
        double[] pmf = {0.16807, 0.36015, 0.3087, 0.1323, 0.02835, 0.00243};
        for (int k = 0; k <= 5; k++) {
            double se = Math.sqrt(pmf[k] * (1 - pmf[k]) / DRAWS);
            assertThat((double) seen[k] / DRAWS).as("P(X = %d)", k).isBetween(pmf[k] - 5 * se, pmf[k] + 5 * se);
        }
    }

    @Test
    void meanAndVarianceHoldOnBothPathsAndBothSidesOfOneHalf() {
        // (40, 0.9) is inverted from the rarer outcome; (150, 0.5) is exact near the switch (m = 75);
        // (10_000, 0.3) and (10_000, 0.8) use the normal approximation.
        long[][] ns = {{40}, {150}, {10_000}, {10_000}};
        double[] ps = {0.9, 0.5, 0.3, 0.8};
        SplittableRandom random = new SplittableRandom(2);
        for (int c = 0; c < ps.length; c++) {
            long n = ns[c][0];
            double p = ps[c];
            double sum = 0, sumSquares = 0;
            for (int i = 0; i < DRAWS; i++) {
                long k = Binomial.draw(random, n, p);
                assertThat(k).isBetween(0L, n);
                sum += k;
                sumSquares += (double) k * k;
            }
            double mean = sum / DRAWS, variance = sumSquares / DRAWS - mean * mean;
            double expectedVariance = n * p * (1 - p);
            // The mean's standard error is sqrt(npq / draws); the sample variance's is about
            // npq sqrt(2 / draws) = 1% of it. Five of each, plus the normal path's rounding (+1/12).
            assertThat(mean).as("mean of Binomial(%d, %s)", n, p).isCloseTo(n * p,
                    org.assertj.core.api.Assertions.within(5 * Math.sqrt(expectedVariance / DRAWS)));
            assertThat(variance).as("variance of Binomial(%d, %s)", n, p).isCloseTo(expectedVariance,
                    org.assertj.core.api.Assertions.within(5 * expectedVariance * Math.sqrt(2.0 / DRAWS) + 1.0 / 12));
        }
        assertThat(Binomial.draw(random, 7, 0)).isZero();
        assertThat(Binomial.draw(random, 7, 1)).isEqualTo(7);
        assertThat(Binomial.draw(random, 0, 0.5)).isZero();
    }

    @Test
    void aSeedFixesEveryDraw() {
        SplittableRandom a = new SplittableRandom(9), b = new SplittableRandom(9);
        for (int i = 0; i < 1000; i++) assertThat(Binomial.draw(a, 5000, 0.37)).isEqualTo(Binomial.draw(b, 5000, 0.37));
    }
}
