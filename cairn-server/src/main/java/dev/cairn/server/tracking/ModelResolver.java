package dev.cairn.server.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.uri.ModelReference;

/**
 * Resolves what a user calls a model ({@code models:/name/3}, {@code models:/name@champion},
 * {@code runs:/<run>/model}, or a storage URI) to the registered version, if any, and the storage
 * location of its files. Used by the REST API, the MLflow-compatible API and serving alike.
 */
public final class ModelResolver {

    private final MetadataStore store;
    private final ArtifactLocations locations;

    public ModelResolver(MetadataStore store, ArtifactLocations locations) {
        this.store = store;
        this.locations = locations;
    }

    public ModelResolver(MetadataStore store, ArtifactRepository artifactRoot) {
        this(store, new ArtifactLocations(artifactRoot));
    }

    /**
     * A model reference resolved: the version (null for a {@code runs:/} URI or a plain location)
     * and where its files are, as a storage URI ({@code file:…}, {@code s3://…}).
     */
    public record ResolvedModel(ModelReference reference, ModelVersion version, String storageLocation) {}

    public ResolvedModel resolve(String uri) {
        return resolve(ModelReference.parse(uri));
    }

    public ResolvedModel resolve(ModelReference reference) {
        ModelSources.Followed followed = ModelSources.follow(reference, store.registry());
        return new ResolvedModel(reference, followed.version(), ModelSources.storageLocation(followed, store.runs()));
    }

    /**
     * A model a client registers, deploys or evaluates, resolved, and refused (naming {@code field} and the URI as
     * sent) unless its files are in the server's artifact store: a {@code runs:/} path or a location with {@code ..}
     * parts (however encoded), or a location elsewhere ({@code file:///etc}, another bucket), never gets as far as a
     * read or a copy.
     */
    public ResolvedModel resolveInArtifactStore(String field, String uri) {
        return resolveInArtifactStore(field, uri, uri);
    }

    /** As above, refusals naming {@code shown} (what the client sent, before a translation to {@code uri}). */
    public ResolvedModel resolveInArtifactStore(String field, String shown, String uri) {
        if (uri == null || uri.isBlank()) throw CairnException.invalid(field, shown, "a model URI (models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN/PATH)");
        ArtifactLocations.checkNoRelativeParts(uri, field, shown);
        ResolvedModel resolved = resolve(ModelReference.parse(uri));
        locations.requireUnderRoot(field, shown, resolved.storageLocation());
        return resolved;
    }

    /** As {@link #resolveInArtifactStore(String, String)}, for a parsed reference. */
    public ResolvedModel resolveInArtifactStore(String field, ModelReference reference) {
        return resolveInArtifactStore(field, reference.toString());
    }

    /** The repository holding a resolved model's files (its root is the model's directory). */
    public ArtifactRepository open(ResolvedModel model) {
        return locations.open(model.storageLocation());
    }

    /** Where a version's source points: a {@code runs:/} source is looked up in the run's artifacts. */
    public String locationOf(String source) {
        return resolve(ModelReference.parse(source)).storageLocation();
    }
}
