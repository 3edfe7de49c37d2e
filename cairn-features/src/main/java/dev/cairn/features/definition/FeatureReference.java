package dev.cairn.features.definition;

import java.util.Objects;

/** A feature service's entry: one feature of a view ({@code view:feature}) or all of them ({@code view}). */
public record FeatureReference(String view, String feature) {
    public FeatureReference {
        Objects.requireNonNull(view, "view");
    }

    /** {@code view} or {@code view:feature}. */
    public static FeatureReference parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new FeatureReference(text.strip(), null)
                : new FeatureReference(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
    }

    @Override
    public String toString() {
        return feature == null ? view : view + ":" + feature;
    }
}
