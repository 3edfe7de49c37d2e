package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;
import java.util.List;
import java.util.Objects;

/** The features a model uses, drawn from feature views; their names are the columns of its training sets. */
public record FeatureService(String name, List<FeatureReference> features, String description) implements Definition {
    public FeatureService {
        Objects.requireNonNull(name, "name");
        features = List.copyOf(features);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.FEATURE_SERVICE;
    }
}
