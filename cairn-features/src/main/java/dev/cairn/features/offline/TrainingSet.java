package dev.cairn.features.offline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A training set written: the Parquet file, the SHA-256 of its bytes, its rows (one per entity row, in their order),
 * the feature columns added to the entity rows' own, and the version of every definition it was built from (the
 * service first, then each view with its source and entities).
 */
public record TrainingSet(String service, Path path, String sha256, long rows, List<String> features, Map<String, Long> versions) {
    public TrainingSet {
        features = List.copyOf(features);
        versions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versions));
    }
}
