package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.registry.ModelSources;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.uri.ModelReference;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MLflow's model-version RPCs (model_registry.proto: CreateModelVersion, GetModelVersion,
 * UpdateModelVersion, DeleteModelVersion, SearchModelVersions, TransitionModelVersionStage,
 * SetModelVersionTag, DeleteModelVersionTag, GetModelVersionDownloadUri).
 */
final class ModelVersionEndpoints {

    /** SearchModelVersions: "Max threshold is 200K." */
    static final int MAX_SEARCH_RESULTS = 200_000;
    /** MLflow's stages, in its canonical spelling (mlflow/entities/model_registry/model_version_stages.py). */
    static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
    /** How deep models:/ sources may point at other models before the chain is refused. */

    private final RegistryStore registry;
    private final RunStore runs;
    private final MlflowWire wire;
    private final ArtifactLocations locations;

    private final dev.cairn.server.tracking.ModelResolver resolver;

    ModelVersionEndpoints(RegistryStore registry, RunStore runs, MlflowWire wire, ArtifactLocations locations,
                          dev.cairn.server.tracking.ModelResolver resolver) {
        this.registry = registry;
        this.runs = runs;
        this.wire = wire;
        this.locations = locations;
        this.resolver = resolver;
    }

    ObjectNode create(MlflowRequest request) {
        String name = request.requiredString("name");
        String source = request.requiredString("source");
        String runId = ExperimentEndpoints.emptyToNull(request.string("run_id"));
        List<Tag> tags = ExperimentEndpoints.tags(request, "tags");
        String description = request.string("description");
        checkSource(source, runId);
        String stored = locations.fromClient(source, "source");
        // Beyond MLflow's checks: the files must be in this server's artifact store (as for Cairn's own API).
        resolver.resolveInArtifactStore("source", source, stored);
        ModelVersion version = registry.createModelVersion(name, stored, runId,
                description, tags, request.actor());
        return wrap(version);
    }

    ObjectNode get(MlflowRequest request) {
        String name = request.requiredString("name");
        return wrap(registry.getModelVersion(name, version(request)));
    }

    ObjectNode update(MlflowRequest request) {
        String name = request.requiredString("name");
        long version = version(request);
        return wrap(registry.updateModelVersion(name, version, request.string("description")));
    }

    ObjectNode delete(MlflowRequest request) {
        String name = request.requiredString("name");
        registry.deleteModelVersion(name, version(request), request.actor());
        return MlflowWire.object();
    }

    ObjectNode search(MlflowRequest request) {
        String filter = ExperimentEndpoints.emptyToNull(request.string("filter"));
        int maxResults = request.intInRange("max_results", MAX_SEARCH_RESULTS, 1, MAX_SEARCH_RESULTS);
        List<String> orderBy = request.stringList("order_by");
        String pageToken = ExperimentEndpoints.emptyToNull(request.string("page_token"));
        Page<ModelVersion> page = registry.searchModelVersions(filter, orderBy, maxResults, pageToken);
        ObjectNode out = MlflowWire.object();
        if (!page.items().isEmpty()) {
            ArrayNode array = out.putArray("model_versions");
            page.items().forEach(v -> array.add(wire.modelVersion(v)));
        }
        if (page.nextPageToken() != null && !page.nextPageToken().isEmpty()) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    ObjectNode transitionStage(MlflowRequest request) {
        String name = request.requiredString("name");
        long version = version(request);
        String stage = canonicalStage(request, request.requiredString("stage"));
        Boolean archive = request.bool("archive_existing_versions");
        return wrap(registry.transitionModelVersionStage(name, version, stage, archive != null && archive,
                request.actor(), null));
    }

    ObjectNode setTag(MlflowRequest request) {
        String name = request.requiredString("name");
        long version = version(request);
        String key = request.requiredString("key");
        registry.setModelVersionTag(name, version, new Tag(key, request.stringOrEmpty("value")));
        return MlflowWire.object();
    }

    ObjectNode deleteTag(MlflowRequest request) {
        String name = request.requiredString("name");
        long version = version(request);
        registry.deleteModelVersionTag(name, version, request.requiredString("key"));
        return MlflowWire.object();
    }

    /** Where the version's files are: its source, with runs:/ and models:/ references resolved. */
    ObjectNode downloadUri(MlflowRequest request) {
        String name = request.requiredString("name");
        ModelVersion version = registry.getModelVersion(name, version(request));
        return MlflowWire.object().put("artifact_uri", locations.toClient(ModelSources.storageLocation(
                ModelSources.follow(ModelReference.parse(version.source()), registry), runs)));
    }

    /** The {@code version} field: a string holding a positive integer (a JSON number is accepted too). */
    static long version(MlflowRequest request) {
        if (!request.has("version") || request.raw("version").isEmpty()) {
            throw request.missing("version");
        }
        Long version;
        try {
            version = request.int64("version");
        } catch (CairnException e) {
            throw request.invalid("version", request.raw("version"), "a model version number (a positive integer)");
        }
        if (version < 1) {
            throw request.invalid("version", request.raw("version"), "a model version number (a positive integer)");
        }
        return version;
    }

    /** As MLflow's get_canonical_stage: any case of None, Staging, Production or Archived. */
    static String canonicalStage(MlflowRequest request, String stage) {
        for (String known : STAGES) {
            if (known.toLowerCase(Locale.ROOT).equals(stage.toLowerCase(Locale.ROOT))) return known;
        }
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid Model Version stage: " + stage + ". Value must be one of " + String.join(", ", STAGES) + ".",
                Map.of("field", "stage", "value", stage, "expected", "one of " + String.join(", ", STAGES)));
    }

    /**
     * As MLflow's _validate_source_run: no '..' parts or NUL bytes anywhere, and a local path only
     * when it lies inside the artifact directory of the run named by {@code run_id}.
     */
    private void checkSource(String source, String runId) {
        ArtifactLocations.checkNoRelativeParts(source, "source");
        if (!isLocal(source)) return;
        if (runId != null) {
            String runRoot = runs.getRun(runId).info().artifactUri();
            if (runRoot != null && isLocal(runRoot)) {
                String root = ArtifactLocations.canonical(runRoot);
                String candidate = ArtifactLocations.canonical(source);
                if (candidate.equals(root) || candidate.startsWith(root + "/")) return;
            }
        }
        throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid model version source: '" + source + "'. To use a local path as a model version source, the run_id "
                        + "request parameter has to be specified and the local path has to be contained within the artifact "
                        + "directory of the run specified by the run_id.",
                Map.of("field", "source", "value", source, "expected", "a path inside the artifact directory of run_id"));
    }

    private static boolean isLocal(String uri) {
        if (uri.startsWith("file:") || uri.startsWith("/") || uri.startsWith(".")) return true;
        int colon = uri.indexOf(':');
        int slash = uri.indexOf('/');
        // A Windows drive letter ("C:\…") or no scheme at all is a local path.
        return colon < 0 || colon == 1 || (slash >= 0 && slash < colon);
    }

    private ObjectNode wrap(ModelVersion version) {
        ObjectNode out = MlflowWire.object();
        out.set("model_version", wire.modelVersion(version));
        return out;
    }
}
