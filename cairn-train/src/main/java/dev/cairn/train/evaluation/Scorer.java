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
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Scores evaluation data with a model package the way the runtime does, but through the lenient
 * encoder: evaluation data may hold values outside the ranges and categories training saw, and a
 * model must be judged on them rather than refuse them. Types, missing values and unseen-category
 * policies still apply. ONNX models are scored through the runtime itself.
 */
final class Scorer implements AutoCloseable {
    private final ModelPackage pkg;
    private final Model model;
    private final FeatureEncoder encoder;
    private final OutputSpec output;
    private final Booster booster;

    Scorer(ModelPackage pkg) {
        this.pkg = pkg;
        this.model = Models.load(pkg);
        this.encoder = model.encoder().lenient();
        this.output = model.signature().output();
        try {
            this.booster = pkg.manifest().model() instanceof ModelBody.XGBoost x ? XGBoost.loadModel(pkg.file(x.file())) : null;
            if (booster != null) booster.setParam("nthread", 1);
        } catch (XGBoostError | java.io.IOException e) {
            model.close();
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "XGBoost cannot load the model of " + pkg.source() + ": " + e.getMessage(), e);
        }
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
        return encoder;
    }

    Booster booster() {
        return booster;
    }

    /**
     * Per row: class probabilities in the signature's class order for classifiers (binary too:
     * {negative, positive}), {value} for regression.
     */
    double[][] score(Frame frame) {
        int n = frame.rowCount();
        ModelBody body = pkg.manifest().model();
        if (body instanceof ModelBody.Onnx) return viaRuntime(frame);
        if (body instanceof ModelBody.Baseline baseline) {
            double[] constant = output.kind() == OutputKind.REGRESSION ? new double[] {baseline.value()}
                    : output.classes().stream().mapToDouble(c -> baseline.probabilities().getOrDefault(c, 0.0)).toArray();
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) out[i] = constant.clone();
            return out;
        }
        int width = encoder.featureCount();
        float[] x = encoder.encodeFloats(new FrameRows(frame, encoder.inputs().stream().map(Field::name).toList()));
        double[][] raw = body instanceof ModelBody.Linear linear ? linear(linear, x, n, width) : boosted(x, n, width);
        if (output.kind() != OutputKind.BINARY) return raw;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double positive = raw[i].length == 1 ? raw[i][0] : raw[i][1];
            out[i] = new double[] {1 - positive, positive};
        }
        return out;
    }

    private double[][] boosted(float[] x, int n, int width) {
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(x, n, width, Float.NaN);
            float[][] raw = booster.predict(matrix);
            double[][] out = new double[n][];
            for (int i = 0; i < n; i++) {
                out[i] = new double[raw[i].length];
                for (int k = 0; k < raw[i].length; k++) out[i][k] = raw[i][k];
            }
            return out;
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost could not score the evaluation data: " + e.getMessage(), e);
        } finally {
            if (matrix != null) matrix.dispose();
        }
    }

    /** What the runtime's linear flavor computes; a missing feature contributes nothing. */
    private double[][] linear(ModelBody.Linear linear, float[] x, int n, int width) {
        int groups = linear.coefficients().size();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] z = new double[groups];
            for (int g = 0; g < groups; g++) {
                List<Double> w = linear.coefficients().get(g);
                double s = linear.intercepts().get(g);
                for (int f = 0; f < width; f++) {
                    float v = x[i * width + f];
                    if (!Float.isNaN(v)) s += w.get(f) * v;
                }
                z[g] = s;
            }
            out[i] = switch (output.kind()) {
                case BINARY -> new double[] {1 / (1 + Math.exp(-z[0]))};
                case REGRESSION -> z;
                case MULTICLASS -> softmax(z);
            };
        }
        return out;
    }

    private double[][] viaRuntime(Frame frame) {
        List<Prediction> predictions = model.predict(frame.rows());
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

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) p[k] /= sum;
        return p;
    }

    @Override
    public void close() {
        if (booster != null) booster.dispose();
        model.close();
    }
}
