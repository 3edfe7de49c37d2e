package dev.cairn.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One prediction. Classifiers fill {@code label} and {@code probabilities} (class name →
 * probability, in the signature's class order); regressors fill {@code value}.
 * {@code contributions}, when asked for, maps each input field to its additive contribution to the
 * model's margin (log-odds for binary XGBoost, the linear predictor for linear models), plus
 * {@link #BIAS} for the part that depends on no input; they sum to the margin. {@code warnings}
 * lists the values scored although the signature did not expect them (a number outside its range
 * under the {@code warn} policy); null when there are none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Prediction(String label, Map<String, Double> probabilities, Double value, Map<String, Double> contributions,
                         List<FieldError> warnings) {

    /** The contributions key of the expected value (intercept). */
    public static final String BIAS = "__bias__";

    public Prediction(String label, Map<String, Double> probabilities, Double value, Map<String, Double> contributions) {
        this(label, probabilities, value, contributions, null);
    }

    public Prediction withContributions(Map<String, Double> contributions) {
        return new Prediction(label, probabilities, value, contributions, warnings);
    }

    public Prediction withWarnings(List<FieldError> warnings) {
        return new Prediction(label, probabilities, value, contributions, warnings == null || warnings.isEmpty() ? null : List.copyOf(warnings));
    }

    /** The probability of a class, or NaN when this is not a classification. */
    public double probability(String className) {
        if (probabilities == null) return Double.NaN;
        Double p = probabilities.get(className);
        return p == null ? Double.NaN : p;
    }
}
