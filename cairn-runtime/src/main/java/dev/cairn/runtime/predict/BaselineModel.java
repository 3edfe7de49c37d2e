package dev.cairn.runtime.predict;

import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The majority class (with the training class frequencies) or the training mean, whatever the
 * input; inputs are still validated, so a baseline behaves like any other model to its callers.
 */
final class BaselineModel extends AbstractModel {

    private final Prediction constant;

    BaselineModel(ModelPackage pkg, ModelBody.Baseline body) {
        super(pkg);
        if (output().isClassifier()) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            for (String c : output().classes()) {
                Double p = body.probabilities() == null ? null : body.probabilities().get(c);
                probabilities.put(c, p != null ? p : c.equals(body.label()) ? 1.0 : 0.0);
            }
            constant = new Prediction(body.label(), java.util.Collections.unmodifiableMap(probabilities), null, null);
        } else {
            constant = new Prediction(null, null, body.value(), null);
        }
    }

    /** Validates like any model, then answers the constant: the recorded label, not one re-derived from the probabilities. */
    @Override
    protected double[][] score(RowSource rows, float[] features, int n) {
        return new double[n][0];
    }

    @Override
    protected java.util.List<Prediction> predict(RowSource rows, dev.cairn.runtime.preprocess.FeatureEncoder with) {
        java.util.List<dev.cairn.runtime.FieldError> warnings = new java.util.ArrayList<>(0);
        with.encodeFloats(rows, warnings);
        return withWarnings(java.util.Collections.nCopies(rows.size(), constant), warnings);
    }

    @Override
    public boolean supportsContributions() {
        return true;
    }

    @Override
    public Prediction explain(Map<String, ?> row) {
        Prediction p = predict(row);
        Map<String, Double> contributions = new LinkedHashMap<>();
        for (String name : inputNames) contributions.put(name, 0.0);
        contributions.put(Prediction.BIAS, p.value() != null ? p.value() : 0.0);
        return p.withContributions(contributions);
    }

    @Override
    public void close() {
        // nothing native to free
    }
}
