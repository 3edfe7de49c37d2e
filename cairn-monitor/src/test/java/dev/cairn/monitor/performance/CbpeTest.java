package dev.cairn.monitor.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.MetricNames;
import dev.cairn.train.metrics.Metrics;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CbpeTest {
    private static String field(Throwable e) {
        return (String) ((CairnException) e).details().get("field");
    }

    /**
     * Four bins with midpoints .125, .375, .625, .875 calibrated to 1/4, 1/2, 1/2, 3/4, holding 4, 4, 0
     * and 8 rows: expected positives 1, 2, 0, 6 and negatives 3, 2, 0, 2, whole numbers, so a window
     * with exactly those labels is the expectation and its realized metrics are the point estimates.
     */
    private static final Calibrator QUARTERS = new Calibrator(new double[] {0.125, 0.375, 0.625, 0.875}, new double[] {0.25, 0.5, 0.5, 0.75});
    private static final double[] SCORES = {0.125, 0.125, 0.125, 0.125, 0.375, 0.375, 0.375, 0.375,
        0.875, 0.875, 0.875, 0.875, 0.875, 0.875, 0.875, 0.875};
    private static final int[] EXPECTED_LABELS = {1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0};

    private static ScoreHistogram histogram(int bins, double... scores) {
        ScoreHistogram h = new ScoreHistogram(bins);
        for (double s : scores) h.add(s);
        return h;
    }

    @Test
    void pointEstimatesAreTheMetricsOfTheExpectedConfusionMatrix() {
        Estimate e = Cbpe.estimate(QUARTERS, histogram(4, SCORES), 0.5, 1);

        assertThat(e.rows()).isEqualTo(16);
        // Bins 2 and 3 are predicted positive: TP 0 + 6, FP 0 + 2; below, FN 1 + 2, TN 3 + 2.
        assertThat(e.get("true_positives").value()).isEqualTo(6.0);
        assertThat(e.get("false_positives").value()).isEqualTo(2.0);
        assertThat(e.get("false_negatives").value()).isEqualTo(3.0);
        assertThat(e.get("true_negatives").value()).isEqualTo(5.0);
        assertThat(e.get("precision").value()).isEqualTo(0.75);
        assertThat(e.get("recall").value()).isCloseTo(6.0 / 9, within(1e-15));
        assertThat(e.get("f1").value()).isCloseTo(12.0 / 17, within(1e-15));
        assertThat(e.get("accuracy").value()).isCloseTo(11.0 / 16, within(1e-15));
        assertThat(e.get("specificity").value()).isCloseTo(5.0 / 7, within(1e-15));
        // Pairs with the positive above: 1·(0 + 3/2) + 2·(3 + 2/2) + 6·(5 + 2/2) = 45.5 of 9·7.
        assertThat(e.get("roc_auc").value()).isCloseTo(45.5 / 63, within(1e-15));

        // The same numbers from evaluation's definitions on the window whose labels are the expectation:
        // the rank-based ROC AUC counts tied scores half, as the bins do.
        assertThat(Metrics.rocAuc(EXPECTED_LABELS, SCORES)).isCloseTo(e.get("roc_auc").value(), within(1e-15));
        Map<String, Double> realized = Realized.binary(EXPECTED_LABELS, SCORES, 0.5);
        for (String metric : Cbpe.METRICS) {
            assertThat(e.get(metric).value()).as(metric).isCloseTo(realized.get(metric), within(1e-15));
        }
    }

    @Test
    void everyIntervalHoldsItsPointAndTheFlatFormUsesTheWindowMetricNames() {
        Estimate e = Cbpe.estimate(QUARTERS, histogram(4, SCORES), 0.5, 1);
        for (Map.Entry<String, Estimate.Interval> m : e.metrics().entrySet()) {
            Estimate.Interval i = m.getValue();
            assertThat(i.lower()).as(m.getKey()).isLessThanOrEqualTo(i.value());
            assertThat(i.upper()).as(m.getKey()).isGreaterThanOrEqualTo(i.value());
            assertThat(i.upper()).as(m.getKey()).isGreaterThan(i.lower()); // 16 rows leave the labels uncertain
        }
        // Bins 2-3 hold 8 rows, each positive with 3/4: TP is Binomial(8, 3/4), with P(TP <= 2) = 0.004,
        // P(TP <= 3) = 0.027 and P(TP = 8) = 0.10. Of 400 draws the 2.5th percentile (between the 10th and
        // 11th smallest) is below 3 only if 10 draws are at most 2 (probability 1e-5), and the 97.5th is
        // below 8 only if fewer than 11 draws are 8 (5e-9).
        assertThat(e.get("true_positives").lower()).isBetween(3.0, 4.0);
        assertThat(e.get("true_positives").upper()).isEqualTo(8.0);

        Map<String, Double> flat = e.flatten();
        assertThat(flat).hasSize(3 * Cbpe.METRICS.size());
        assertThat(flat.get("estimated.precision")).isEqualTo(0.75);
        assertThat(flat.get(MetricNames.estimated("precision") + MetricNames.LOWER_SUFFIX)).isEqualTo(e.get("precision").lower());
        assertThat(flat.get("estimated.precision.upper")).isEqualTo(e.get("precision").upper());
        assertThat(e.flatten("x.")).containsKey("x.roc_auc.lower");
    }

    @Test
    void metricsTheWindowCannotDefineAreAbsentAndAnEmptyWindowHasNone() {
        // Calibrated to 0 everywhere: no expected positives, so no recall and no ROC AUC; precision is 0 of 1.
        Calibrator never = new Calibrator(new double[] {0.5}, new double[] {0.0});
        Estimate e = Cbpe.estimate(never, histogram(10, 0.2, 0.8), 0.5, 3);
        assertThat(e.metrics()).doesNotContainKeys("recall", "roc_auc");
        assertThat(e.get("precision").value()).isEqualTo(0.0);
        assertThat(e.get("specificity").value()).isEqualTo(0.5);

        // Nothing predicted positive: no precision; F1 is still defined (0) as positives are expected.
        Estimate below = Cbpe.estimate(Calibrator.identity(), histogram(10, 0.2, 0.3), 0.5, 3);
        assertThat(below.metrics()).doesNotContainKey("precision").containsKey("recall");
        assertThat(below.get("f1").value()).isEqualTo(0.0);
        assertThat(below.flatten().values()).allMatch(Double::isFinite);

        Estimate empty = Cbpe.estimate(Calibrator.identity(), histogram(10, Double.NaN), 0.5, 3);
        assertThat(empty).isEqualTo(Estimate.empty());
        assertThat(empty.flatten()).isEmpty();
    }

    @Test
    void theEstimateDependsOnlyOnTheWindowAndTheSeedNotOnItsSegments() throws Exception {
        Random random = new Random(7);
        ScoreHistogram a = new ScoreHistogram(), b = new ScoreHistogram(), c = new ScoreHistogram();
        for (int i = 0; i < 2000; i++) (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(random.nextDouble() * random.nextDouble());
        Calibrator calibrator = new Calibrator(new double[] {0, 0.3, 1}, new double[] {0.05, 0.2, 0.9});

        Estimate abc = Cbpe.estimate(calibrator, a.copy().merge(b).merge(c), 0.3, 42);
        Estimate cab = Cbpe.estimate(calibrator, c.copy().merge(a.copy().merge(b)), 0.3, 42);
        assertThat(cab).isEqualTo(abc);

        Estimate otherSeed = Cbpe.estimate(calibrator, a.copy().merge(b).merge(c), 0.3, 43);
        assertThat(otherSeed.get("precision").value()).isEqualTo(abc.get("precision").value());
        assertThat(otherSeed.get("precision").lower()).isNotEqualTo(abc.get("precision").lower());

        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue(json.writeValueAsString(abc), Estimate.class)).isEqualTo(abc);
    }

    @Test
    void anEstimateFromTheReferenceIsTheSameWhetherItsRefitsWereKeptOrFittedAnew() {
        Random random = new Random(11);
        int[] labels = new int[500];
        double[] scores = new double[500];
        for (int i = 0; i < labels.length; i++) {
            scores[i] = Math.round(random.nextDouble() * 1000) / 1000.0;
            labels[i] = random.nextDouble() < scores[i] ? 1 : 0;
        }
        ScoreHistogram window = new ScoreHistogram();
        for (int i = 0; i < 4000; i++) window.add(random.nextDouble());

        Estimate first = Cbpe.estimate(labels, scores, window, 0.5, 5);
        assertThat(Cbpe.estimate(labels.clone(), scores.clone(), window, 0.5, 5)).isEqualTo(first);
        // A changed reference (the same arrays, edited in place) is another reference, and the kept one is untouched.
        labels[0] = 1 - labels[0];
        assertThat(Cbpe.estimate(labels, scores, window, 0.5, 5)).isNotEqualTo(first);
        labels[0] = 1 - labels[0];
        assertThat(Cbpe.estimate(labels, scores, window, 0.5, 5)).isEqualTo(first);
        // After enough other seeds to forget it, the refits are made again, and give the same estimate.
        for (long seed = 100; seed <= 100 + Cbpe.CACHED_REFITS; seed++) Cbpe.estimate(labels, scores, window, 0.5, seed);
        assertThat(Cbpe.estimate(labels, scores, window, 0.5, 5)).isEqualTo(first);
        assertThat(Cbpe.estimate(labels, scores, window, 0.5, 6)).isNotEqualTo(first);
    }

    @Test
    void badArgumentsAreRefusedNamingTheField() {
        ScoreHistogram h = histogram(4, SCORES);
        assertThatThrownBy(() -> Cbpe.estimate(QUARTERS, h, Double.NaN, 1)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(field(e)).isEqualTo("threshold"));
        assertThatThrownBy(() -> Cbpe.estimate(QUARTERS, h, 1.5, 1)).satisfies(e -> assertThat(field(e)).isEqualTo("threshold"));
        assertThatThrownBy(() -> Cbpe.estimate(QUARTERS, h, 0.5, 1, 0)).satisfies(e -> assertThat(field(e)).isEqualTo("draws"));
        assertThatThrownBy(() -> Cbpe.estimate(null, h, 0.5, 1)).satisfies(e -> assertThat(field(e)).isEqualTo("calibrator"));
        assertThatThrownBy(() -> Cbpe.estimate(QUARTERS, null, 0.5, 1)).satisfies(e -> assertThat(field(e)).isEqualTo("window"));
    }
}
