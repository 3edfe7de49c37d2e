package dev.cairn.train.evaluation;

import dev.cairn.train.metrics.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Binary classification metrics with scikit-learn's definitions (labels 0/1, scores the
 * probability of 1; a row is predicted positive when its score is at or above the threshold).
 * ROC AUC, log loss and accuracy come from the trainer's {@link Metrics}, so model selection and
 * evaluation cannot disagree about what a number means.
 */
public final class BinaryMetrics {
    /** Names of the metrics {@link #compute} gives, in report order. */
    public static final List<String> NAMES = List.of("accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc",
            "log_loss", "brier_score", "selection_rate", "false_positive_rate");

    private BinaryMetrics() {}

    /** Counts of a binary confusion matrix at one threshold. */
    public record Confusion(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {
        public static Confusion at(int[] y, double[] p, double threshold) {
            long tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < y.length; i++) {
                boolean predicted = p[i] >= threshold;
                if (predicted) {
                    if (y[i] == 1) tp++;
                    else fp++;
                } else if (y[i] == 1) fn++;
                else tn++;
            }
            return new Confusion(tp, fp, tn, fn);
        }

        public long total() {
            return truePositives + falsePositives + trueNegatives + falseNegatives;
        }

        /** TP / (TP + FP); 0 when nothing is predicted positive (scikit-learn's zero_division=0). */
        public double precision() {
            return ratio(truePositives, truePositives + falsePositives);
        }

        /** TP / (TP + FN), the true positive rate; 0 without positives. */
        public double recall() {
            return ratio(truePositives, truePositives + falseNegatives);
        }

        /** FP / (FP + TN); 0 without negatives. */
        public double falsePositiveRate() {
            return ratio(falsePositives, falsePositives + trueNegatives);
        }

        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public double accuracy() {
            return ratio(truePositives + trueNegatives, total());
        }

        /** Share of rows predicted positive. */
        public double selectionRate() {
            return ratio(truePositives + falsePositives, total());
        }

        private static double ratio(long a, long b) {
            return b == 0 ? 0 : (double) a / b;
        }
    }

    /** Every metric of {@link #NAMES} at {@code threshold}; threshold-free ones (AUCs, losses) ignore it. */
    public static Map<String, Double> compute(int[] y, double[] p, double threshold) {
        Confusion c = Confusion.at(y, p, threshold);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", c.accuracy());
        out.put("precision", c.precision());
        out.put("recall", c.recall());
        out.put("f1", c.f1());
        out.put("roc_auc", Metrics.rocAuc(y, p));
        out.put("pr_auc", averagePrecision(y, p));
        out.put("log_loss", Metrics.logLoss(y, p));
        out.put("brier_score", brier(y, p));
        out.put("selection_rate", c.selectionRate());
        out.put("false_positive_rate", c.falsePositiveRate());
        return out;
    }

    /** Mean squared difference between the probability and the 0/1 outcome. */
    public static double brier(int[] y, double[] p) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += (p[i] - y[i]) * (p[i] - y[i]);
        return sum / y.length;
    }

    /**
     * The area under the precision–recall curve as scikit-learn's {@code average_precision_score}:
     * the sum over thresholds of precision times the increase in recall (a step function, not the
     * trapezoid, which overstates it). NaN without positives.
     */
    public static double averagePrecision(int[] y, double[] p) {
        List<double[]> curve = precisionRecallCurve(y, p);
        if (curve.isEmpty()) return Double.NaN;
        double ap = 0, previousRecall = 0;
        for (double[] point : curve) { // ascending recall
            ap += (point[1] - previousRecall) * point[0];
            previousRecall = point[1];
        }
        return ap;
    }

    /**
     * Points {precision, recall, threshold} at every distinct score, from the highest threshold to the
     * lowest (so recall rises), as scikit-learn's {@code precision_recall_curve} without its final
     * (1, 0) point. Empty without positives.
     */
    public static List<double[]> precisionRecallCurve(int[] y, double[] p) {
        long positives = Arrays.stream(y).filter(v -> v == 1).count();
        List<double[]> out = new ArrayList<>();
        if (positives == 0) return out;
        int[] order = descending(p);
        long tp = 0, fp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) j++;
            for (int k = i; k <= j; k++) {
                if (y[order[k]] == 1) tp++;
                else fp++;
            }
            out.add(new double[] {(double) tp / (tp + fp), (double) tp / positives, p[order[i]]});
            i = j + 1;
        }
        return out;
    }

    /** Points {false positive rate, true positive rate, threshold} at every distinct score, from (0, 0) up to (1, 1). */
    public static List<double[]> rocCurve(int[] y, double[] p) {
        long positives = Arrays.stream(y).filter(v -> v == 1).count();
        long negatives = y.length - positives;
        List<double[]> out = new ArrayList<>();
        int[] order = descending(p);
        // scikit-learn puts +inf here; the next double above the top score says the same and stays valid JSON.
        out.add(new double[] {0, 0, order.length == 0 ? 1 : Math.nextUp(p[order[0]])});
        long tp = 0, fp = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) j++;
            for (int k = i; k <= j; k++) {
                if (y[order[k]] == 1) tp++;
                else fp++;
            }
            out.add(new double[] {negatives == 0 ? 0 : (double) fp / negatives, positives == 0 ? 0 : (double) tp / positives, p[order[i]]});
            i = j + 1;
        }
        return out;
    }

    /** One bin of a calibration curve: rows in it, mean predicted probability, observed share of positives. */
    public record CalibrationBin(double lower, double upper, long count, double meanPredicted, double fractionPositive) {}

    /**
     * The reliability diagram of scikit-learn's {@code calibration_curve(strategy="uniform")}:
     * {@code bins} equal-width bins over [0, 1], a probability on an inner edge counting in the
     * lower bin; empty bins are left out.
     */
    public static List<CalibrationBin> calibration(int[] y, double[] p, int bins) {
        long[] count = new long[bins];
        double[] sumPredicted = new double[bins];
        long[] positives = new long[bins];
        for (int i = 0; i < y.length; i++) {
            int bin = 0;
            for (int b = 1; b < bins; b++) if ((double) b / bins < p[i]) bin = b;
            count[bin]++;
            sumPredicted[bin] += p[i];
            positives[bin] += y[i];
        }
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) continue;
            out.add(new CalibrationBin((double) b / bins, (double) (b + 1) / bins, count[b], sumPredicted[b] / count[b],
                    (double) positives[b] / count[b]));
        }
        return out;
    }

    private static int[] descending(double[] p) {
        return IntStream.range(0, p.length).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> p[k]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }
}
