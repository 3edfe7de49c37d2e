package dev.cairn.server.evaluation;

import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.field;
import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.registry.ModelVersion;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.RunStore;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.Actors;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.auth.Access;
import dev.cairn.server.serving.DeployAccess;
import dev.cairn.server.tracking.ArtifactLocations;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Evaluations over REST: {@code POST /api/v1/evaluations} evaluates a candidate against an alias
 * and answers with the verdict; {@code GET /api/v1/evaluations/{run_id}} gives the stored JSON
 * report, {@code …/report.html} the HTML report, {@code …/verdict} the verdict alone, and
 * {@code POST …/promote} promotes on that verdict (refused with 400 INVALID_STATE unless blessed
 * or forced with a reason).
 */
public final class EvaluationApi implements DocumentedRoutes {
    public static final String EVALUATIONS = CairnApi.PREFIX + "/evaluations";
    static final String EVALUATION = EVALUATIONS + "/{run_id}";
    static final String REPORT_JSON = "evaluation/report.json", REPORT_HTML = "evaluation/report.html", VERDICT_JSON = "evaluation/verdict.json";

    private final RunStore runs;
    private final ArtifactLocations locations;
    private final EvaluationService service;
    private final ObjectMapper mapper;
    private final List<ApiRoute> routes;

    public EvaluationApi(RunStore runs, ArtifactRepository artifactRoot, EvaluationService service) {
        this.runs = runs;
        this.locations = new ArtifactLocations(artifactRoot);
        this.service = service;
        this.mapper = JsonMappers.strict();
        this.routes = List.of(
                ApiRoute.post(EVALUATIONS, "Evaluate a model against the version holding an alias; stores the report with a run and answers with the verdict")
                        .tag("evaluations").body(EvaluationService.EvaluationRequest.class).returns(Map.class).status(201).access(Access.model(field("registered_model"), Permission.READ)).handle(this::evaluate),
                ApiRoute.get(EVALUATION, "The JSON report of an evaluation run").tag("evaluations").returns(Map.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::report),
                ApiRoute.get(EVALUATION + "/report.html", "The self-contained HTML report of an evaluation run").tag("evaluations")
                        .returnsRaw("text/html").access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::html),
                ApiRoute.get(EVALUATION + "/verdict", "The verdict of an evaluation run").tag("evaluations").returns(Map.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::verdict),
                ApiRoute.post(EVALUATION + "/promote", "Point the evaluated alias at a version if the verdict blessed it (or forced, with a reason)")
                        .tag("evaluations").header(Actors.HEADER, "Who promotes").body(EvaluationService.PromotionRequest.class)
                        .returns(ModelVersion.class).access(Access.model(field("name"), Permission.EDIT)).handle(this::promote));
    }

    /** The routes as data: they register the handlers and describe them in the OpenAPI document. */
    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private void evaluate(Context ctx) {
        EvaluationService.EvaluationRequest request = RequestBodies.read(ctx, mapper, EvaluationService.EvaluationRequest.class);
        if (request.model() == null) throw CairnException.invalid("model", null, "the candidate model's URI");
        if (request.data() == null) throw CairnException.invalid("data", null, "the path of the evaluation data on the server");
        if (request.label() == null) throw CairnException.invalid("label", null, "the label column");
        // The route's access names the registered model judged; the candidate is read as well, so READ on it too.
        DeployAccess.check(ctx, List.of(request.model()));
        ctx.status(201).json(service.evaluate(request));
    }

    private void report(Context ctx) {
        stream(ctx, REPORT_JSON, "application/json");
    }

    private void html(Context ctx) {
        stream(ctx, REPORT_HTML, "text/html; charset=utf-8");
    }

    private void verdict(Context ctx) {
        stream(ctx, VERDICT_JSON, "application/json");
    }

    private void promote(Context ctx) {
        EvaluationService.PromotionRequest request = RequestBodies.read(ctx, mapper, EvaluationService.PromotionRequest.class);
        EvaluationService.Promoted promoted = service.promote(ctx.pathParam("run_id"), request, Actors.from(ctx, request.user()));
        // A protected alias: nothing moved yet, a request waits for a second person (202 Accepted, the request in the body).
        if (promoted.request() != null) ctx.status(202).json(Map.of("request", promoted.request()));
        else ctx.json(promoted.version());
    }

    private void stream(Context ctx, String path, String contentType) {
        String runId = ctx.pathParam("run_id");
        ArtifactRepository artifacts = locations.open(runs.getRun(runId).info().artifactUri());
        if (!artifacts.exists(path)) throw CairnException.notFound("evaluation report of run", runId);
        InputStream in = artifacts.open(path);
        ctx.contentType(contentType);
        ctx.result(in);
    }
}
