package dev.cairn.train;

import dev.cairn.train.tune.TrialResult;
import java.util.List;
import java.util.Map;

/**
 * A finished tuning: the parent run (which holds the tuned model at {@code model/}), every trial,
 * the best trial by the space's metric on the cross-validation folds, and the final model trained
 * with the best parameters on the whole training part and scored on the held-out rows.
 */
public record TuneResult(String parentRunId, String metricKey, List<TrialResult> trials, TrialResult best,
                         Map<String, Object> finalParams, TrainResult model) {}
