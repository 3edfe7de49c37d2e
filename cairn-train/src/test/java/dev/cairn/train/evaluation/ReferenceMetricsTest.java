package dev.cairn.train.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.schema.FieldType;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Metric values checked against scikit-learn 1.2.1 (Debian's python3-sklearn) on a fixed example.
 * The reference numbers were computed once with sklearn.metrics and sklearn.calibration and are
 * written here, so the tests need no Python.
 */
class ReferenceMetricsTest {
    static final int[] Y = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0};
    static final double[] P = {0.92, 0.15, 0.78, 0.55, 0.47, 0.08, 0.66, 0.72, 0.33, 0.21, 0.55, 0.87, 0.39, 0.61, 0.44, 0.27, 0.12, 0.58, 0.95, 0.03};
    static final double EPS = 1e-12;

    @Test
    @DisplayName("classification metrics at 0.5 match scikit-learn's accuracy, precision, recall, F1, ROC AUC, average precision, log loss and Brier score")
    void classificationMetricsMatchScikitLearn() {
        Map<String, Double> m = BinaryMetrics.compute(Y, P, 0.5);
        assertThat(m.get("accuracy")).isCloseTo(0.75, within(EPS));
        assertThat(m.get("precision")).isCloseTo(0.7, within(EPS));
        assertThat(m.get("recall")).isCloseTo(0.7777777777777778, within(EPS));
        assertThat(m.get("f1")).isCloseTo(0.7368421052631577, within(EPS));
        assertThat(m.get("roc_auc")).isCloseTo(0.8636363636363635, within(EPS));
        assertThat(m.get("pr_auc")).isCloseTo(0.8555555555555556, within(EPS));
        assertThat(m.get("log_loss")).isCloseTo(0.44912325014302185, within(EPS));
        assertThat(m.get("brier_score")).isCloseTo(0.14992, within(EPS));
        // sklearn confusion_matrix(...).ravel() = tn fp fn tp = 8 3 2 7
        assertThat(BinaryMetrics.Confusion.at(Y, P, 0.5)).isEqualTo(new BinaryMetrics.Confusion(7, 3, 8, 2));
    }

    @Test
    @DisplayName("precision and recall at a chosen threshold match scikit-learn at 0.35")
    void metricsAtAnotherThreshold() {
        Map<String, Double> m = BinaryMetrics.compute(Y, P, 0.35);
        assertThat(m.get("accuracy")).isCloseTo(0.7, within(EPS));
        assertThat(m.get("precision")).isCloseTo(0.6153846153846154, within(EPS));
        assertThat(m.get("recall")).isCloseTo(0.8888888888888888, within(EPS));
        assertThat(m.get("f1")).isCloseTo(0.7272727272727274, within(EPS));
        assertThat(BinaryMetrics.Confusion.at(Y, P, 0.35)).isEqualTo(new BinaryMetrics.Confusion(8, 5, 6, 1));
    }

    @Test
    @DisplayName("the calibration curve matches scikit-learn's calibration_curve with 5 uniform bins")
    void calibrationMatchesScikitLearn() {
        List<BinaryMetrics.CalibrationBin> bins = BinaryMetrics.calibration(Y, P, 5);
        assertThat(bins.stream().map(BinaryMetrics.CalibrationBin::fractionPositive).toList())
                .usingElementComparator((a, b) -> Math.abs(a - b) < EPS ? 0 : 1).containsExactly(0.0, 0.25, 0.4, 0.75, 1.0);
        assertThat(bins.stream().map(BinaryMetrics.CalibrationBin::meanPredicted).toList())
                .usingElementComparator((a, b) -> Math.abs(a - b) < EPS ? 0 : 1)
                .containsExactly(0.095, 0.30000000000000004, 0.518, 0.6925, 0.9133333333333334);
    }

    @Test
    @DisplayName("the threshold search finds scikit-learn's highest recall at precision >= 0.8 and best precision at recall >= 0.9")
    void thresholdSearchMatchesThePrecisionRecallCurve() {
        ThresholdTarget.Choice recall = ThresholdTarget.parse("recall@precision>=0.8").search(Y, P);
        assertThat(recall.threshold()).isEqualTo(0.61);
        assertThat(recall.precision()).isCloseTo(0.8571428571428571, within(EPS));
        assertThat(recall.recall()).isCloseTo(0.6666666666666666, within(EPS));
        assertThat(recall.reached()).isTrue();
        ThresholdTarget.Choice precision = ThresholdTarget.parse("precision@recall>=0.9").search(Y, P);
        assertThat(precision.threshold()).isEqualTo(0.33);
        assertThat(precision.precision()).isCloseTo(0.6428571428571429, within(EPS));
        assertThat(precision.recall()).isEqualTo(1.0);
        ThresholdTarget.Choice impossible = ThresholdTarget.parse("recall@precision>=1.0").search(new int[] {0, 1}, new double[] {0.9, 0.1});
        assertThat(impossible.reached()).isFalse();
    }

    @Test
    @DisplayName("the ROC curve has scikit-learn's points (roc_curve without dropping intermediate ones) and its area is the ROC AUC")
    void rocCurve() {
        List<double[]> roc = BinaryMetrics.rocCurve(Y, P);
        assertThat(roc).hasSize(20); // sklearn: len(fpr) == 20 with drop_intermediate=False (19 distinct scores + origin)
        assertThat(roc.getFirst()).startsWith(0.0, 0.0);
        assertThat(roc.getLast()).startsWith(1.0, 1.0);
        double area = 0;
        for (int i = 1; i < roc.size(); i++) area += (roc.get(i)[0] - roc.get(i - 1)[0]) * (roc.get(i)[1] + roc.get(i - 1)[1]) / 2;
        assertThat(area).isCloseTo(0.8636363636363635, within(EPS));
    }

    @Test
    @DisplayName("regression metrics match scikit-learn's RMSE, MAE, MAPE and R²")
    void regressionMetricsMatchScikitLearn() {
        double[] actual = {3.0, -0.5, 2.0, 7.0, 4.2, 10.0};
        double[] predicted = {2.5, 0.0, 2.0, 8.0, 3.9, 12.5};
        Map<String, Double> m = RegressionMetrics.compute(actual, predicted);
        assertThat(m.get("rmse")).isCloseTo(1.1430952132988164, within(EPS));
        assertThat(m.get("mae")).isCloseTo(0.8000000000000002, within(EPS));
        assertThat(m.get("mape")).isCloseTo(0.2718253968253968, within(EPS));
        assertThat(m.get("r2")).isCloseTo(0.8876924913453503, within(EPS));
    }

    @Test
    @DisplayName("fairness rates per group and the gaps between groups match values computed with numpy and sklearn")
    void fairnessMatchesReference() {
        String[] groups = "aabbaabbaabbaabbccab".split("");
        Frame frame = new Frame(List.of(new Column.Text("g", groups)));
        Report.FairnessReport f = Fairness.of(Grouping.of(frame, "g", "sensitive"), Y, P, 0.5, 1);
        assertThat(f.groups()).extracting(Report.FairnessGroup::group).containsExactly("a", "b", "c");
        Report.FairnessGroup a = f.groups().get(0), b = f.groups().get(1), c = f.groups().get(2);
        assertThat(a.count()).isEqualTo(9);
        assertThat(a.selectionRate()).isCloseTo(0.3333333333333333, within(EPS));
        assertThat(a.truePositiveRate()).isCloseTo(0.75, within(EPS));
        assertThat(a.falsePositiveRate()).isCloseTo(0.0, within(EPS));
        assertThat(a.precision()).isCloseTo(1.0, within(EPS));
        assertThat(b.selectionRate()).isCloseTo(0.6666666666666666, within(EPS));
        assertThat(b.truePositiveRate()).isCloseTo(0.8, within(EPS));
        assertThat(b.falsePositiveRate()).isCloseTo(0.5, within(EPS));
        assertThat(b.precision()).isCloseTo(0.6666666666666666, within(EPS));
        assertThat(c.count()).isEqualTo(2);
        assertThat(c.positives()).isZero();
        assertThat(f.demographicParityDifference()).isCloseTo(0.3333333333333333, within(EPS));
        assertThat(f.equalOpportunityDifference()).as("group c has no positives, so no TPR").isCloseTo(0.05, within(1e-9));
        assertThat(f.disparateImpactRatio()).isCloseTo(0.5, within(EPS));
        assertThat(f.fourFifthsRuleViolated()).isTrue();
        assertThat(f.lowestSelectionGroup()).isEqualTo("a");
        assertThat(f.highestSelectionGroup()).isEqualTo("b");
    }

    @Test
    @DisplayName("groups under the minimum size are marked too small and left out of the gaps, never giving a ratio of 0 or 1 by themselves")
    void smallGroupsAreLeftOut() {
        String[] groups = "aabbaabbaabbaabbccab".split("");
        Frame frame = new Frame(List.of(new Column.Text("g", groups)));
        Grouping g = Grouping.of(frame, "g", "sensitive");
        Report.FairnessReport f = Fairness.of(g, Y, P, 0.5, 5);
        assertThat(f.groups()).extracting(Report.FairnessGroup::tooSmall).containsExactly(false, false, true);
        assertThat(f.disparateImpactRatio()).as("a over b only").isCloseTo(0.5, within(EPS));
        assertThat(f.note()).isNull();

        // Group c alone predicts nobody positive: with it counted the ratio would be 0.0.
        double[] cNeverSelected = P.clone();
        for (int i = 0; i < groups.length; i++) if (groups[i].equals("c")) cNeverSelected[i] = 0.0;
        assertThat(Fairness.of(g, Y, cNeverSelected, 0.5, 1).disparateImpactRatio()).isZero();
        assertThat(Fairness.of(g, Y, cNeverSelected, 0.5, 5).disparateImpactRatio()).isCloseTo(0.5, within(EPS));

        // Only one group large enough: no gap at all, and no four-fifths verdict.
        Report.FairnessReport one = Fairness.of(g, Y, P, 0.5, 10);
        assertThat(one.groups()).allMatch(Report.FairnessGroup::tooSmall);
        assertThat(one.disparateImpactRatio()).isNull();
        assertThat(one.demographicParityDifference()).isNull();
        assertThat(one.fourFifthsRuleViolated()).isFalse();
        assertThat(one.note()).contains("fewer than two groups of at least 10 rows");
    }

    @Test
    @DisplayName("when no group is selected the disparate impact ratio is 0/0: undefined (null), not 1.0, and a fairness threshold on it is skipped")
    void noSelectionIsUndefined() {
        String[] groups = "aabbaabbaabbaabbccab".split("");
        Frame frame = new Frame(List.of(new Column.Text("g", groups)));
        double[] none = new double[P.length];
        Report.FairnessReport f = Fairness.of(Grouping.of(frame, "g", "sensitive"), Y, none, 0.5, 1);
        assertThat(f.disparateImpactRatio()).isNull();
        assertThat(f.demographicParityDifference()).isZero();
        assertThat(f.fourFifthsRuleViolated()).isFalse();
        assertThat(f.note()).contains("0/0");
        Report.ModelResult result = new Report.ModelResult("m", null, null, null, "xgboost", "binary", "1", 0.5, "model", Map.of(), Map.of(),
                null, null, List.of(), List.of(f), null);
        assertThat(MetricThreshold.parse("fairness:disparate_impact>=0.8").check(result, null)).singleElement()
                .satisfies(c -> {
                    assertThat(c.skipped()).isTrue();
                    assertThat(c.message()).contains("not measurable", "0/0");
                });
    }

    @Test
    @DisplayName("numeric columns are bucketed by given edges, with counts per bucket")
    void numericBuckets() {
        Frame frame = new Frame(List.of(new Column.Numeric("age", FieldType.INTEGER, new double[] {19, 24, 25, 39, 40, 61, Double.NaN})));
        Grouping g = Grouping.of(frame, "age:25,40,60", "slice");
        assertThat(g.groups()).containsExactly("<25", "25–40", "40–60", ">=60", Grouping.MISSING);
        assertThat(g.groupOfRow()).containsExactly(0, 0, 1, 1, 2, 3, 4);
    }

    @Test
    @DisplayName("a bootstrap interval brackets the metric and is the same for the same seed")
    void bootstrapInterval() {
        Bootstrap.Interval ci = Bootstrap.interval(Y.length,
                rows -> BinaryMetrics.compute(ModelEvaluator.select(Y, rows), ModelEvaluator.select(P, rows), 0.5).get("precision"), 200, 0.95, 42);
        assertThat(ci.lower()).isLessThan(0.7);
        assertThat(ci.upper()).isGreaterThan(0.7);
        assertThat(ci.resamples()).isEqualTo(200);
        assertThat(Bootstrap.interval(Y.length,
                rows -> BinaryMetrics.compute(ModelEvaluator.select(Y, rows), ModelEvaluator.select(P, rows), 0.5).get("precision"), 200, 0.95, 42))
                .isEqualTo(ci);
    }
}
