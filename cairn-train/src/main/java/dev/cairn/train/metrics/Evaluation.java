package dev.cairn.train.metrics;

import dev.cairn.train.data.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/** The final metrics of a model on labelled rows, by task. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * @param scores as {@code FittedModel.predict} gives them: positive-class probability (binary),
     *               class probabilities (multiclass) or values (regression)
     */
    public static Map<String, Double> evaluate(Labels labels, double[][] scores) {
        Map<String, Double> out = new LinkedHashMap<>();
        switch (labels.task()) {
            case BINARY -> {
                int[] y = labels.classIndexes();
                double[] p = column(scores);
                out.put("roc_auc", Metrics.rocAuc(y, p));
                out.put("log_loss", Metrics.logLoss(y, p));
                int[] predicted = new int[p.length];
                for (int i = 0; i < p.length; i++) predicted[i] = p[i] >= 0.5 ? 1 : 0;
                out.put("accuracy", Metrics.accuracy(y, predicted));
                double[] prf = Metrics.precisionRecallF1(y, p, 0.5);
                out.put("precision", prf[0]);
                out.put("recall", prf[1]);
                out.put("f1", prf[2]);
            }
            case MULTICLASS -> {
                int[] y = labels.classIndexes();
                int[] predicted = new int[y.length];
                for (int i = 0; i < y.length; i++) {
                    int best = 0;
                    for (int k = 1; k < scores[i].length; k++) if (scores[i][k] > scores[i][best]) best = k;
                    predicted[i] = best;
                }
                out.put("accuracy", Metrics.accuracy(y, predicted));
                out.put("log_loss", Metrics.multiLogLoss(y, scores));
            }
            case REGRESSION -> {
                double[] p = column(scores);
                out.put("rmse", Metrics.rmse(labels.targets(), p));
                out.put("mae", Metrics.mae(labels.targets(), p));
                out.put("r2", Metrics.r2(labels.targets(), p));
            }
        }
        return out;
    }

    static double[] column(double[][] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) out[i] = scores[i][0];
        return out;
    }
}
