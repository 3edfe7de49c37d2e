package dev.cairn.server.mlflow;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.server.ApiRoutes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
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
    }

    /** The routes taking a JSON body, as {@link #addRoutes} registered them. */
    private final List<RequestBody> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<RequestBody> requestBodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (String prefix : PREFIXES) {
            Routes r = new Routes(config, prefix);
            // Experiments
            r.add(HandlerType.POST, "/experiments/create", experiments::create);
            r.add(HandlerType.GET, "/experiments/get", experiments::get);
            r.add(HandlerType.GET, "/experiments/get-by-name", experiments::getByName);
            r.add(HandlerType.POST, "/experiments/search", experiments::search);
            r.add(HandlerType.GET, "/experiments/search", experiments::search);
            r.add(HandlerType.POST, "/experiments/update", experiments::update);
            r.add(HandlerType.POST, "/experiments/delete", experiments::delete);
            r.add(HandlerType.POST, "/experiments/restore", experiments::restore);
            r.add(HandlerType.POST, "/experiments/set-experiment-tag", experiments::setTag);
            r.add(HandlerType.POST, "/experiments/delete-experiment-tag", experiments::deleteTag);
            // Runs
            r.add(HandlerType.POST, "/runs/create", runs::create);
            r.add(HandlerType.GET, "/runs/get", runs::get);
            r.add(HandlerType.POST, "/runs/update", runs::update);
            r.add(HandlerType.POST, "/runs/delete", runs::delete);
            r.add(HandlerType.POST, "/runs/restore", runs::restore);
            r.add(HandlerType.POST, "/runs/search", runs::search);
            r.add(HandlerType.POST, "/runs/log-metric", runs::logMetric);
            r.add(HandlerType.POST, "/runs/log-parameter", runs::logParam);
            r.add(HandlerType.POST, "/runs/set-tag", runs::setTag);
            r.add(HandlerType.POST, "/runs/delete-tag", runs::deleteTag);
            r.add(HandlerType.POST, "/runs/log-batch", runs::logBatch);
            r.add(HandlerType.POST, "/runs/log-inputs", runs::logInputs);
            r.add(HandlerType.POST, "/runs/log-model", runs::logModel);
            r.add(HandlerType.GET, "/metrics/get-history", runs::metricHistory);
            r.add(HandlerType.GET, "/artifacts/list", runArtifacts::list);
            // Registered models
            r.add(HandlerType.POST, "/registered-models/create", models::create);
            r.add(HandlerType.GET, "/registered-models/get", models::get);
            r.add(HandlerType.POST, "/registered-models/rename", models::rename);
            r.add(HandlerType.PATCH, "/registered-models/update", models::update);
            r.add(HandlerType.DELETE, "/registered-models/delete", models::delete);
            r.add(HandlerType.GET, "/registered-models/search", models::search);
            r.add(HandlerType.POST, "/registered-models/set-tag", models::setTag);
            r.add(HandlerType.DELETE, "/registered-models/delete-tag", models::deleteTag);
            r.add(HandlerType.POST, "/registered-models/get-latest-versions", models::latestVersions);
            r.add(HandlerType.GET, "/registered-models/get-latest-versions", models::latestVersions);
            r.add(HandlerType.POST, "/registered-models/alias", models::setAlias);
            r.add(HandlerType.DELETE, "/registered-models/alias", models::deleteAlias);
            r.add(HandlerType.GET, "/registered-models/alias", models::getByAlias);
            // Model versions
            r.add(HandlerType.POST, "/model-versions/create", versions::create);
            r.add(HandlerType.GET, "/model-versions/get", versions::get);
            r.add(HandlerType.PATCH, "/model-versions/update", versions::update);
            r.add(HandlerType.DELETE, "/model-versions/delete", versions::delete);
            r.add(HandlerType.GET, "/model-versions/search", versions::search);
            r.add(HandlerType.POST, "/model-versions/transition-stage", versions::transitionStage);
            r.add(HandlerType.POST, "/model-versions/set-tag", versions::setTag);
            r.add(HandlerType.DELETE, "/model-versions/delete-tag", versions::deleteTag);
            r.add(HandlerType.GET, "/model-versions/get-download-uri", versions::downloadUri);
        }
    }

    private void serve(Context ctx, MlflowEndpoint endpoint) throws Exception {
        MlflowRequest request = MlflowRequest.of(ctx, mapper);
        ObjectNode response = endpoint.handle(request);
        ctx.status(200).contentType("application/json").result(mapper.writeValueAsBytes(response));
    }

    /** Registers endpoints under one prefix. */
    private final class Routes {
        private final JavalinConfig config;
        private final String prefix;

        Routes(JavalinConfig config, String prefix) {
            this.config = config;
            this.prefix = prefix;
        }

        void add(HandlerType method, String path, MlflowEndpoint endpoint) {
            config.routes.addHttpHandler(method, prefix + path, ctx -> serve(ctx, endpoint));
            // MLflow's RPCs other than GET take their message as a JSON body.
            if (method != HandlerType.GET) bodies.add(new RequestBody(method, prefix + path, "application/json"));
        }
    }
}
