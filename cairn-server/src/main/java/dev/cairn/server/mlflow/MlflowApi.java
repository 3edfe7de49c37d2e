package dev.cairn.server.mlflow;

import static dev.cairn.server.auth.ResourceLocator.experimentNamed;
import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.field;
import static dev.cairn.server.auth.ResourceLocator.firstOf;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.ResourceLocator;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The MLflow tracking and model-registry REST API ({@code mlflow/protos/service.proto} and
 * {@code model_registry.proto}, MLflow 2.x) under {@code /api/2.0/mlflow/} and, as MLflow's own
 * server does for its web UI, {@code /ajax-api/2.0/mlflow/}, so that MLflow's Python and Java
 * clients log to Cairn unchanged. Paths, methods, field names, defaults and error codes are
 * MLflow's; errors are thrown as {@link dev.cairn.core.error.CairnException}s, whose codes are
 * MLflow's {@code error_code} names and which the server renders as
 * {@code {"error_code": …, "message": …}} with MLflow's HTTP status.
 *
 * <p>Cairn's extras beyond MLflow (purging deleted experiments, audit events) are in Cairn's own
 * {@code /api/v1} and CLI: the MLflow paths stay exactly MLflow's.
 */
public final class MlflowApi implements ApiRoutes {

    static final List<String> PREFIXES = List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow");

    private final ObjectMapper mapper;
    private final ExperimentEndpoints experiments;
    private final RunEndpoints runs;
    private final RegisteredModelEndpoints models;
    private final ModelVersionEndpoints versions;
    private final RunArtifactEndpoints runArtifacts;
    private final List<Rpc> rpcs;

    /**
     * @param store     the metadata store runs and the registry live in
     * @param artifacts the artifact repository {@link MlflowArtifactsApi} serves, rooted at the store's
     *                  default artifact root: locations under it are shown to clients as
     *                  {@code mlflow-artifacts:/…}
     */
    public MlflowApi(MetadataStore store, ArtifactRepository artifacts) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(artifacts, "artifacts");
        // Jackson's defaults write NaN and infinite metric values as the strings "NaN" and
        // "Infinity", as protobuf's JSON printer (and so MLflow) does. Reading, the bare tokens
        // NaN, Infinity and -Infinity are accepted, as MLflow's Python server (json.loads) does.
        this.mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        ArtifactLocations locations = new ArtifactLocations(artifacts.rootUri());
        dev.cairn.server.tracking.ArtifactLocations stored = new dev.cairn.server.tracking.ArtifactLocations(artifacts);
        MlflowWire wire = new MlflowWire(locations);
        this.experiments = new ExperimentEndpoints(store.experiments(), wire, locations, stored);
        this.runs = new RunEndpoints(store.runs(), wire);
        this.models = new RegisteredModelEndpoints(store.registry(), wire);
        this.versions = new ModelVersionEndpoints(store.registry(), store.runs(), wire, locations,
                new dev.cairn.server.tracking.ModelResolver(store, stored));
        this.runArtifacts = new RunArtifactEndpoints(store.runs(), artifacts, locations);
        this.rpcs = rpcs();
    }

    /**
     * Every RPC with the access it needs, as MLflow's auth app decides them (its BEFORE_REQUEST_VALIDATORS): READ to
     * see, EDIT to change, MANAGE to delete; creating an experiment or a model needs only a login (the creator then
     * gets MANAGE), and the searches show what the caller may read.
     */
    private List<Rpc> rpcs() {
        List<Rpc> all = new ArrayList<>();
        {
            // Experiments
            rpc(all, HandlerType.POST, "/experiments/create", AUTH, experiments::create);
            rpc(all, HandlerType.GET, "/experiments/get", exp(EXPERIMENT_ID, Permission.READ), experiments::get);
            rpc(all, HandlerType.GET, "/experiments/get-by-name", exp(EXPERIMENT_NAME, Permission.READ), experiments::getByName);
            rpc(all, HandlerType.POST, "/experiments/search", AUTH, experiments::search);
            rpc(all, HandlerType.GET, "/experiments/search", AUTH, experiments::search);
            rpc(all, HandlerType.POST, "/experiments/update", exp(EXPERIMENT_ID, Permission.EDIT), experiments::update);
            rpc(all, HandlerType.POST, "/experiments/delete", exp(EXPERIMENT_ID, Permission.MANAGE), experiments::delete);
            rpc(all, HandlerType.POST, "/experiments/restore", exp(EXPERIMENT_ID, Permission.MANAGE), experiments::restore);
            rpc(all, HandlerType.POST, "/experiments/set-experiment-tag", exp(EXPERIMENT_ID, Permission.EDIT), experiments::setTag);
            rpc(all, HandlerType.POST, "/experiments/delete-experiment-tag", exp(EXPERIMENT_ID, Permission.EDIT), experiments::deleteTag);
            // Runs
            rpc(all, HandlerType.POST, "/runs/create", exp(EXPERIMENT_ID, Permission.EDIT), runs::create);
            rpc(all, HandlerType.GET, "/runs/get", exp(RUN, Permission.READ), runs::get);
            rpc(all, HandlerType.POST, "/runs/update", exp(RUN, Permission.EDIT), runs::update);
            rpc(all, HandlerType.POST, "/runs/delete", exp(RUN, Permission.MANAGE), runs::delete);
            rpc(all, HandlerType.POST, "/runs/restore", exp(RUN, Permission.MANAGE), runs::restore);
            rpc(all, HandlerType.POST, "/runs/search", exp(EXPERIMENT_IDS, Permission.READ), runs::search);
            rpc(all, HandlerType.POST, "/runs/log-metric", exp(RUN, Permission.EDIT), runs::logMetric);
            rpc(all, HandlerType.POST, "/runs/log-parameter", exp(RUN, Permission.EDIT), runs::logParam);
            rpc(all, HandlerType.POST, "/runs/set-tag", exp(RUN, Permission.EDIT), runs::setTag);
            rpc(all, HandlerType.POST, "/runs/delete-tag", exp(RUN, Permission.EDIT), runs::deleteTag);
            rpc(all, HandlerType.POST, "/runs/log-batch", exp(RUN, Permission.EDIT), runs::logBatch);
            rpc(all, HandlerType.POST, "/runs/log-inputs", exp(RUN, Permission.EDIT), runs::logInputs);
            rpc(all, HandlerType.POST, "/runs/log-model", exp(RUN, Permission.EDIT), runs::logModel);
            rpc(all, HandlerType.GET, "/metrics/get-history", exp(RUN, Permission.READ), runs::metricHistory);
            rpc(all, HandlerType.GET, "/artifacts/list", exp(RUN, Permission.READ), runArtifacts::list);
            // Registered models
            rpc(all, HandlerType.POST, "/registered-models/create", AUTH, models::create);
            rpc(all, HandlerType.GET, "/registered-models/get", model(Permission.READ), models::get);
            rpc(all, HandlerType.POST, "/registered-models/rename", model(Permission.EDIT), models::rename);
            rpc(all, HandlerType.PATCH, "/registered-models/update", model(Permission.EDIT), models::update);
            rpc(all, HandlerType.DELETE, "/registered-models/delete", model(Permission.MANAGE), models::delete);
            rpc(all, HandlerType.GET, "/registered-models/search", AUTH, models::search);
            rpc(all, HandlerType.POST, "/registered-models/set-tag", model(Permission.EDIT), models::setTag);
            rpc(all, HandlerType.DELETE, "/registered-models/delete-tag", model(Permission.EDIT), models::deleteTag);
            rpc(all, HandlerType.POST, "/registered-models/get-latest-versions", model(Permission.READ), models::latestVersions);
            rpc(all, HandlerType.GET, "/registered-models/get-latest-versions", model(Permission.READ), models::latestVersions);
            rpc(all, HandlerType.POST, "/registered-models/alias", model(Permission.EDIT), models::setAlias);
            rpc(all, HandlerType.DELETE, "/registered-models/alias", model(Permission.MANAGE), models::deleteAlias);
            rpc(all, HandlerType.GET, "/registered-models/alias", model(Permission.READ), models::getByAlias);
            // Model versions
            rpc(all, HandlerType.POST, "/model-versions/create", model(Permission.EDIT), versions::create);
            rpc(all, HandlerType.GET, "/model-versions/get", model(Permission.READ), versions::get);
            rpc(all, HandlerType.PATCH, "/model-versions/update", model(Permission.EDIT), versions::update);
            rpc(all, HandlerType.DELETE, "/model-versions/delete", model(Permission.MANAGE), versions::delete);
            rpc(all, HandlerType.GET, "/model-versions/search", AUTH, versions::search);
            rpc(all, HandlerType.POST, "/model-versions/transition-stage", model(Permission.EDIT), versions::transitionStage);
            rpc(all, HandlerType.POST, "/model-versions/set-tag", model(Permission.EDIT), versions::setTag);
            rpc(all, HandlerType.DELETE, "/model-versions/delete-tag", model(Permission.EDIT), versions::deleteTag);
            rpc(all, HandlerType.GET, "/model-versions/get-download-uri", model(Permission.READ), versions::downloadUri);
        }
        return all;
    }

    private void rpc(List<Rpc> all, HandlerType method, String path, Access access, MlflowEndpoint endpoint) {
        all.add(new Rpc(method, path, access, endpoint));
    }

    /** MLflow's RPCs other than GET take their message as a JSON body. */
    @Override
    public List<RequestBody> requestBodies() {
        List<RequestBody> out = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (Rpc rpc : rpcs) {
                if (rpc.method() != HandlerType.GET) out.add(new RequestBody(rpc.method(), prefix + rpc.path(), "application/json"));
            }
        }
        return out;
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : PREFIXES) {
            for (Rpc rpc : rpcs) {
                config.routes.addHttpHandler(rpc.method(), prefix + rpc.path(), ctx -> serve(ctx, rpc.endpoint(), rpc.path()));
            }
        }
    }

    @Override
    public List<RouteAccess> access() {
        List<RouteAccess> out = new ArrayList<>();
        for (String prefix : PREFIXES) {
            for (Rpc rpc : rpcs) out.add(new RouteAccess(rpc.method(), prefix + rpc.path(), rpc.access()));
        }
        return out;
    }

    private void serve(Context ctx, MlflowEndpoint endpoint, String path) throws Exception {
        MlflowRequest request = MlflowRequest.of(ctx, mapper);
        ObjectNode response = endpoint.handle(request);
        filterListing(ctx, path, response);
        // The creator of an experiment or a model may manage it, as in MLflow's auth app.
        if (path.equals("/experiments/create")) AccessControl.created(ctx, ResourceKind.EXPERIMENT, response.path("experiment_id").asText());
        if (path.equals("/registered-models/create")) {
            AccessControl.created(ctx, ResourceKind.REGISTERED_MODEL, response.path("registered_model").path("name").asText());
        }
        // Grants follow a model's name: a deleted model's go with it, a renamed model's move to the new name.
        if (path.equals("/registered-models/delete")) AccessControl.deleted(ctx, ResourceKind.REGISTERED_MODEL, request.string("name"));
        if (path.equals("/registered-models/rename")) {
            AccessControl.renamed(ctx, ResourceKind.REGISTERED_MODEL, request.string("name"),
                    response.path("registered_model").path("name").asText());
        }
        ctx.status(200).contentType("application/json").result(mapper.writeValueAsBytes(response));
    }

    /**
     * The searches answer only what the caller may read, as MLflow's auth app filters them after the fact (a page
     * may hold fewer than max_results; its token still continues the search).
     */
    private static void filterListing(Context ctx, String path, ObjectNode response) {
        switch (path) {
            case "/experiments/search" -> filter(ctx, response, "experiments", "experiment_id", ResourceKind.EXPERIMENT);
            case "/registered-models/search" -> filter(ctx, response, "registered_models", "name", ResourceKind.REGISTERED_MODEL);
            case "/model-versions/search" -> filter(ctx, response, "model_versions", "name", ResourceKind.REGISTERED_MODEL);
            default -> { }
        }
    }

    private static void filter(Context ctx, ObjectNode response, String array, String idField, ResourceKind kind) {
        JsonNode items = response.get(array);
        if (items == null || !items.isArray()) return;
        List<JsonNode> all = new ArrayList<>();
        items.forEach(all::add);
        List<JsonNode> readable = AccessControl.readable(ctx, kind, all, item -> item.path(idField).asText());
        if (readable.size() == all.size()) return;
        ArrayNode kept = response.putArray(array);
        readable.forEach(kept::add);
    }

    private record Rpc(HandlerType method, String path, Access access, MlflowEndpoint endpoint) {}

    private static final Access AUTH = Access.authenticated();
    private static final ResourceLocator EXPERIMENT_ID = field("experiment_id");
    private static final ResourceLocator EXPERIMENT_IDS = field("experiment_ids");
    private static final ResourceLocator EXPERIMENT_NAME = experimentNamed(field("experiment_name"));
    /** MLflow's clients name a run by run_id, older ones by run_uuid. */
    private static final ResourceLocator RUN = experimentOfRun(firstOf(field("run_id"), field("run_uuid")));

    private static Access exp(ResourceLocator locator, Permission level) {
        return Access.experiment(locator, level);
    }

    /** Registered-model RPCs and model-version RPCs name the model by its {@code name} field. */
    private static Access model(Permission level) {
        return Access.model(field("name"), level);
    }
}
