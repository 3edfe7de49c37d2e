package dev.cairn.cli.features;

import dev.cairn.core.store.MetadataStore;
import dev.cairn.features.FeatureStore;

/** The feature store of a command: the registry of its metadata store; a person on the CLI reads what they can. */
final class FeatureStores {
    private FeatureStores() {}

    static FeatureStore of(MetadataStore metadata) {
        return new FeatureStore(metadata.features(), FeatureStore.unconfined(), System::getenv);
    }
}
