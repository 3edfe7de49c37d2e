package dev.cairn.core.registry;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.uri.ModelReference;
import java.util.Map;

/**
 * Where a model reference's files are, as far as the registry says: {@code models:/name/3} and
 * {@code models:/name@alias} name a version whose source may itself be another {@code models:/}
 * URI (a version registered from another model), followed here to its end, a {@code runs:/} URI or
 * a storage location, with one limit for every caller. The one implementation the server, the
 * MLflow-compatible API, evaluation and the Java client share.
 */
public final class ModelSources {

    /** How many {@code models:/} sources are followed before a chain counts as a cycle of aliases. */
    public static final int MAX_INDIRECTIONS = 8;

    private ModelSources() {}

    /**
     * A reference followed: the version it named (null when it named none) and the end of its
     * source chain, a {@link ModelReference.RunArtifact} or a {@link ModelReference.Location}.
     */
    public record Followed(ModelVersion version, ModelReference target) {}

    public static Followed follow(ModelReference reference, RegistryStore registry) {
        ModelVersion named = lookUp(reference, registry);
        if (named == null) return new Followed(null, reference);
        ModelVersion current = named;
        for (int depth = 0; ; depth++) {
            ModelReference source = ModelReference.parse(current.source());
            ModelVersion next = lookUp(source, registry);
            if (next == null) return new Followed(named, source);
            if (depth >= MAX_INDIRECTIONS) {
                throw new CairnException(ErrorCode.INVALID_STATE, "Model source '" + named.source() + "' refers to models more than "
                        + MAX_INDIRECTIONS + " levels deep (a cycle of aliases?)", Map.of("source", named.source()));
            }
            current = next;
        }
    }

    /** The storage URI of a run's artifact: the run's artifact root joined with the path. */
    public static String storageLocation(ModelReference.RunArtifact artifact, RunStore runs) {
        String root = runs.getRun(artifact.runId()).info().artifactUri();
        if (artifact.path().isEmpty()) return root;
        return root.replaceAll("/+$", "") + "/" + artifact.path();
    }

    /** The storage URI a followed reference ends at. */
    public static String storageLocation(Followed followed, RunStore runs) {
        return switch (followed.target()) {
            case ModelReference.RunArtifact run -> storageLocation(run, runs);
            case ModelReference.Location location -> location.uri();
            default -> throw new IllegalStateException("follow() ends at a run artifact or a location");
        };
    }

    private static ModelVersion lookUp(ModelReference reference, RegistryStore registry) {
        return switch (reference) {
            case ModelReference.ByVersion v -> registry.getModelVersion(v.name(), v.version());
            case ModelReference.ByAlias a -> registry.getModelVersionByAlias(a.name(), a.alias());
            default -> null;
        };
    }
}
