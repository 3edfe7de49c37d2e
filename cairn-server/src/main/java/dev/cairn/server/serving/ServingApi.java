package dev.cairn.server.serving;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.runtime.Prediction;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.BufferedBody;
import dev.cairn.server.auth.ResourceLookup;
import dev.cairn.server.auth.RouteAccess;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The inference endpoints, one route group: MLflow's scoring protocol ({@code POST /invocations},
 * {@code GET /ping}), the Open Inference Protocol v2 ({@code /v2/...}), and Cairn's own
 * {@code /api/v1/deployments/...} (predict with request id and contributions, feedback, and the
 * management of deployments). Every handler parses, calls {@link Inference}, and renders.
 */
public final class ServingApi implements DocumentedRoutes {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private final Deployments deployments;
    private final Inference inference;
    private final Admission admission;
    private final ServingLimits limits;
    private final ObjectMapper mapper = JsonMappers.lenient();
    private final ObjectMapper strict = JsonMappers.strict();
    private final MlflowProtocol mlflow = new MlflowProtocol(mapper);
    private final OpenInferenceProtocol oip = new OpenInferenceProtocol(mapper);
    /** The /api/v1 routes (predict and the deployments' management): registered from, and documented by, this table. */
    private final List<ApiRoute> routes;

    public ServingApi(Deployments deployments, Inference inference, Admission admission, ServingLimits limits) {
        this.deployments = deployments;
        this.inference = inference;
        this.admission = admission;
        this.limits = limits;
        List<ApiRoute> all = new ArrayList<>();
        all.add(ApiRoute.post(DeploymentAdmin.DEPLOYMENT + "/predict",
                        "Predict with a deployment: {inputs: one row or an array of rows, explain: whether to add contributions}")
                .tag(DeploymentAdmin.TAG).header("X-Request-Id", "The request id to log and answer with (1 to 128 of A-Z a-z 0-9 . _ : -)")
                .header(PREDICTION_TIME, "When the prediction is for (ISO-8601, e.g. 2026-11-03T02:00:00Z; at most "
                        + MAX_PREDICTION_AGE.toDays() + " days ago): replayed or late-forwarded traffic is logged, and monitored, in its own window")
                .body(Map.class).returns(Map.class).access(Access.deployment(path("name"), Permission.INVOKE)).handle(this::predict));
        all.addAll(new DeploymentAdmin(deployments, inference.log(), strict).routes());
        this.routes = List.copyOf(all);
    }

    /**
     * Deleting a registered version (or a whole model) that a deployment serves is refused with 409 RESOURCE_IN_USE
     * naming the deployment, on Cairn's API and the MLflow-compatible one: the deployment would otherwise keep serving a
     * version the registry no longer has, and silently vanish at the next restart. Remove or redeploy it first. The
     * checks run before the registry routes' handlers; they live here because only serving knows its deployments.
     */
    private void guardDeletions(JavalinConfig config) {
        String model = dev.cairn.server.api.CairnApi.PREFIX + "/registered-models/{name}";
        config.routes.before(model, ctx -> {
            if (ctx.method() == io.javalin.http.HandlerType.DELETE) refuseIfServed(ctx.pathParam("name"), null);
        });
        config.routes.before(model + "/versions/{version}", ctx -> {
            if (ctx.method() == io.javalin.http.HandlerType.DELETE) refuseIfServed(ctx.pathParam("name"), versionOf(ctx.pathParam("version")));
        });
        for (String prefix : List.of("/api/2.0/mlflow", "/ajax-api/2.0/mlflow")) {
            config.routes.before(prefix + "/registered-models/delete", ctx -> {
                if (ctx.method() == io.javalin.http.HandlerType.DELETE) refuseIfServed(mlflowParam(ctx, "name"), null);
            });
            config.routes.before(prefix + "/model-versions/delete", ctx -> {
                String version = ctx.method() == io.javalin.http.HandlerType.DELETE ? mlflowParam(ctx, "version") : null;
                if (version != null) refuseIfServed(mlflowParam(ctx, "name"), versionOf(version));
            });
        }
    }

    private void refuseIfServed(String model, Long version) {
        if (model == null) return; // the route's own handler names what is missing
        deployments.servingDeployment(model, version).ifPresent(deployment -> {
            throw new CairnException(ErrorCode.RESOURCE_IN_USE, "Registered model '" + model + "'" + (version == null ? "" : " version " + version)
                    + " is served by deployment '" + deployment + "'; remove or redeploy that deployment first",
                    Map.of("field", version == null ? "name" : "version", "value", version == null ? model : model + "/" + version,
                            "expected", "a model version no deployment serves", "deployment", deployment));
        });
    }

    private static Long versionOf(String text) {
        try {
            return text == null ? null : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1L; // not a version: the route's own handler refuses it
        }
    }

    /** A parameter of an MLflow request: in the JSON body, else the query (as MLflow's handlers read it). */
    private String mlflowParam(Context ctx, String name) {
        // Through BufferedBody, which keeps the bytes for access control and the handler: the stream reads once, and
        // reading it here with ctx.body() left the MLflow handler (and the permission check) an empty body.
        JsonNode body = BufferedBody.json(ctx);
        JsonNode node = body == null || !body.isObject() ? null : body.get(name);
        if (node != null && !node.isNull()) return node.asText();
        return ctx.queryParam(name); // else the query's (null: the route's own handler names what is missing or malformed)
    }

    /** Only the /api/v1 routes: the MLflow and Open Inference protocol routes follow their own specifications. */
    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    /**
     * The protocol routes besides the table: health and server metadata are open (probes send no credentials);
     * a model's metadata, readiness and inference need INVOKE on its deployment, /invocations on the deployment
     * it names with {@code ?deployment=} or the default one.
     */
    @Override
    public List<RouteAccess> access() {
        List<RouteAccess> out = new ArrayList<>(DocumentedRoutes.super.access());
        Access invoke = Access.deployment(path("name"), Permission.INVOKE);
        out.add(new RouteAccess(HandlerType.POST, "/invocations", Access.deployment(this::invocationTarget, Permission.INVOKE)));
        for (String open : List.of("/ping", "/v2/health/live", "/v2/health/ready", "/v2")) {
            out.add(new RouteAccess(HandlerType.GET, open, Access.open()));
        }
        for (String model : List.of("/v2/models/{name}", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/ready",
                "/v2/models/{name}/versions/{version}/ready")) {
            out.add(new RouteAccess(HandlerType.GET, model, invoke));
        }
        out.add(new RouteAccess(HandlerType.POST, "/v2/models/{name}/infer", invoke));
        out.add(new RouteAccess(HandlerType.POST, "/v2/models/{name}/versions/{version}/infer", invoke));
        return out;
    }

    private List<String> invocationTarget(Context ctx, ResourceLookup lookup) {
        String name = ctx.queryParam("deployment");
        if (name != null && !name.isBlank()) return List.of(name);
        try {
            return List.of(deployments.defaultDeployment().name());
        } catch (CairnException none) {
            return List.of();
        }
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        guardDeletions(config);
        config.routes.post("/invocations", this::invocations);
        config.routes.get("/ping", ctx -> ready(ctx, Map.of("status", deployments.isReady() ? "ready" : "loading")));
        config.routes.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
        config.routes.get("/v2/health/ready", ctx -> ready(ctx, Map.of("ready", isReady())));
        config.routes.get("/v2", ctx -> ctx.json(Map.of("name", "cairn", "version", "0.1.0", "extensions", List.of())));
        config.routes.get("/v2/models/{name}", ctx -> ctx.json(metadata(deployments.get(ctx.pathParam("name")), null)));
        config.routes.get("/v2/models/{name}/versions/{version}",
                ctx -> ctx.json(metadata(deployments.get(ctx.pathParam("name")), ctx.pathParam("version"))));
        config.routes.get("/v2/models/{name}/ready", ctx -> modelReady(ctx, null));
        config.routes.get("/v2/models/{name}/versions/{version}/ready", ctx -> modelReady(ctx, ctx.pathParam("version")));
        config.routes.post("/v2/models/{name}/infer", ctx -> infer(ctx, null));
        config.routes.post("/v2/models/{name}/versions/{version}/infer", ctx -> infer(ctx, ctx.pathParam("version")));
        DocumentedRoutes.register(config, routes);
        // The error renderer resets the response (headers included) before writing an error body,
        // so the Retry-After of a refusal is set here, after it.
        config.routes.after(ctx -> {
            if (ctx.statusCode() == 503 && ctx.res().getHeader("Retry-After") == null && isServingPath(ctx.path())) {
                ctx.header("Retry-After", "1");
            }
        });
    }

    private static boolean isServingPath(String path) {
        return path.equals("/invocations") || path.startsWith("/v2/") || path.startsWith("/api/v1/deployments/");
    }

    /** Ready for traffic: every deployment loaded and warmed, and not draining. */
    public boolean isReady() {
        return deployments.isReady() && !admission.isDraining();
    }

    private void ready(Context ctx, Map<String, Object> body) {
        ctx.status(isReady() ? 200 : 503).json(body);
    }

    private void modelReady(Context ctx, String version) {
        Deployment d = deployments.get(ctx.pathParam("name"));
        boolean ready = d.isReady() && (version == null || d.byVersion(version) != null);
        ctx.status(ready ? 200 : 503).json(Map.of("name", d.name(), "ready", ready));
    }

    private void invocations(Context ctx) {
        admission.enter(ctx);
        try {
            String name = ctx.queryParam("deployment");
            Deployment d = name == null ? deployments.defaultDeployment() : deployments.get(name);
            ParsedInput input = mlflow.parse(BoundedBody.read(ctx, limits.maxRequestBytes()), ctx.contentType(), limits.maxRows());
            Inference.Answer answer = inference.infer(d, input, null, false, "mlflow", requestId(ctx));
            List<Object> predictions = new ArrayList<>(answer.predictions().size());
            for (Prediction p : answer.predictions()) predictions.add(mlflowPrediction(p));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("predictions", predictions);
            respond(ctx, answer, body);
        } finally {
            admission.exit();
        }
    }

    private static Object mlflowPrediction(Prediction p) {
        if (p.label() == null) return p.value();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", p.label());
        m.put("probability", p.probabilities() == null ? null : p.probabilities().get(p.label()));
        m.put("probabilities", p.probabilities());
        if (p.warnings() != null) m.put("warnings", p.warnings());
        return m;
    }

    private void infer(Context ctx, String version) {
        admission.enter(ctx);
        try {
            Deployment d = deployments.get(ctx.pathParam("name"));
            List<String> names = d.stable().model().inputNames();
            OpenInferenceProtocol.Request request = oip.parse(BoundedBody.read(ctx, limits.maxRequestBytes()), names, limits.maxRows());
            Inference.Answer answer = inference.infer(d, request.input(), version, false, "v2", requestId(ctx));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model_name", d.name());
            body.put("model_version", answer.model().version());
            body.put("id", request.id() != null ? request.id() : answer.requestId());
            body.put("parameters", Map.of("request_id", answer.requestId(), "registered_model", answer.model().name()));
            body.put("outputs", OipOutputs.of(answer.model(), answer.predictions()));
            respond(ctx, answer, body);
        } finally {
            admission.exit();
        }
    }

    private void predict(Context ctx) {
        admission.enter(ctx);
        try {
            Deployment d = deployments.get(ctx.pathParam("name"));
            byte[] bytes = BoundedBody.read(ctx, limits.maxRequestBytes());
            var root = MlflowProtocol.readJson(mapper, bytes);
            if (!root.isObject()) throw Problems.fatal("(request body)", JsonValues.kind(root), "a JSON object {\"inputs\": …, \"explain\": false}");
            Problems problems = new Problems();
            for (var e : root.properties()) {
                if (!e.getKey().equals("inputs") && !e.getKey().equals("explain")) {
                    problems.add(e.getKey(), "(present)", "only the fields inputs and explain");
                }
            }
            var inputs = root.get("inputs");
            var explainNode = root.get("explain");
            if (explainNode != null && !explainNode.isBoolean() && !explainNode.isNull()) {
                problems.add("explain", JsonValues.scalar(explainNode), "true or false");
            }
            if (inputs == null || !(inputs.isObject() || inputs.isArray())) {
                problems.add("inputs", JsonValues.kind(inputs), "an object of field values (one row) or an array of them");
            }
            problems.throwIfAny();
            ParsedInput input = parseRecords(inputs);
            boolean explain = explainNode != null && explainNode.asBoolean(false);
            Inference.Answer answer = inference.infer(d, input, null, explain, "cairn", requestId(ctx), predictionTime(ctx));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("request_id", answer.requestId());
            body.put("deployment", d.name());
            body.put("model_name", answer.model().name());
            body.put("model_version", answer.model().version());
            body.put("predictions", answer.predictions());
            respond(ctx, answer, body);
        } finally {
            admission.exit();
        }
    }

    private ParsedInput parseRecords(com.fasterxml.jackson.databind.JsonNode inputs) {
        if (inputs.isObject()) return ParsedInput.named(List.of(JsonValues.record(inputs)));
        if (inputs.size() > limits.maxRows()) throw Problems.tooManyRows(inputs.size(), limits.maxRows());
        if (inputs.isEmpty()) throw Problems.fatal("inputs", "an empty array", "at least one row");
        Problems problems = new Problems();
        List<Map<String, Object>> rows = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            var row = inputs.get(i);
            if (!row.isObject()) problems.add("inputs[" + i + "]", JsonValues.kind(row), "an object of field values", i);
            else rows.add(JsonValues.record(row));
        }
        problems.throwIfAny();
        return ParsedInput.named(rows);
    }

    private void respond(Context ctx, Inference.Answer answer, Map<String, Object> body) {
        try {
            byte[] bytes = mapper.writeValueAsBytes(body);
            // Written straight to the servlet response: Javalin's result pipeline copies the bytes
            // through a stream and buffer again, a visible cost on a single-row request.
            var response = ctx.res();
            response.setHeader("X-Request-Id", answer.requestId());
            response.setHeader("X-Cairn-Model-Version", answer.model().version());
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "Could not render the predictions", e);
        } catch (java.io.IOException e) {
            // The client went away; nothing is left to answer.
            throw new CairnException(ErrorCode.BAD_REQUEST, "Could not write the response: " + e.getMessage(), e);
        }
    }

    static final String PREDICTION_TIME = "X-Cairn-Prediction-Time";
    static final java.time.Duration MAX_PREDICTION_AGE = java.time.Duration.ofDays(400);

    /** The prediction time a client gave, or null for now; a time that is no instant, in the future or too old is refused. */
    static java.time.Instant predictionTime(Context ctx) {
        String text = ctx.header(PREDICTION_TIME);
        if (text == null || text.isBlank()) return null;
        java.time.Instant t;
        try {
            t = java.time.Instant.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw CairnException.invalid(PREDICTION_TIME, text, "an ISO-8601 instant such as 2026-11-03T02:00:00Z");
        }
        java.time.Instant now = java.time.Instant.now();
        if (t.isAfter(now.plusSeconds(300)) || t.isBefore(now.minus(MAX_PREDICTION_AGE))) {
            throw CairnException.invalid(PREDICTION_TIME, text, "a time from " + MAX_PREDICTION_AGE.toDays() + " days ago to now");
        }
        return t;
    }

    /** The client's X-Request-Id when it is a sensible id, so its logs and ours join. */
    private static String requestId(Context ctx) {
        String id = ctx.header("X-Request-Id");
        return id != null && REQUEST_ID.matcher(id).matches() ? id : null;
    }

    private Map<String, Object> metadata(Deployment d, String version) {
        Deployment.Route route = version == null ? d.stable() : d.byVersion(version);
        if (route == null) {
            throw CairnException.notFound("Version of deployment '" + d.name() + "'", version);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("versions", Deployments.routesOf(d).stream().map(r -> r.model().version()).distinct().toList());
        m.put("platform", route.model().model().manifest().flavor().wireName());
        m.put("inputs", OipOutputs.inputs(route.model().signature()));
        m.put("outputs", OipOutputs.outputs(route.model().signature()));
        m.put("parameters", Map.of("registered_model", route.model().name(), "model_version", route.model().version()));
        return m;
    }
}
