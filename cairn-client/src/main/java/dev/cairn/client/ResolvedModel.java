package dev.cairn.client;

import dev.cairn.core.registry.ModelVersion;

/** A model URI resolved by the server: the version (null for runs:/ URIs and plain locations) and where its files are. */
public record ResolvedModel(String uri, ModelVersion modelVersion, String storageLocation) {}
