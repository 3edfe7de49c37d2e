package dev.cairn.train;

import dev.cairn.train.fit.FittedModel;
import java.util.Map;

/**
 * A finished training: its run, the metrics on the validation rows, the model's URI
 * ({@code runs:/<run-id>/model}) and the SHA-256 of the model file (or of the model block for a
 * baseline).
 */
public record TrainResult(String runId, String experimentId, Map<String, Double> metrics, String modelUri,
                          String modelSha256, FittedModel model) {}
