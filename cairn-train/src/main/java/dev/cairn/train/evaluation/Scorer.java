package dev.cairn.train.evaluation;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.schema.Field;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.train.data.Frame;
import dev.cairn.train.features.FrameRows;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Scores evaluation data with a model package through the runtime that serves it, seen through
 * {@link Model#lenient()}: evaluation data may hold values outside the ranges and categories the
 * signature names, and a model must be judged on them rather than refuse them. Types and the
 * encoders' unseen-category policies still apply. XGBoost's own booster is opened only for what the
 * runtime does not give: gain importance.
 */
final class Scorer implements AutoCloseable {
    private final ModelPackage pkg;
    private final Model model;
    private final Model lenient;
    private final OutputSpec output;
    private final List<String> inputNames;
    private Booster booster;

    Scorer(ModelPackage pkg) {
        this.pkg = pkg;
        this.model = Models.load(pkg);
        this.lenient = model.lenient();
        this.output = model.signature().output();
        this.inputNames = model.signature().inputs().stream().map(Field::name).toList();
    }

    Model model() {
        return model;
    }

    ModelPackage pkg() {
        return pkg;
    }

    OutputSpec output() {
        return output;
    }

    FeatureEncoder encoder() {
        return lenient.encoder();
    }

    /** XGBoost's booster for the model's gain importance; null for other flavors. */
    synchronized Booster booster() {
        if (booster == null && pkg.manifest().model() instanceof ModelBody.XGBoost x) {
            try {
                booster = XGBoost.loadModel(pkg.file(x.file()));
            } catch (XGBoostError | java.io.IOException e) {
                throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "XGBoost cannot load the model of " + pkg.source() + ": " + e.getMessage(), e);
            }
        }
        return booster;
    }

    /**
     * Per row: class probabilities in the signature's class order for classifiers (binary too:
     * {negative, positive}), {value} for regression.
     */
    double[][] score(Frame frame) {
        List<Prediction> predictions = lenient.predict(new FrameRows(frame, inputNames));
        double[][] out = new double[predictions.size()][];
        for (int i = 0; i < out.length; i++) {
            Prediction p = predictions.get(i);
            out[i] = output.kind() == OutputKind.REGRESSION ? new double[] {p.value()}
                    : output.classes().stream().mapToDouble(p::probability).toArray();
        }
        return out;
    }

    /** Per-input contributions of one row (TreeSHAP or coefficient × value), or null when the row or flavor cannot be explained. */
    Map<String, Double> explain(Map<String, Object> row) {
        if (!model.supportsContributions()) return null;
        try {
            return model.explain(row).contributions();
        } catch (CairnException invalidForServing) {
            return null; // outside the signature's ranges: serving would refuse it too
        }
    }

    @Override
    public void close() {
        if (booster != null) booster.dispose();
        model.close();
    }
}
