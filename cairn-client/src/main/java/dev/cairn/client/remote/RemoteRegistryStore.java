package dev.cairn.client.remote;

import static dev.cairn.client.remote.Wire.API;
import static dev.cairn.client.remote.Wire.body;
import static dev.cairn.client.remote.Wire.segment;

import dev.cairn.client.RestClient;
import dev.cairn.core.registry.AliasPrecondition;
import dev.cairn.core.registry.AliasRequest;
import dev.cairn.core.registry.AuditEvent;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.registry.RegisteredModel;
import dev.cairn.core.store.RegistryStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RegistryStore} over {@code /api/v1/registered-models}, {@code /api/v1/model-versions} and
 * {@code /api/v1/audit}. Every method taking an {@code actor} sends it as {@code X-Cairn-User}, so
 * the server's audit log names that actor, as the embedded store's would.
 */
final class RemoteRegistryStore implements RegistryStore {

    private static final String MODELS = API + "/registered-models";

    record RegisteredModelPage(List<RegisteredModel> registeredModels, String nextPageToken) {}

    record ModelVersionPage(List<ModelVersion> modelVersions, String nextPageToken) {}

    record LatestVersions(List<ModelVersion> modelVersions) {}

    record AuditPage(List<AuditEvent> events, String nextPageToken) {}

    private final RestClient rest;

    RemoteRegistryStore(RestClient rest) {
        this.rest = rest;
    }

    private static String model(String name) {
        return MODELS + "/" + segment(name);
    }

    private static String version(String name, long version) {
        return model(name) + "/versions/" + version;
    }

    private <T> T send(String method, String path, Map<String, ?> query, Object body, Class<T> type, String actor) {
        return rest.send(method, path, query, body, type == null ? null : rest.mapper().constructType(type), actor);
    }

    @Override
    public RegisteredModel createRegisteredModel(String name, String description, List<Tag> tags, String actor) {
        return send("POST", MODELS, null, body("name", name, "description", description, "tags", tags, "user", actor),
                RegisteredModel.class, actor);
    }

    @Override
    public RegisteredModel getRegisteredModel(String name) {
        return rest.get(model(name), null, RegisteredModel.class);
    }

    @Override
    public RegisteredModel renameRegisteredModel(String name, String newName, String actor) {
        return send("PATCH", model(name), null, body("new_name", newName, "user", actor), RegisteredModel.class, actor);
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        // The server needs a description or a new name; an embedded store treats null as "no description".
        return rest.patch(model(name), body("description", description == null ? "" : description), RegisteredModel.class);
    }

    @Override
    public void deleteRegisteredModel(String name, String actor) {
        send("DELETE", model(name), null, null, null, actor);
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(String filter, List<String> orderBy, int maxResults, String pageToken) {
        RegisteredModelPage page = rest.get(MODELS, query(filter, orderBy, maxResults, pageToken), RegisteredModelPage.class);
        return new Page<>(page.registeredModels() == null ? List.of() : page.registeredModels(), page.nextPageToken());
    }

    @Override
    public void setRegisteredModelTag(String name, Tag tag) {
        rest.post(model(name) + "/tags", tag, RegisteredModel.class);
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        rest.send("DELETE", model(name) + "/tags/" + RestClient.encodePath(key), null, null, null, null);
    }

    @Override
    public ModelVersion createModelVersion(String name, String source, String runId, String description, List<Tag> tags,
                                           String actor) {
        return send("POST", model(name) + "/versions", null, body("source", source, "run_id", runId,
                "description", description, "tags", tags, "user", actor), ModelVersion.class, actor);
    }

    @Override
    public ModelVersion getModelVersion(String name, long version) {
        return rest.get(version(name, version), null, ModelVersion.class);
    }

    @Override
    public ModelVersion updateModelVersion(String name, long version, String description) {
        return rest.patch(version(name, version), body("description", description == null ? "" : description),
                ModelVersion.class);
    }

    @Override
    public void deleteModelVersion(String name, long version, String actor) {
        send("DELETE", version(name, version), null, null, null, actor);
    }

    @Override
    public ModelVersion transitionModelVersionStage(String name, long version, String stage, boolean archiveExisting,
                                                    String actor, String comment) {
        return send("POST", version(name, version) + "/stage", null, body("stage", stage,
                "archive_existing_versions", archiveExisting, "comment", comment, "user", actor), ModelVersion.class, actor);
    }

    @Override
    public List<ModelVersion> getLatestVersions(String name, List<String> stages) {
        Map<String, Object> query = stages == null || stages.isEmpty() ? null : Map.of("stages", String.join(",", stages));
        LatestVersions latest = rest.get(model(name) + "/latest-versions", query, LatestVersions.class);
        return latest.modelVersions() == null ? List.of() : latest.modelVersions();
    }

    @Override
    public Page<ModelVersion> searchModelVersions(String filter, List<String> orderBy, int maxResults, String pageToken) {
        ModelVersionPage page = rest.get(API + "/model-versions", query(filter, orderBy, maxResults, pageToken),
                ModelVersionPage.class);
        return new Page<>(page.modelVersions() == null ? List.of() : page.modelVersions(), page.nextPageToken());
    }

    @Override
    public void setModelVersionTag(String name, long version, Tag tag) {
        rest.post(version(name, version) + "/tags", tag, ModelVersion.class);
    }

    @Override
    public void deleteModelVersionTag(String name, long version, String key) {
        rest.send("DELETE", version(name, version) + "/tags/" + RestClient.encodePath(key), null, null, null, null);
    }

    @Override
    public void setAlias(String name, String alias, long version, String actor, String comment, AliasPrecondition expected) {
        rest.send("PUT", model(name) + "/aliases/" + segment(alias), null, body("version", version, "comment", comment,
                "user", actor), rest.mapper().constructType(ModelVersion.class), actor, expected.headers());
    }

    @Override
    public void deleteAlias(String name, String alias, String actor, String comment, AliasPrecondition expected) {
        rest.send("DELETE", model(name) + "/aliases/" + segment(alias), comment == null ? null : Map.of("comment", comment),
                null, null, actor, expected.headers());
    }

    @Override
    public List<String> protectedAliases(String name) {
        return rest.get(model(name) + "/protected-aliases", null, ProtectedAliases.class).protectedAliases();
    }

    @Override
    public void protectAlias(String name, String alias, boolean protect, String actor, String comment) {
        String path = model(name) + "/protected-aliases/" + segment(alias);
        if (protect) send("PUT", path, null, body("comment", comment, "user", actor), null, actor);
        else send("DELETE", path, comment == null ? null : Map.of("comment", comment), null, null, actor);
    }

    @Override
    public AliasRequest requestAliasChange(String name, String alias, long version, String actor, String comment, AliasPrecondition expected) {
        return rest.send("POST", model(name) + "/alias-requests", null, body("alias", alias, "version", version, "comment", comment,
                "user", actor), rest.mapper().constructType(AliasRequest.class), actor, expected.headers());
    }

    @Override
    public AliasRequest decideAliasChange(String name, long requestId, boolean approve, String actor, String comment) {
        return send("POST", model(name) + "/alias-requests/" + requestId + (approve ? "/approve" : "/reject"), null,
                body("comment", comment, "user", actor), AliasRequest.class, actor);
    }

    @Override
    public List<AliasRequest> listAliasRequests(String name, boolean pendingOnly) {
        return rest.get(model(name) + "/alias-requests", Map.of("pending", pendingOnly), Requests.class).requests();
    }

    private record ProtectedAliases(List<String> protectedAliases) {}

    private record Requests(List<AliasRequest> requests) {}

    @Override
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        return rest.get(model(name) + "/aliases/" + segment(alias), null, ModelVersion.class);
    }

    @Override
    public Page<AuditEvent> listAuditEvents(String modelName, int maxResults, String pageToken) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("max_results", maxResults);
        query.put("page_token", pageToken);
        // One model's log needs READ on it; the log of all models is an admin's.
        AuditPage page = rest.get(modelName == null ? API + "/audit" : model(modelName) + "/audit", query, AuditPage.class);
        return new Page<>(page.events() == null ? List.of() : page.events(), page.nextPageToken());
    }

    /**
     * /api/v1 takes no audit events from clients: the log is written by the server as it makes
     * changes, and an event from a client would be unauthenticated testimony.
     */
    @Override
    public void appendAuditEvent(AuditEvent event) {
        throw Wire.noEndpoint("append audit events", "append the " + (event == null ? "event" : event.action() + " event")
                + " where the change happens (on the server, with its embedded store)");
    }

    private static Map<String, Object> query(String filter, List<String> orderBy, int maxResults, String pageToken) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("filter", filter);
        query.put("order_by", orderBy);
        query.put("max_results", maxResults);
        query.put("page_token", pageToken);
        return query;
    }
}
