package dev.cairn.runtime.predict;

import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputKind;
import dev.cairn.runtime.preprocess.RowSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear model over the feature vector: identity for regression, logistic for binary, softmax
 * for multiclass. A missing (NaN) feature contributes nothing, which for standardized features
 * means "at the training mean"; impute explicitly to choose otherwise.
 */
final class LinearModel extends AbstractModel {

    private final double[][] weights;
    private final double[] intercepts;
    private final int width;

    LinearModel(ModelPackage pkg, ModelBody.Linear body) {
        super(pkg);
        this.width = encoder.featureCount();
        this.weights = body.coefficients().stream()
                .map(r -> r.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
        this.intercepts = body.intercepts().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private double[] linearPredictors(float[] features, int offset) {
        double[] z = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            double s = intercepts[k];
            for (int f = 0; f < width; f++) {
                float x = features[offset + f];
                if (!Float.isNaN(x)) s += weights[k][f] * x;
            }
            z[k] = s;
        }
        return z;
    }

    @Override
    protected double[][] score(RowSource rows, float[] features, int n) {
        double[][] out = new double[n][];
        for (int r = 0; r < n; r++) {
            double[] z = linearPredictors(features, r * width);
            out[r] = switch (output().kind()) {
                case REGRESSION -> z;
                case BINARY -> new double[]{1.0 / (1.0 + Math.exp(-z[0]))};
                case MULTICLASS -> softmax(z);
            };
        }
        return out;
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
    public boolean supportsContributions() {
        return true;
    }

    @Override
    public Prediction explain(Map<String, ?> row) {
        float[] features = encoder.encodeFloats(RowSource.ofMap(row, inputNames));
        Prediction p = toPrediction(score(null, features, 1)[0]);
        int k = output().kind() == OutputKind.MULTICLASS ? output().classes().indexOf(p.label()) : 0;
        double[] perFeature = new double[width];
        for (int f = 0; f < width; f++) perFeature[f] = Float.isNaN(features[f]) ? 0.0 : weights[k][f] * features[f];
        Map<String, Double> byInput = new LinkedHashMap<>(encoder.sumByInput(perFeature));
        byInput.put(Prediction.BIAS, intercepts[k]);
        return p.withContributions(byInput);
    }

    @Override
    public void close() {
        // nothing native to free
    }
}
