package dev.cairn.core.store;

import java.util.Set;

/**
 * Opens metadata stores for some URI schemes. Implementations are registered in
 * {@code META-INF/services/dev.cairn.core.store.MetadataStoreProvider}.
 */
public interface MetadataStoreProvider {

    Set<String> schemes();

    /** {@code defaultArtifactRoot} is where experiments created without a location put their artifacts. */
    MetadataStore open(String uri, String defaultArtifactRoot);
}
