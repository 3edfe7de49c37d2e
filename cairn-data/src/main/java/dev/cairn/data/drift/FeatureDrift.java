package dev.cairn.data.drift;

import java.util.Map;

/**
 * Drift of one column: the test chosen (by Evidently's rule or the options), its value (a p-value
 * or a distance), the threshold and the verdict — and every other statistic computed for the
 * column, reported whether or not it crosses a threshold. {@code method} is "exact" when computed
 * from every value, "sketch" when from the profiles' sketches.
 */
public record FeatureDrift(String column, String type, String test, double value, double threshold, boolean drifted,
                           Map<String, Double> statistics, String method, long referenceCount, long currentCount) {}
