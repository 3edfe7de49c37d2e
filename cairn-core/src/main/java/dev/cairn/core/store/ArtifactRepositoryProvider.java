package dev.cairn.core.store;

import java.util.Set;

/**
 * Opens artifact repositories for some URI schemes ({@code file}, {@code s3}). Registered in
 * {@code META-INF/services/dev.cairn.core.store.ArtifactRepositoryProvider}.
 */
public interface ArtifactRepositoryProvider {

    Set<String> schemes();

    ArtifactRepository open(String rootUri);
}
