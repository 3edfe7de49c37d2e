package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;
import java.util.List;
import java.util.Objects;

/**
 * What features describe (a customer, a store), with the columns that identify one: its join keys, which the
 * sources of its feature views and the entity rows of a training set must both have.
 */
public record Entity(String name, List<String> joinKeys, String description) implements Definition {
    public Entity {
        Objects.requireNonNull(name, "name");
        joinKeys = List.copyOf(joinKeys);
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.ENTITY;
    }
}
