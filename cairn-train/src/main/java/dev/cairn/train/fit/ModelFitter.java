package dev.cairn.train.fit;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.schema.Field;
import dev.cairn.runtime.pkg.ModelBody;
import dev.cairn.runtime.preprocess.FeatureEncoder;
import dev.cairn.runtime.preprocess.Preprocessing;
import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.algorithm.BoostedModel;
import dev.cairn.train.algorithm.BoosterTrainer;
import dev.cairn.train.algorithm.FeatureMatrix;
import dev.cairn.train.algorithm.LinearExtractor;
import dev.cairn.train.algorithm.RoundMetrics;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Labels;
import dev.cairn.train.data.Task;
import dev.cairn.train.features.FrameRows;
import dev.cairn.train.features.PreprocessingFitter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fits one model: preprocessing on the training rows only, the training matrix built through the
 * runtime's {@link FeatureEncoder} (the one serving uses), then the booster or the baseline.
 */
public final class ModelFitter {
    private ModelFitter() {}

    /**
     * @param validation rows for per-round validation metrics and early stopping; may be null
     * @param params     the algorithm's resolved parameters ({@link Algorithm#resolve})
     */
    public static FittedModel fit(Algorithm algorithm, Map<String, Object> params, Frame train, Labels trainLabels,
                                  Frame validation, Labels validationLabels, Consumer<RoundMetrics> onRound) {
        if (train.rowCount() == 0) {
            throw CairnException.invalid("data", "0 rows", "at least one training row");
        }
        algorithm.checkTask(trainLabels.task(), trainLabels.column());
        Task task = trainLabels.task();
        List<String> classes = trainLabels.classes();
        boolean linear = algorithm == Algorithm.LOGISTIC_REGRESSION || algorithm == Algorithm.LINEAR_REGRESSION;
        PreprocessingFitter.Fitted fitted = PreprocessingFitter.fit(train, linear);
        float[] weights = weights(params, trainLabels);

        if (algorithm == Algorithm.BASELINE) {
            ModelBody body = baseline(trainLabels, weights);
            return new FittedModel(algorithm, task, trainLabels.column(), classes, params, Map.of(), fitted.inputs(),
                    PreprocessingFitter.INFERRED_POLICY, new Preprocessing(List.of(), List.of()), body, null, 0, List.of());
        }
        FeatureEncoder encoder = FeatureEncoder.of(fitted.inputs(), fitted.preprocessing()).lenient();
        List<String> inputNames = fitted.inputs().stream().map(Field::name).toList();
        FeatureMatrix trainMatrix = matrix(encoder, inputNames, train, trainLabels, weights);
        FeatureMatrix validationMatrix = validation == null || validation.rowCount() == 0 ? null
                : matrix(encoder, inputNames, validation, validationLabels, null);

        Map<String, Object> boosterParams = BoosterTrainer.boosterParameters(algorithm, task, classes.size(), params);
        int maxRounds = ((Number) params.get("num_boost_round")).intValue();
        int earlyStopping = ((Number) params.getOrDefault("early_stopping_rounds", 0L)).intValue();
        BoostedModel boosted = BoosterTrainer.train(boosterParams, trainMatrix, validationMatrix, maxRounds, earlyStopping, onRound);
        if (linear) {
            // Served as the runtime's linear flavor: plain coefficients over the encoded features.
            return new FittedModel(algorithm, task, trainLabels.column(), classes, params, boosterParams, fitted.inputs(),
                    PreprocessingFitter.INFERRED_POLICY, fitted.preprocessing(), LinearExtractor.extract(boosted.modelBytes(), task), null, boosted.rounds(),
                    boosted.history());
        }
        return new FittedModel(algorithm, task, trainLabels.column(), classes, params, boosterParams, fitted.inputs(),
                PreprocessingFitter.INFERRED_POLICY, fitted.preprocessing(), new ModelBody.XGBoost(FittedModel.MODEL_FILE, BoosterTrainer.MODEL_FORMAT),
                boosted.modelBytes(), boosted.rounds(), boosted.history());
    }

    private static FeatureMatrix matrix(FeatureEncoder encoder, List<String> inputNames, Frame frame, Labels labels, float[] weights) {
        float[] values = encoder.encodeFloats(new FrameRows(frame, inputNames));
        float[] targets = new float[labels.targets().length];
        for (int i = 0; i < targets.length; i++) targets[i] = (float) labels.targets()[i];
        return new FeatureMatrix(values, frame.rowCount(), encoder.featureCount(), targets, weights);
    }

    private static float[] weights(Map<String, Object> params, Labels labels) {
        if (!"balanced".equals(params.get("class_weight"))) return null;
        if (!labels.task().isClassification()) {
            throw CairnException.invalid("class_weight", "balanced", "none for a regression label ('" + labels.column() + "')");
        }
        return PreprocessingFitter.balancedWeights(labels.classIndexes(), labels.classes().size());
    }

    /** Class frequencies (weighted when class weights are on, which makes them uniform) or the mean. */
    private static ModelBody baseline(Labels labels, float[] weights) {
        double[] targets = labels.targets();
        if (labels.task() == Task.REGRESSION) {
            double sum = 0;
            for (double t : targets) sum += t;
            return new ModelBody.Baseline(null, null, sum / targets.length);
        }
        double[] mass = new double[labels.classes().size()];
        double total = 0;
        for (int i = 0; i < targets.length; i++) {
            double w = weights == null ? 1 : weights[i];
            mass[(int) targets[i]] += w;
            total += w;
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        int majority = 0;
        for (int c = 0; c < mass.length; c++) {
            probabilities.put(labels.classes().get(c), mass[c] / total);
            if (mass[c] > mass[majority]) majority = c;
        }
        return new ModelBody.Baseline(labels.classes().get(majority), probabilities, null);
    }
}
