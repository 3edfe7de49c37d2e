package dev.cairn.store.artifact;

import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.ArtifactRepositoryProvider;

import java.util.Set;

/**
 * Opens {@code file:} URIs and plain directory paths as {@link LocalArtifactRepository}. A caller
 * that picks providers by scheme should route a URI without one (a plain path) here.
 */
public final class LocalArtifactRepositoryProvider implements ArtifactRepositoryProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public ArtifactRepository open(String rootUri) {
        return LocalArtifactRepository.fromUri(rootUri);
    }
}
