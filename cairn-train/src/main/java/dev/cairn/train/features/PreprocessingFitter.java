package dev.cairn.train.features;

import dev.cairn.core.schema.Field;
import dev.cairn.core.schema.FieldType;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.runtime.preprocess.PreprocessingStep;
import dev.cairn.runtime.preprocess.UnseenPolicy;
import dev.cairn.train.data.Column;
import dev.cairn.train.data.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fits the preprocessing of a model on the training rows only, as the runtime's step records with
 * the fitted values inside, so serving applies exactly what training learnt:
 * <ul>
 *   <li>text columns: the most frequent value imputed, then one-hot over the training categories
 *       (an unseen category encodes as all zeros);</li>
 *   <li>numeric columns for trees: left as they are, missing values included (XGBoost learns a
 *       default direction for them);</li>
 *   <li>numeric columns for linear models: the median imputed, then standardised with the mean and
 *       standard deviation of the imputed training values.</li>
 * </ul>
 * The signature inputs are inferred from the same rows, as TFDV and MLflow infer a schema: a
 * column never missing in training is required, a text column's domain is its training categories,
 * and an integer or decimal column records its observed [min, max]. Under {@link #INFERRED_POLICY}
 * an unseen category is refused and a number outside the observed range is scored with a warning.
 */
public final class PreprocessingFitter {
    private PreprocessingFitter() {}

    /** What an inferred signature does with unexpected values: refuse unseen categories, warn on out-of-range numbers. */
    public static final InputPolicy INFERRED_POLICY =
            new InputPolicy(InputPolicy.UnseenCategory.REFUSE, InputPolicy.OutOfRange.WARN);

    /** The fitted preprocessing and the signature inputs it expects. */
    public record Fitted(Preprocessing preprocessing, List<Field> inputs) {}

    public static Fitted fit(Frame features, boolean scaleNumeric) {
        List<PreprocessingStep> steps = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        List<Field> inputs = new ArrayList<>();
        for (Column column : features.columns()) {
            String name = column.name();
            switch (column) {
                case Column.Text text -> {
                    Map<String, Integer> counts = new TreeMap<>();
                    for (String v : text.values()) if (v != null) counts.merge(v, 1, Integer::sum);
                    List<String> categories = List.copyOf(counts.keySet());
                    if (!categories.isEmpty()) {
                        String mostFrequent = counts.entrySet().stream()
                                .max(Comparator.comparingInt(Map.Entry<String, Integer>::getValue)
                                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                                .orElseThrow().getKey();
                        steps.add(new PreprocessingStep.Impute(name, "most_frequent", mostFrequent));
                        steps.add(new PreprocessingStep.OneHot(name, categories, UnseenPolicy.IGNORE));
                        for (String c : categories) featureNames.add(PreprocessingStep.oneHotName(name, c));
                    }
                    boolean missing = Arrays.stream(text.values()).anyMatch(java.util.Objects::isNull);
                    inputs.add(new Field(name, FieldType.STRING, missing, categories, null, null, null));
                }
                case Column.Numeric numeric -> {
                    double[] values = numeric.values();
                    if (scaleNumeric) {
                        double median = median(values);
                        double fill = Double.isNaN(median) ? 0 : median;
                        steps.add(new PreprocessingStep.Impute(name, "median", fill));
                        double[] imputed = Arrays.stream(values).map(v -> Double.isNaN(v) ? fill : v).toArray();
                        double mean = Arrays.stream(imputed).average().orElse(0);
                        double variance = Arrays.stream(imputed).map(v -> (v - mean) * (v - mean)).average().orElse(0);
                        steps.add(new PreprocessingStep.StandardScale(name, mean, Math.sqrt(variance)));
                    }
                    featureNames.add(name);
                    boolean missing = Arrays.stream(values).anyMatch(Double::isNaN);
                    boolean ranged = numeric.type() == FieldType.INTEGER || numeric.type() == FieldType.DOUBLE;
                    double min = Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
                    double max = Arrays.stream(values).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
                    boolean observed = ranged && !Double.isNaN(min);
                    inputs.add(new Field(name, numeric.type(), missing, null, observed ? min : null, observed ? max : null, null));
                }
            }
        }
        return new Fitted(new Preprocessing(steps, featureNames), inputs);
    }

    /** Median of the non-missing values; NaN when there are none. */
    static double median(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (present.length == 0) return Double.NaN;
        int mid = present.length / 2;
        return present.length % 2 == 1 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
    }

    /** Per-row weights that make every class weigh the same in total: rows / (classes × class rows). */
    public static float[] balancedWeights(int[] classes, int classCount) {
        long[] counts = new long[classCount];
        for (int c : classes) counts[c]++;
        float[] out = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            out[i] = (float) ((double) classes.length / (classCount * (double) counts[classes[i]]));
        }
        return out;
    }
}
