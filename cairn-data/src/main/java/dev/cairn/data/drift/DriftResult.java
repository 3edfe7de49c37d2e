package dev.cairn.data.drift;

import java.util.List;

/** Drift between a reference and a current dataset: per column, and the share of drifted columns. */
public record DriftResult(String format, String reference, String current, int columns, int driftedColumns, double driftShare,
                          boolean datasetDrift, DriftOptions options, List<FeatureDrift> features, List<String> skipped) {
    public static final String FORMAT = "cairn.drift/v1";
}
