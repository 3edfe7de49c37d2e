package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.core.store.ExperimentStore;
import dev.cairn.core.tracking.Experiment;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MLflow's experiment RPCs (service.proto: CreateExperiment, GetExperiment, GetExperimentByName,
 * SearchExperiments, UpdateExperiment, DeleteExperiment, RestoreExperiment, SetExperimentTag),
 * with the validation of MLflow's {@code server/handlers.py}.
 */
final class ExperimentEndpoints {

    /** MLflow's SEARCH_MAX_RESULTS_THRESHOLD. */
    static final int MAX_SEARCH_RESULTS = 50_000;
    static final int DEFAULT_SEARCH_RESULTS = 1_000;

    private final ExperimentStore experiments;
    private final MlflowWire wire;
    private final ArtifactLocations locations;
    private final dev.cairn.server.tracking.ArtifactLocations stored;

    /** {@code stored}: the server's artifact root, under which every experiment's location must lie. */
    ExperimentEndpoints(ExperimentStore experiments, MlflowWire wire, ArtifactLocations locations,
                        dev.cairn.server.tracking.ArtifactLocations stored) {
        this.experiments = experiments;
        this.wire = wire;
        this.locations = locations;
        this.stored = stored;
    }

    ObjectNode create(MlflowRequest request) {
        String name = request.requiredString("name");
        String location = request.string("artifact_location");
        if (location != null && location.isEmpty()) location = null;
        if (location != null) {
            String sent = location;
            checkLocation(location);
            location = stored.requireUnderRoot("artifact_location", sent, locations.fromClient(location, "artifact_location"));
        }
        List<Tag> tags = tags(request, "tags");
        String id = experiments.createExperiment(name, location, tags);
        return MlflowWire.object().put("experiment_id", id);
    }

    ObjectNode get(MlflowRequest request) {
        Experiment experiment = experiments.getExperiment(request.requiredString("experiment_id"));
        ObjectNode out = MlflowWire.object();
        out.set("experiment", wire.experiment(experiment));
        return out;
    }

    ObjectNode getByName(MlflowRequest request) {
        String name = request.requiredString("experiment_name");
        Experiment experiment = experiments.getExperimentByName(name).orElseThrow(() -> new CairnException(
                ErrorCode.RESOURCE_DOES_NOT_EXIST, "Could not find experiment with name '" + name + "'",
                Map.of("resource", "experiment", "name", name)));
        ObjectNode out = MlflowWire.object();
        out.set("experiment", wire.experiment(experiment));
        return out;
    }

    ObjectNode search(MlflowRequest request) {
        int maxResults = request.intInRange("max_results", DEFAULT_SEARCH_RESULTS, 1, MAX_SEARCH_RESULTS);
        ViewType viewType = request.enumValue("view_type", ViewType.class);
        String filter = emptyToNull(request.string("filter"));
        List<String> orderBy = request.stringList("order_by");
        String pageToken = emptyToNull(request.string("page_token"));
        Page<Experiment> page = experiments.searchExperiments(viewType == null ? ViewType.ACTIVE_ONLY : viewType,
                filter, orderBy, maxResults, pageToken);
        ObjectNode out = MlflowWire.object();
        if (!page.items().isEmpty()) {
            ArrayNode array = out.putArray("experiments");
            page.items().forEach(e -> array.add(wire.experiment(e)));
        }
        if (page.nextPageToken() != null && !page.nextPageToken().isEmpty()) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    ObjectNode update(MlflowRequest request) {
        String id = request.requiredString("experiment_id");
        String newName = request.requiredString("new_name");
        experiments.renameExperiment(id, newName);
        return MlflowWire.object();
    }

    ObjectNode delete(MlflowRequest request) {
        experiments.deleteExperiment(request.requiredString("experiment_id"));
        return MlflowWire.object();
    }

    ObjectNode restore(MlflowRequest request) {
        experiments.restoreExperiment(request.requiredString("experiment_id"));
        return MlflowWire.object();
    }

    ObjectNode setTag(MlflowRequest request) {
        String id = request.requiredString("experiment_id");
        String key = request.requiredString("key");
        experiments.setExperimentTag(id, new Tag(key, request.stringOrEmpty("value")));
        return MlflowWire.object();
    }

    ObjectNode deleteTag(MlflowRequest request) {
        experiments.deleteExperimentTag(request.requiredString("experiment_id"), request.requiredString("key"));
        return MlflowWire.object();
    }

    /** Repeated {@code {key, value}} messages; a key is required, a missing value is "". */
    static List<Tag> tags(MlflowRequest request, String field) {
        List<Tag> tags = new ArrayList<>();
        for (MlflowRequest item : request.objectList(field)) {
            tags.add(new Tag(item.requiredString("key"), item.stringOrEmpty("value")));
        }
        return tags;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** As MLflow: an artifact location may not carry a fragment, parameters, a query or '..' parts. */
    private static void checkLocation(String location) {
        try {
            URI uri = new URI(location.replace(" ", "%20"));
            if (uri.getRawFragment() != null || uri.getRawQuery() != null || (uri.getRawPath() != null && uri.getRawPath().contains(";"))) {
                throw CairnException.invalid("artifact_location", location, "a URI without fragment, parameters or query");
            }
        } catch (URISyntaxException e) {
            throw CairnException.invalid("artifact_location", location, "a valid URI or absolute path");
        }
        ArtifactLocations.checkNoRelativeParts(location, "artifact_location");
    }
}
