package dev.cairn.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsTest {
    // Positives score 0.9, 0.4, 0.7; negatives 0.4, 0.2. Of the 6 positive–negative pairs, 5 are
    // ordered correctly and one (0.4 vs 0.4) is a tie worth half: AUC = 5.5 / 6.
    private static final int[] LABELS = {1, 0, 1, 0, 1};
    private static final double[] SCORES = {0.9, 0.4, 0.4, 0.2, 0.7};

    @Test
    @DisplayName("ROC AUC matches a hand count of ordered pairs, a tie counting half")
    void rocAucByHand() {
        assertThat(Metrics.rocAuc(LABELS, SCORES)).isCloseTo(5.5 / 6, within(1e-12));
    }

    @Test
    @DisplayName("ROC AUC is 1 for a perfect ranking, 0 for a reversed one, 0.5 when every score ties")
    void rocAucExtremes() {
        int[] y = {0, 0, 1, 1};
        assertThat(Metrics.rocAuc(y, new double[] {0.1, 0.2, 0.8, 0.9})).isEqualTo(1.0);
        assertThat(Metrics.rocAuc(y, new double[] {0.9, 0.8, 0.2, 0.1})).isEqualTo(0.0);
        assertThat(Metrics.rocAuc(y, new double[] {0.5, 0.5, 0.5, 0.5})).isEqualTo(0.5);
        assertThat(Metrics.rocAuc(new int[] {1, 1}, new double[] {0.2, 0.3})).isNaN();
    }

    @Test
    @DisplayName("precision at a fixed recall takes the best threshold reaching that recall, ties cut together")
    void precisionAtRecall() {
        // Cuts: 0.9 → P=1 R=1/3; 0.7 → P=1 R=2/3; 0.4 (two rows) → P=3/4 R=1; 0.2 → P=3/5 R=1.
        assertThat(Metrics.precisionAtRecall(LABELS, SCORES, 0.6)).isEqualTo(1.0);
        assertThat(Metrics.precisionAtRecall(LABELS, SCORES, 1.0)).isEqualTo(0.75);
    }

    @Test
    @DisplayName("log loss, RMSE and R² agree with their definitions")
    void lossesByDefinition() {
        assertThat(Metrics.logLoss(new int[] {1, 0}, new double[] {0.8, 0.4}))
                .isCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, within(1e-12));
        assertThat(Metrics.rmse(new double[] {1, 2, 3}, new double[] {1, 2, 5})).isCloseTo(Math.sqrt(4.0 / 3), within(1e-12));
        assertThat(Metrics.r2(new double[] {1, 2, 3}, new double[] {1, 2, 3})).isEqualTo(1.0);
    }

    @Test
    @DisplayName("a selection metric is parsed from its name, with the recall for precision_at_recall")
    void selectionMetricParsing() {
        SelectionMetric m = SelectionMetric.parse("precision_at_recall:0.8");
        assertThat(m.key()).isEqualTo("precision_at_recall_0.8");
        assertThat(m.higherIsBetter()).isTrue();
        assertThat(SelectionMetric.parse("rmse").better(1.0, 2.0)).isTrue();
        assertThat(SelectionMetric.parse("roc_auc").better(Double.NaN, 0.1)).isFalse();
    }
}
