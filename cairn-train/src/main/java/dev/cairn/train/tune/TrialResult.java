package dev.cairn.train.tune;

import java.util.Map;

/**
 * One evaluated configuration: its child run, the searched values ({@code params}, with the
 * rounds budget under successive halving), the cross-validated score, and the mean number of
 * rounds early stopping kept. {@code failure} is set (and the score NaN) when the trial failed.
 */
public record TrialResult(int index, String runId, Map<String, Object> params, double score, double scoreStd,
                          int meanRounds, int rung, String failure) {

    public boolean failed() {
        return failure != null;
    }
}
