package dev.cairn.train.evaluation;

import dev.cairn.train.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Regression metrics with scikit-learn's definitions; RMSE, MAE and R² come from the trainer's {@link Metrics}. */
public final class RegressionMetrics {
    public static final List<String> NAMES = List.of("rmse", "mae", "mape", "r2");

    private RegressionMetrics() {}

    public static Map<String, Double> compute(double[] actual, double[] predicted) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("rmse", Metrics.rmse(actual, predicted));
        out.put("mae", Metrics.mae(actual, predicted));
        out.put("mape", mape(actual, predicted));
        out.put("r2", Metrics.r2(actual, predicted));
        return out;
    }

    /**
     * Mean absolute percentage error as scikit-learn computes it: a fraction (0.1 is 10 %), each
     * error divided by {@code max(|actual|, machine epsilon)} so a zero actual gives a huge value
     * rather than a division by zero.
     */
    public static double mape(double[] actual, double[] predicted) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - predicted[i]) / Math.max(Math.abs(actual[i]), Math.ulp(1.0));
        }
        return sum / actual.length;
    }
}
