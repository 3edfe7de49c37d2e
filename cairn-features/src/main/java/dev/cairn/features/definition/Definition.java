package dev.cairn.features.definition;

import dev.cairn.core.features.FeatureKind;

/** A feature definition of one of the four kinds: what a definition file declares and the registry versions. */
public sealed interface Definition permits Entity, SourceDefinition, FeatureView, FeatureService {

    String name();

    FeatureKind kind();

    /** Optional, for people. */
    String description();
}
