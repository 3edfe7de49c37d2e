package dev.cairn.train.fit;

import dev.cairn.core.schema.Field;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.algorithm.BoosterTrainer;
import dev.cairn.train.algorithm.RoundMetrics;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Task;
import dev.cairn.train.features.FrameRows;
import java.util.List;
import java.util.Map;

/**
 * A trained model with everything a package needs: the signature inputs, the fitted
 * preprocessing, the model body, and for boosters the model file's bytes ({@link #modelFile()}).
 * {@code rounds} is how many rounds the model keeps; {@code history} every round's evaluation.
 */
public record FittedModel(Algorithm algorithm, Task task, String labelColumn, List<String> classes,
                          Map<String, Object> params, Map<String, Object> boosterParams,
                          List<Field> inputs, Preprocessing preprocessing, ModelBody body, byte[] modelBytes,
                          int rounds, List<RoundMetrics> history) {

    /** The package-relative name of the booster file. */
    public static final String MODEL_FILE = "model." + BoosterTrainer.MODEL_FORMAT;

    public String modelFile() {
        return modelBytes == null ? null : MODEL_FILE;
    }

    public FeatureEncoder encoder() {
        return FeatureEncoder.of(inputs, preprocessing);
    }

    /**
     * Scores rows through the same encoder serving uses (lenient: evaluation data may hold values
     * training did not see). Binary: the positive class's probability in column 0; multiclass: one
     * probability per class; regression: the value in column 0.
     */
    public double[][] predict(Frame features) {
        int n = features.rowCount();
        double[][] out = new double[n][];
        if (body instanceof ModelBody.Baseline baseline) {
            double[] constant = switch (task) {
                case REGRESSION -> new double[] {baseline.value()};
                case BINARY -> new double[] {baseline.probabilities().get(classes.get(1))};
                case MULTICLASS -> classes.stream().mapToDouble(c -> baseline.probabilities().get(c)).toArray();
            };
            for (int i = 0; i < n; i++) out[i] = constant.clone();
            return out;
        }
        FeatureEncoder encoder = encoder().lenient();
        if (body instanceof ModelBody.Linear linear) return predictLinear(linear, encoder, features);
        float[] values = encoder.encodeFloats(new FrameRows(features, encoder.inputs().stream().map(Field::name).toList()));
        float[][] raw = BoosterTrainer.predict(modelBytes, values, n, encoder.featureCount());
        for (int i = 0; i < n; i++) {
            out[i] = new double[raw[i].length];
            for (int k = 0; k < raw[i].length; k++) out[i][k] = raw[i][k];
        }
        return out;
    }

    /** What the runtime's linear flavor computes: a margin per row, through the logistic, softmax or identity. */
    private double[][] predictLinear(ModelBody.Linear linear, FeatureEncoder encoder, Frame features) {
        int n = features.rowCount();
        int width = encoder.featureCount();
        double[] x = encoder.encodeDoubles(new FrameRows(features, encoder.inputs().stream().map(Field::name).toList()));
        int groups = linear.coefficients().size();
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] margin = new double[groups];
            for (int g = 0; g < groups; g++) {
                List<Double> w = linear.coefficients().get(g);
                double m = linear.intercepts().get(g);
                for (int f = 0; f < width; f++) m += w.get(f) * x[i * width + f];
                margin[g] = m;
            }
            out[i] = switch (task) {
                case BINARY -> new double[] {1 / (1 + Math.exp(-margin[0]))};
                case REGRESSION -> margin;
                case MULTICLASS -> softmax(margin);
            };
        }
        return out;
    }

    private static double[] softmax(double[] margin) {
        double max = Double.NEGATIVE_INFINITY;
        for (double m : margin) max = Math.max(max, m);
        double sum = 0;
        double[] out = new double[margin.length];
        for (int k = 0; k < margin.length; k++) {
            out[k] = Math.exp(margin[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < out.length; k++) out[k] /= sum;
        return out;
    }
}
