package dev.cairn.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One prediction. Classifiers fill {@code label} and {@code probabilities} (class name →
 * probability, in the signature's class order); regressors fill {@code value}.
 * {@code contributions}, when asked for, maps each input field to its additive contribution to the
 * model's margin (log-odds for binary XGBoost, the linear predictor for linear models), plus
 * {@link #BIAS} for the part that depends on no input; they sum to the margin.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(String label, Map<String, Double> probabilities, Double value, Map<String, Double> contributions) {

    /** The contributions key of the expected value (intercept). */
    public static final String BIAS = "__bias__";

    public Prediction withContributions(Map<String, Double> contributions) {
        return new Prediction(label, probabilities, value, contributions);
    }

    /** The probability of a class, or NaN when this is not a classification. */
    public double probability(String className) {
        if (probabilities == null) return Double.NaN;
        Double p = probabilities.get(className);
        return p == null ? Double.NaN : p;
    }
}
