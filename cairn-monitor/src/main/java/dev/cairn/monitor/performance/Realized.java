package dev.cairn.monitor.performance;

import dev.cairn.core.error.CairnException;
import dev.cairn.train.evaluation.BinaryMetrics;
import dev.cairn.train.evaluation.RegressionMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A window's realized performance, once its labels are joined: evaluation's own metrics
 * ({@link BinaryMetrics}, {@link RegressionMetrics}), so a number in production means exactly what it
 * meant when the model was evaluated and promoted. Metrics a window cannot define (ROC AUC with one
 * class only, R² with constant actuals) are left out, never NaN; an empty window has none.
 */
public final class Realized {
    /** Expected calibration error over {@value #CALIBRATION_BINS} equal-width bins. */
    public static final String CALIBRATION_ERROR = "calibration_error";
    public static final int CALIBRATION_BINS = 10;

    private Realized() {}

    /**
     * {@link BinaryMetrics#compute}'s metrics at {@code threshold}, plus {@value #CALIBRATION_ERROR}
     * (the rows-weighted mean gap between predicted probability and observed share of positives over
     * {@link BinaryMetrics#calibration}'s bins), the confusion counts ({@code true_positives},
     * {@code false_positives}, {@code true_negatives}, {@code false_negatives}) and {@code specificity}
     * (TN / (TN + FP), left out without negatives), so every metric {@link Cbpe} estimates has its
     * realized counterpart under the same name.
     */
    public static Map<String, Double> binary(int[] labels, double[] scores, double threshold) {
        check(labels == null ? -1 : labels.length, "labels", scores == null ? -1 : scores.length, "scores");
        if (Double.isNaN(threshold)) throw CairnException.invalid("threshold", threshold, "a probability threshold");
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) throw CairnException.invalid("labels[" + i + "]", labels[i], "0 or 1");
            if (!Double.isFinite(scores[i])) throw CairnException.invalid("scores[" + i + "]", scores[i], "a finite score");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (labels.length == 0) return out;
        putFinite(out, BinaryMetrics.compute(labels, scores, threshold));
        double gap = 0;
        for (BinaryMetrics.CalibrationBin bin : BinaryMetrics.calibration(labels, scores, CALIBRATION_BINS)) {
            gap += bin.count() * Math.abs(bin.meanPredicted() - bin.fractionPositive());
        }
        out.put(CALIBRATION_ERROR, gap / labels.length);
        BinaryMetrics.Confusion c = BinaryMetrics.Confusion.at(labels, scores, threshold);
        if (c.trueNegatives() + c.falsePositives() > 0) {
            out.put(Cbpe.SPECIFICITY, (double) c.trueNegatives() / (c.trueNegatives() + c.falsePositives()));
        }
        out.put(Cbpe.TRUE_POSITIVES, (double) c.truePositives());
        out.put(Cbpe.FALSE_POSITIVES, (double) c.falsePositives());
        out.put(Cbpe.TRUE_NEGATIVES, (double) c.trueNegatives());
        out.put(Cbpe.FALSE_NEGATIVES, (double) c.falseNegatives());
        return out;
    }

    /** {@link RegressionMetrics#compute}'s metrics: rmse, mae, mape, r2. */
    public static Map<String, Double> regression(double[] actual, double[] predicted) {
        check(actual == null ? -1 : actual.length, "actual", predicted == null ? -1 : predicted.length, "predicted");
        for (int i = 0; i < actual.length; i++) {
            if (!Double.isFinite(actual[i])) throw CairnException.invalid("actual[" + i + "]", actual[i], "a finite number");
            if (!Double.isFinite(predicted[i])) throw CairnException.invalid("predicted[" + i + "]", predicted[i], "a finite number");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (actual.length == 0) return out;
        putFinite(out, RegressionMetrics.compute(actual, predicted));
        return out;
    }

    /** {@code metrics} with every name prefixed, e.g. by {@link dev.cairn.monitor.MetricNames#REALIZED_PREFIX}. */
    public static Map<String, Double> prefixed(String prefix, Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((name, value) -> out.put(prefix + name, value));
        return out;
    }

    private static void check(int length, String field, int otherLength, String otherField) {
        if (length < 0) throw CairnException.invalid(field, null, "an array");
        if (otherLength != length) {
            throw CairnException.invalid(otherField, otherLength < 0 ? null : otherLength + " values", length + " values, one per " + field);
        }
    }

    private static void putFinite(Map<String, Double> out, Map<String, Double> metrics) {
        metrics.forEach((name, value) -> {
            if (value != null && Double.isFinite(value)) out.put(name, value);
        });
    }
}
