package dev.cairn.server.tracking;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.uri.ModelReference;
import java.util.Map;

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
        return resolve(reference, 0);
    }

    private ResolvedModel resolve(ModelReference reference, int depth) {
        return switch (reference) {
            case ModelReference.ByVersion byVersion -> {
                ModelVersion version = store.registry().getModelVersion(byVersion.name(), byVersion.version());
                yield new ResolvedModel(reference, version, locationOf(version.source(), depth + 1));
            }
            case ModelReference.ByAlias byAlias -> {
                ModelVersion version = store.registry().getModelVersionByAlias(byAlias.name(), byAlias.alias());
                yield new ResolvedModel(reference, version, locationOf(version.source(), depth + 1));
            }
            case ModelReference.RunArtifact run -> new ResolvedModel(reference, null, runLocation(run));
            case ModelReference.Location location -> new ResolvedModel(reference, null, location.uri());
        };
    }

    /** The repository holding a resolved model's files (its root is the model's directory). */
    public ArtifactRepository open(ResolvedModel model) {
        return locations.open(model.storageLocation());
    }

    /** Where a version's source points: a {@code runs:/} source is looked up in the run's artifacts. */
    public String locationOf(String source) {
        return locationOf(source, 0);
    }

    private String locationOf(String source, int depth) {
        if (depth > MAX_INDIRECTIONS) {
            // A version whose source is an alias that now points back at it.
            throw new CairnException(ErrorCode.INVALID_STATE, "Model source '" + source + "' refers to models more than "
                    + MAX_INDIRECTIONS + " levels deep (a cycle of aliases?)", Map.of("source", source));
        }
        ModelReference reference = ModelReference.parse(source);
        return switch (reference) {
            case ModelReference.RunArtifact run -> runLocation(run);
            case ModelReference.Location location -> location.uri();
            // A version registered from another model's URI: follow it.
            case ModelReference.ByVersion byVersion -> resolve(byVersion, depth).storageLocation();
            case ModelReference.ByAlias byAlias -> resolve(byAlias, depth).storageLocation();
        };
    }

    private static final int MAX_INDIRECTIONS = 8;

    private String runLocation(ModelReference.RunArtifact artifact) {
        Run run = store.runs().getRun(artifact.runId());
        String root = run.info().artifactUri();
        if (artifact.path().isEmpty()) return root;
        return (root.endsWith("/") ? root : root + "/") + artifact.path();
    }
}
