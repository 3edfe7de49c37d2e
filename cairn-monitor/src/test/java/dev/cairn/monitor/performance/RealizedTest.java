package dev.cairn.monitor.performance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.error.CairnException;
import dev.cairn.monitor.MetricNames;
import dev.cairn.train.evaluation.BinaryMetrics;
import dev.cairn.train.evaluation.RegressionMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealizedTest {
    private static String field(Throwable e) {
        return (String) ((CairnException) e).details().get("field");
    }

    @Test
    void binaryMetricsAreEvaluationsOwnPlusCalibrationErrorAndTheConfusionCounts() {
        int[] y = {1, 0, 1, 1, 0, 0, 1, 0};
        double[] p = {0.9, 0.8, 0.7, 0.45, 0.4, 0.2, 0.15, 0.05};
        Map<String, Double> m = Realized.binary(y, p, 0.5);

        Map<String, Double> evaluation = BinaryMetrics.compute(y, p, 0.5);
        evaluation.forEach((name, value) -> assertThat(m.get(name)).as(name).isEqualTo(value));
        // TP .9 .7, FP .8; FN .45 .15, TN .4 .2 .05.
        assertThat(m.get("precision")).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(m.get("true_positives")).isEqualTo(2.0);
        assertThat(m.get("false_positives")).isEqualTo(1.0);
        assertThat(m.get("false_negatives")).isEqualTo(2.0);
        assertThat(m.get("true_negatives")).isEqualTo(3.0);
        assertThat(m.get("specificity")).isEqualTo(0.75);
        // Ten bins, a probability on an edge in the lower one: (0, .1] .05 -> |.05 - 0|; (.1, .2] .15, .2 ->
        // |.175 - .5|; (.3, .4] .4 -> .4; (.4, .5] .45 -> .55; (.6, .7] .7 -> .3; (.7, .8] .8 -> .8;
        // (.8, .9] .9 -> .1; weighted by rows over 8.
        double ece = (0.05 + 2 * 0.325 + 0.4 + 0.55 + 0.3 + 0.8 + 0.1) / 8;
        assertThat(m.get(Realized.CALIBRATION_ERROR)).isCloseTo(ece, within(1e-12));
        assertThat(Realized.prefixed(MetricNames.REALIZED_PREFIX, m)).containsKey("realized.calibration_error");
    }

    @Test
    void undefinedMetricsAreLeftOutNeverNaN() {
        Map<String, Double> oneClass = Realized.binary(new int[] {0, 0, 0}, new double[] {0.1, 0.6, 0.3}, 0.5);
        assertThat(oneClass).doesNotContainKeys("roc_auc", "pr_auc");
        assertThat(oneClass.get("recall")).isEqualTo(0.0); // evaluation's zero_division=0, kept
        assertThat(oneClass.values()).allMatch(Double::isFinite);
        assertThat(Realized.binary(new int[] {1, 1}, new double[] {0.6, 0.3}, 0.5)).doesNotContainKey("specificity");
        assertThat(Realized.binary(new int[0], new double[0], 0.5)).isEmpty();

        Map<String, Double> constant = Realized.regression(new double[] {2, 2, 2}, new double[] {1, 2, 3});
        assertThat(constant).doesNotContainKey("r2").containsKeys("rmse", "mae", "mape");
        assertThat(Realized.regression(new double[0], new double[0])).isEmpty();
    }

    @Test
    void regressionMetricsAreEvaluationsOwn() {
        double[] actual = {3, -0.5, 2, 7}, predicted = {2.5, 0.0, 2, 8};
        Map<String, Double> m = Realized.regression(actual, predicted);
        assertThat(m).isEqualTo(RegressionMetrics.compute(actual, predicted));
        assertThat(m.get("mae")).isEqualTo(0.5); // scikit-learn's mean_absolute_error example
        assertThat(m.get("r2")).isCloseTo(0.9486081370449679, within(1e-12)); // and r2_score's
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Realized.binary(new int[] {0, 1}, new double[] {0.1}, 0.5)).isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(field(e)).isEqualTo("scores"));
        assertThatThrownBy(() -> Realized.binary(new int[] {0, 3}, new double[] {0.1, 0.2}, 0.5))
                .satisfies(e -> assertThat(field(e)).isEqualTo("labels[1]"));
        assertThatThrownBy(() -> Realized.binary(new int[] {0, 1}, new double[] {0.1, Double.NaN}, 0.5))
                .satisfies(e -> assertThat(field(e)).isEqualTo("scores[1]"));
        assertThatThrownBy(() -> Realized.binary(new int[] {0, 1}, new double[] {0.1, 0.2}, Double.NaN))
                .satisfies(e -> assertThat(field(e)).isEqualTo("threshold"));
        assertThatThrownBy(() -> Realized.regression(new double[] {1}, new double[] {1, 2}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("predicted"));
        assertThatThrownBy(() -> Realized.regression(new double[] {Double.NaN}, new double[] {1}))
                .satisfies(e -> assertThat(field(e)).isEqualTo("actual[0]"));
    }
}
