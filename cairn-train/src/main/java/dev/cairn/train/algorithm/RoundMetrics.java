package dev.cairn.train.algorithm;

import java.util.Map;

/** The evaluation after one boosting round, e.g. {@code train_logloss} and {@code validation_logloss}. */
public record RoundMetrics(int round, Map<String, Double> values) {}
