package dev.cairn.server.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import java.util.List;

/**
 * MLflow's registered-model RPCs (model_registry.proto: CreateRegisteredModel, GetRegisteredModel,
 * RenameRegisteredModel, UpdateRegisteredModel, DeleteRegisteredModel, SearchRegisteredModels,
 * SetRegisteredModelTag, DeleteRegisteredModelTag, GetLatestVersions and the alias RPCs).
 */
final class RegisteredModelEndpoints {

    /** SearchRegisteredModels: "Default is 100. Max threshold is 1000." */
    static final int DEFAULT_SEARCH_RESULTS = 100;
    static final int MAX_SEARCH_RESULTS = 1000;

    private final RegistryStore registry;
    private final MlflowWire wire;

    RegisteredModelEndpoints(RegistryStore registry, MlflowWire wire) {
        this.registry = registry;
        this.wire = wire;
    }

    ObjectNode create(MlflowRequest request) {
        String name = request.requiredString("name");
        List<Tag> tags = ExperimentEndpoints.tags(request, "tags");
        String description = request.string("description");
        return wrap(registry.createRegisteredModel(name, description, tags, request.actor()));
    }

    ObjectNode get(MlflowRequest request) {
        return wrap(registry.getRegisteredModel(request.requiredString("name")));
    }

    ObjectNode rename(MlflowRequest request) {
        String name = request.requiredString("name");
        String newName = request.requiredString("new_name");
        return wrap(registry.renameRegisteredModel(name, newName, request.actor()));
    }

    ObjectNode update(MlflowRequest request) {
        String name = request.requiredString("name");
        // MLflow passes the unset description as "" (protobuf's default), clearing it.
        return wrap(registry.updateRegisteredModel(name, request.stringOrEmpty("description")));
    }

    ObjectNode delete(MlflowRequest request) {
        registry.deleteRegisteredModel(request.requiredString("name"), request.actor());
        return MlflowWire.object();
    }

    ObjectNode search(MlflowRequest request) {
        String filter = ExperimentEndpoints.emptyToNull(request.string("filter"));
        int maxResults = request.intInRange("max_results", DEFAULT_SEARCH_RESULTS, 1, MAX_SEARCH_RESULTS);
        List<String> orderBy = request.stringList("order_by");
        String pageToken = ExperimentEndpoints.emptyToNull(request.string("page_token"));
        Page<RegisteredModel> page = registry.searchRegisteredModels(filter, orderBy, maxResults, pageToken);
        ObjectNode out = MlflowWire.object();
        if (!page.items().isEmpty()) {
            ArrayNode array = out.putArray("registered_models");
            page.items().forEach(m -> array.add(wire.registeredModel(m)));
        }
        if (page.nextPageToken() != null && !page.nextPageToken().isEmpty()) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    ObjectNode setTag(MlflowRequest request) {
        String name = request.requiredString("name");
        String key = request.requiredString("key");
        registry.setRegisteredModelTag(name, new Tag(key, request.stringOrEmpty("value")));
        return MlflowWire.object();
    }

    ObjectNode deleteTag(MlflowRequest request) {
        String name = request.requiredString("name");
        registry.deleteRegisteredModelTag(name, request.requiredString("key"));
        return MlflowWire.object();
    }

    ObjectNode latestVersions(MlflowRequest request) {
        String name = request.requiredString("name");
        List<ModelVersion> versions = registry.getLatestVersions(name, request.stringList("stages"));
        ObjectNode out = MlflowWire.object();
        if (!versions.isEmpty()) {
            ArrayNode array = out.putArray("model_versions");
            versions.forEach(v -> array.add(wire.modelVersion(v)));
        }
        return out;
    }

    ObjectNode setAlias(MlflowRequest request) {
        String name = request.requiredString("name");
        String alias = request.requiredString("alias");
        long version = ModelVersionEndpoints.version(request);
        registry.setAlias(name, alias, version, request.actor(), null);
        return MlflowWire.object();
    }

    ObjectNode deleteAlias(MlflowRequest request) {
        String name = request.requiredString("name");
        String alias = request.requiredString("alias");
        registry.deleteAlias(name, alias, request.actor(), null);
        return MlflowWire.object();
    }

    ObjectNode getByAlias(MlflowRequest request) {
        String name = request.requiredString("name");
        String alias = request.requiredString("alias");
        ObjectNode out = MlflowWire.object();
        out.set("model_version", wire.modelVersion(registry.getModelVersionByAlias(name, alias)));
        return out;
    }

    private ObjectNode wrap(RegisteredModel model) {
        ObjectNode out = MlflowWire.object();
        out.set("registered_model", wire.registeredModel(model));
        return out;
    }
}
