package dev.cairn.train.fit;

import dev.cairn.core.schema.Field;
import dev.cairn.runtime.Model;
import dev.cairn.runtime.Models;
import dev.cairn.runtime.Prediction;
import dev.cairn.runtime.pkg.InputPolicy;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.pkg.ModelManifest;
import dev.cairn.runtime.pkg.ModelPackage;
import dev.cairn.runtime.pkg.OutputSpec;
import dev.cairn.runtime.pkg.Provenance;
import dev.cairn.runtime.pkg.Signature;
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
 * A trained model with everything a package needs: the signature inputs and the policy for values
 * outside their domains and ranges, the fitted preprocessing, the model body, and for boosters the
 * model file's bytes ({@link #modelFile()}). {@code rounds} is how many rounds the model keeps;
 * {@code history} every round's evaluation.
 */
public record FittedModel(Algorithm algorithm, Task task, String labelColumn, List<String> classes,
                          Map<String, Object> params, Map<String, Object> boosterParams,
                          List<Field> inputs, InputPolicy policy, Preprocessing preprocessing, ModelBody body, byte[] modelBytes,
                          int rounds, List<RoundMetrics> history) {

    /** The package-relative name of the booster file. */
    public static final String MODEL_FILE = "model." + BoosterTrainer.MODEL_FORMAT;

    public String modelFile() {
        return modelBytes == null ? null : MODEL_FILE;
    }

    public FittedModel withInputs(List<Field> newInputs, InputPolicy newPolicy) {
        return new FittedModel(algorithm, task, labelColumn, classes, params, boosterParams, newInputs, newPolicy,
                preprocessing, body, modelBytes, rounds, history);
    }

    public FeatureEncoder encoder() {
        return FeatureEncoder.of(inputs, preprocessing, policy);
    }

    public OutputSpec output() {
        return switch (task) {
            case BINARY -> OutputSpec.binary(labelColumn, classes.get(0), classes.get(1));
            case MULTICLASS -> OutputSpec.multiclass(labelColumn, classes);
            case REGRESSION -> OutputSpec.regression(labelColumn);
        };
    }

    public Signature signature() {
        return new Signature(inputs, output(), policy);
    }

    /**
     * This model as the runtime loads it from its package, without writing one: cross-validation and
     * evaluation score through the very code that serves it.
     */
    public Model load() {
        ModelManifest manifest = ModelManifest.of(signature(), preprocessing, body, null, Provenance.ofEnvironment(), null);
        Map<String, byte[]> files = modelBytes == null ? Map.of() : Map.of(MODEL_FILE, modelBytes);
        return Models.load(new ModelPackage("fitted " + algorithm.wireName() + " model", manifest, files));
    }

    /**
     * Scores rows through the runtime (lenient: held-out rows may hold values the training rows did
     * not). Binary: the positive class's probability in column 0; multiclass: one probability per
     * class; regression: the value in column 0.
     */
    public double[][] predict(Frame features) {
        try (Model model = load()) {
            List<Prediction> predictions = model.lenient()
                    .predict(new FrameRows(features, inputs.stream().map(Field::name).toList()));
            double[][] out = new double[predictions.size()][];
            for (int i = 0; i < out.length; i++) {
                Prediction p = predictions.get(i);
                out[i] = switch (task) {
                    case REGRESSION -> new double[] {p.value()};
                    case BINARY -> new double[] {p.probability(classes.get(1))};
                    case MULTICLASS -> classes.stream().mapToDouble(p::probability).toArray();
                };
            }
            return out;
        }
    }
}
