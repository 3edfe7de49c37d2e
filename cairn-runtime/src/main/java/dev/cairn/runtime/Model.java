package dev.cairn.runtime;

import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.Signature;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.List;
import java.util.Map;

/**
 * A loaded model, ready to predict. Every input is checked against {@link #signature()} first, and
 * {@link InvalidInputException} lists every problem at once. Implementations are thread-safe:
 * one instance serves any number of threads. Close it to free native memory.
 */
public interface Model extends AutoCloseable {

    Signature signature();

    /** Everything model.yaml says: flavor, preprocessing, provenance, threshold. */
    ModelManifest manifest();

    /** The encoder from input rows to this model's feature vectors. */
    FeatureEncoder encoder();

    Prediction predict(Map<String, ?> row);

    /** Predicts many rows in one call; a problem in any row fails the call and lists every row's problems. */
    List<Prediction> predict(List<? extends Map<String, ?>> rows);

    /**
     * Predicts from columns: input name → an array ({@code double[]}, {@code long[]},
     * {@code String[]}, {@code Object[]}…) or a list, all of the same length.
     */
    List<Prediction> predictColumns(Map<String, ?> columns);

    /**
     * Predicts rows from any {@link RowSource} (a data frame, a result set): the same validation,
     * conversion ({@link dev.cairn.runtime.preprocess.Coercion}) and scoring as every other predict.
     */
    List<Prediction> predict(RowSource rows);

    /**
     * This model without the signature's domain and range checks (types, missing values and the
     * encoders' unseen-category policies still apply): for scoring evaluation data, which a model
     * must be judged on rather than refuse. Shares this model; closing the view frees nothing.
     */
    Model lenient();

    /** Whether {@link #explain} gives per-input contributions for this model's flavor. */
    boolean supportsContributions();

    /**
     * A prediction with {@link Prediction#contributions()} filled: TreeSHAP for XGBoost (one-hot
     * features summed back to their input), coefficient × preprocessed value for linear models.
     */
    Prediction explain(Map<String, ?> row);

    @Override
    void close();
}
