package dev.cairn.server.serving;

import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.error.ErrorCode;
import dev.cairn.features.online.OnlineService;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.Actors;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Managing deployments over {@code /api/v1/deployments}: list, show, create or replace (PUT), change
 * weights, re-resolve aliases, roll back, remove, and attach ground truth to logged predictions.
 */
final class DeploymentAdmin {

    static final String DEPLOYMENTS = CairnApi.PREFIX + "/deployments";
    static final String DEPLOYMENT = DEPLOYMENTS + "/{name}";
    static final String TAG = "deployments";
    private static final String IF_MATCH = "If-Match";
    private static final String IF_NONE_MATCH = "If-None-Match";

    /** The body of PUT /api/v1/deployments/{name}: the spec without its name, which is in the path. */
    record SpecBody(List<DeploymentSpec.Target> targets, String shadow, String stickyKey, RollbackPolicy rollback, String featureService,
                    String comment) {}

    record WeightsBody(Map<String, Integer> weights, String comment) {}

    record FeedbackItem(String requestId, String label, Double value) {}

    record FeedbackBody(String requestId, String label, Double value, List<FeedbackItem> feedback) {}

    private final Deployments deployments;
    private final PredictionLog log;
    private final ObjectMapper strict;

    DeploymentAdmin(Deployments deployments, PredictionLog log, ObjectMapper strict) {
        this.deployments = deployments;
        this.log = log;
        this.strict = strict;
    }

    /** The deployment routes, as data: ServingApi registers them and the OpenAPI document describes them. */
    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get(DEPLOYMENTS, "List the deployments with their routes and readiness").tag(TAG)
                        .returns(Map.class).access(Access.authenticated()).handle(ctx -> ctx.json(Map.of("deployments",
                                AccessControl.readable(ctx, ResourceKind.DEPLOYMENT, List.copyOf(deployments.all()), Deployment::name)
                                        .stream().map(DeploymentAdmin::view).toList()))),
                ApiRoute.get(DEPLOYMENT, "Show a deployment: its routes, shadow, sticky key, rollback policy and readiness; its ETag in the header")
                        .tag(TAG).returns(Map.class).access(Access.deployment(path("name"), Permission.READ))
                        .handle(ctx -> answer(ctx, deployments.get(ctx.pathParam("name")))),
                ApiRoute.put(DEPLOYMENT, "Create or replace a deployment: load and warm its target models, then switch traffic to them; "
                                + "with feature_service, requests carry entity ids and the server adds the service's features from its online store")
                        .tag(TAG).header(Actors.HEADER, "Who deploys, for the audit log")
                        .header(IF_MATCH, "Replace it only if its ETag is still this one; else 409")
                        .header(IF_NONE_MATCH, "*: create it only if it does not exist yet; else 409").body(SpecBody.class)
                        .returns(Map.class).access(Access.deployment(path("name"), Permission.EDIT)).handle(this::put),
                ApiRoute.delete(DEPLOYMENT, "Remove a deployment and unload its models").tag(TAG)
                        .header(Actors.HEADER, "Who removes it, for the audit log")
                        .header(IF_MATCH, "Remove it only if its ETag is still this one; else 409").returns(Map.class)
                        .access(Access.deployment(path("name"), Permission.MANAGE)).handle(ctx -> {
                            String name = ctx.pathParam("name");
                            ifMatch(ctx, name, () -> {
                                deployments.remove(name, actor(ctx));
                                return null;
                            });
                            AccessControl.deleted(ctx, ResourceKind.DEPLOYMENT, name);
                            ctx.json(Map.of());
                        }),
                ApiRoute.post(DEPLOYMENT + "/weights", "Change the traffic weights of a deployment's targets").tag(TAG)
                        .header(Actors.HEADER, "Who changes them, for the audit log")
                        .header(IF_MATCH, "Change them only if the deployment's ETag is still this one; else 409").body(WeightsBody.class)
                        .returns(Map.class).access(Access.deployment(path("name"), Permission.EDIT)).handle(ctx -> {
                            WeightsBody body = RequestBodies.read(ctx, strict, WeightsBody.class);
                            if (body.weights() == null || body.weights().isEmpty()) {
                                throw CairnException.invalid("weights", null, "an object of target model URI to weight");
                            }
                            String name = ctx.pathParam("name");
                            // The targets it names (any other key is refused as no target of the deployment; an unknown
                            // deployment as before: 409 under If-Match, else 404).
                            Deployment current = deployments.find(name);
                            List<String> targets = current == null ? List.of()
                                    : current.spec().targets().stream().map(DeploymentSpec.Target::model).toList();
                            DeployAccess.check(ctx, body.weights().keySet().stream().filter(targets::contains).toList());
                            answer(ctx, ifMatch(ctx, name, () -> deployments.setWeights(name, body.weights(), actor(ctx), body.comment())));
                        }),
                ApiRoute.post(DEPLOYMENT + "/refresh", "Re-resolve the aliases of a deployment's targets and redeploy if one moved; answers with changed")
                        .tag(TAG).header(Actors.HEADER, "Who refreshes, for the audit log").returns(Map.class).access(Access.deployment(path("name"), Permission.EDIT)).handle(ctx -> {
                            boolean changed = deployments.refresh(ctx.pathParam("name"), actor(ctx));
                            Map<String, Object> body = new LinkedHashMap<>(view(deployments.get(ctx.pathParam("name"))));
                            body.put("changed", changed);
                            ctx.json(body);
                        }),
                ApiRoute.post(DEPLOYMENT + "/rollback", "Roll a deployment back to its previous generation").tag(TAG)
                        .header(Actors.HEADER, "Who rolls back, for the audit log")
                        .header(IF_MATCH, "Roll back only if the deployment's ETag is still this one; else 409").returns(Map.class)
                        .access(Access.deployment(path("name"), Permission.EDIT)).handle(ctx -> {
                            String name = ctx.pathParam("name");
                            answer(ctx, ifMatch(ctx, name, () -> deployments.rollback(name, "rolled back by " + actor(ctx))));
                        }),
                ApiRoute.post(DEPLOYMENT + "/feedback", "Attach ground truth (a label or value) to logged predictions by request id")
                        .tag(TAG).body(FeedbackBody.class).returns(Map.class).status(202).access(Access.deployment(path("name"), Permission.EDIT)).handle(this::feedback));
    }

    private void put(Context ctx) {
        SpecBody body = RequestBodies.read(ctx, strict, SpecBody.class);
        DeploymentSpec spec = new DeploymentSpec(ctx.pathParam("name"), body.targets(), body.shadow(), body.stickyKey(), body.rollback(),
                body.featureService());
        DeployAccess.check(ctx, spec);
        answer(ctx, ifMatch(ctx, spec.name(), () -> deployments.apply(spec, actor(ctx), body.comment())));
    }

    private <T> T ifMatch(Context ctx, String name, Supplier<T> change) {
        return deployments.ifMatch(name, ctx.header(IF_MATCH), ctx.header(IF_NONE_MATCH), change);
    }

    /** The deployment as JSON, with its ETag in the header for the next conditional change. */
    private static void answer(Context ctx, Deployment d) {
        ctx.header("ETag", d.etag());
        ctx.json(view(d));
    }

    private void feedback(Context ctx) {
        String name = ctx.pathParam("name");
        deployments.get(name);
        if (log == null) {
            throw new CairnException(ErrorCode.INVALID_STATE, "This server keeps no prediction log, so feedback has nothing to attach to");
        }
        FeedbackBody body = RequestBodies.read(ctx, strict, FeedbackBody.class);
        List<FeedbackItem> items = body.feedback() != null ? body.feedback()
                : List.of(new FeedbackItem(body.requestId(), body.label(), body.value()));
        if (items.isEmpty()) throw CairnException.invalid("feedback", "[]", "at least one {request_id, label}");
        Problems problems = new Problems();
        for (int i = 0; i < items.size(); i++) {
            FeedbackItem f = items.get(i);
            if (f == null || f.requestId() == null || f.requestId().isBlank()) {
                problems.add("feedback[" + i + "].request_id", null, "the request id a prediction answered with", i);
            } else if (f.label() == null && f.value() == null) {
                problems.add("feedback[" + i + "].label", null, "the true label (or value, for regression)", i);
            }
        }
        problems.throwIfAny();
        long now = System.currentTimeMillis();
        int accepted = 0;
        for (FeedbackItem f : items) {
            if (!log.offer(new PredictionLog.Feedback(f.requestId(), now, name, f.label(), f.value()))) {
                ctx.header("Retry-After", "1");
                throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                        "The prediction log queue is full; " + accepted + " of " + items.size() + " feedback items were accepted, retry the rest",
                        Map.of("accepted", accepted, "retry_after_seconds", 1));
            }
            accepted++;
        }
        ctx.status(202).json(Map.of("accepted", accepted));
    }

    /** Who acts, as every API takes it: the authenticated principal when login is on (never a header the caller sets). */
    static String actor(Context ctx) {
        String user = Actors.from(ctx);
        return user.length() > 128 ? Actors.ANONYMOUS : user;
    }

    static Map<String, Object> view(Deployment d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("generation", d.generation());
        m.put("etag", d.etag());
        m.put("ready", d.isReady());
        m.put("routes", d.routes().stream().map(r -> route(r)).toList());
        if (d.shadow() != null) m.put("shadow", route(d.shadow()));
        if (d.spec().stickyKey() != null) m.put("sticky_key", d.spec().stickyKey());
        if (d.spec().rollback() != null) m.put("rollback", d.spec().rollback());
        if (d.features() != null) m.put("features", features(d.features()));
        return m;
    }

    /**
     * Which feature service (and views, at which definition versions) a deployment reads: the deployment half of the
     * features' lineage. The online store is not named: its URI is the server's configuration (a path, a host).
     */
    static Map<String, Object> features(OnlineService service) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service", service.name());
        m.put("version", service.version());
        m.put("join_keys", service.joinKeys());
        m.put("views", service.views().stream().map(v -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", v.name());
            view.put("version", v.version());
            view.put("join_keys", v.joinKeys());
            view.put("features", v.features());
            return view;
        }).toList());
        return m;
    }

    private static Map<String, Object> route(Deployment.Route r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", r.target());
        m.put("model_name", r.model().name());
        m.put("model_version", r.model().version());
        m.put("weight", r.weight());
        return m;
    }
}
