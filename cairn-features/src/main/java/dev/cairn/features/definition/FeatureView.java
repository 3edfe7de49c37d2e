package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Features of one or more entities computed from one source. {@code ttl} (null: none) bounds how old the latest row
 * may be for its values to count: older than that, column and expression features are null. Window aggregations are
 * bounded by their own windows.
 */
public record FeatureView(String name, List<String> entities, String source, Duration ttl, List<Feature> features,
                          String description) implements Definition {
    public FeatureView {
        Objects.requireNonNull(name, "name");
        entities = List.copyOf(entities);
        Objects.requireNonNull(source, "source");
        features = List.copyOf(features);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.FEATURE_VIEW;
    }

    public Optional<Feature> feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    /** Whether any feature is a window aggregation. */
    public boolean hasAggregates() {
        return features.stream().anyMatch(f -> f instanceof Feature.Aggregate);
    }
}
