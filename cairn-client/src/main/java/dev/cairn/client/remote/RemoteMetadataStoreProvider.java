package dev.cairn.client.remote;

import dev.cairn.client.Cairn;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.store.MetadataStoreProvider;
import java.util.Set;

/**
 * Opens {@code http://} and {@code https://} store URIs as a {@link RemoteMetadataStore}, so that
 * whatever opens its store by URI ({@code Stores.openMetadata}, the CLI's {@code --store}) records
 * into a Cairn server when given the server's URL, with no other change. The default artifact root
 * is the server's to decide and is ignored here.
 */
public final class RemoteMetadataStoreProvider implements MetadataStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("http", "https");
    }

    @Override
    public MetadataStore open(String uri, String defaultArtifactRoot) {
        return Cairn.connect(uri).metadataStore();
    }
}
