package dev.cairn.train.algorithm;

import java.util.List;

/**
 * A trained booster in XGBoost's UBJSON format, with the rounds it keeps ({@code rounds}, the best
 * round plus one under early stopping) and the evaluation of every round that was run.
 */
public record BoostedModel(byte[] modelBytes, int rounds, int roundsRun, List<RoundMetrics> history, String evalMetric) {}
