package dev.cairn.server.tracking;

import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.uri.ModelReference;
import java.util.List;
import java.util.Optional;

/**
 * Which registered version's package lies at a path of the artifact root: deleting the files of a registered version
 * would leave it READY with its package gone (and its deployments failing at the next load), so artifact deletions
 * that touch one are refused, naming the version.
 */
public final class VersionArtifacts {

    private final MetadataStore store;
    private final ArtifactLocations locations;

    public VersionArtifacts(MetadataStore store, ArtifactLocations locations) {
        this.store = store;
        this.locations = locations;
    }

    /**
     * The first registered version whose package is at {@code path} (relative to the artifact root), under it, or
     * holds it; empty when none does.
     */
    public Optional<ModelVersion> versionAt(String path) {
        String target = path.replaceAll("^/+|/+$", "");
        String token = null;
        do {
            Page<ModelVersion> page = store.registry().searchModelVersions(null, List.of(), 1000, token);
            for (ModelVersion version : page.items()) {
                Optional<String> relative = packagePath(version);
                if (relative.isEmpty()) continue;
                String pkg = relative.get();
                if (target.isEmpty() || pkg.equals(target) || pkg.startsWith(target + "/") || target.startsWith(pkg + "/")) {
                    return Optional.of(version);
                }
            }
            token = page.nextPageToken() == null || page.nextPageToken().isEmpty() ? null : page.nextPageToken();
        } while (token != null);
        return Optional.empty();
    }

    private Optional<String> packagePath(ModelVersion version) {
        try {
            ModelSources.Followed followed = ModelSources.follow(ModelReference.parse(version.source()), store.registry());
            return locations.relativeToRoot(ModelSources.storageLocation(followed, store.runs()));
        } catch (RuntimeException unresolvable) {
            return Optional.empty(); // a version whose run is gone holds no files here
        }
    }
}
