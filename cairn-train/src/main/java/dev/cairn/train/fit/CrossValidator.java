package dev.cairn.train.fit;

import dev.cairn.train.algorithm.Algorithm;
import dev.cairn.train.data.Frame;
import dev.cairn.train.data.Labels;
import dev.cairn.train.metrics.SelectionMetric;
import dev.cairn.train.split.Split;
import dev.cairn.train.split.Splitter;
import java.util.List;
import java.util.Map;

/**
 * K-fold cross-validation of one configuration: each fold fits its own preprocessing and model on
 * its training rows and is scored on the rows it held out (which also drive early stopping, as
 * XGBoost's own {@code cv} does). Folds are stratified for classification.
 */
public final class CrossValidator {
    private CrossValidator() {}

    /** Per-fold scores, their mean and standard deviation, and the mean number of rounds kept. */
    public record Result(double mean, double std, double[] foldScores, int meanRounds) {}

    public static List<Split> folds(Labels labels, int k, long seed) {
        return labels.task().isClassification()
                ? Splitter.stratifiedKFold(labels.classIndexes(), k, seed)
                : Splitter.kFold(labels.targets().length, k, seed);
    }

    public static Result evaluate(Algorithm algorithm, Map<String, Object> params, Frame features, Labels labels,
                                  List<Split> folds, SelectionMetric metric) {
        double[] scores = new double[folds.size()];
        long rounds = 0;
        for (int f = 0; f < folds.size(); f++) {
            Split split = folds.get(f);
            Frame validation = features.select(split.validation());
            Labels validationLabels = labels.select(split.validation());
            FittedModel model = ModelFitter.fit(algorithm, params, features.select(split.train()), labels.select(split.train()),
                    validation, validationLabels, null);
            scores[f] = metric.compute(validationLabels, model.predict(validation));
            rounds += model.rounds();
        }
        double mean = 0;
        for (double s : scores) mean += s;
        mean /= scores.length;
        double variance = 0;
        for (double s : scores) variance += (s - mean) * (s - mean);
        double std = Math.sqrt(variance / scores.length);
        return new Result(mean, std, scores, (int) Math.round((double) rounds / folds.size()));
    }
}
