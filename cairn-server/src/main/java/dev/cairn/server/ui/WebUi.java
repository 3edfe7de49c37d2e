package dev.cairn.server.ui;

import static dev.cairn.server.auth.ResourceLocator.path;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.store.ArtifactRepository;
import dev.cairn.core.store.MetadataStore;
import dev.cairn.monitor.Monitoring;
import dev.cairn.core.error.CairnException;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.ErrorPages;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.auth.ResourceLocator;
import dev.cairn.server.auth.RouteAccess;
import dev.cairn.server.pipeline.ServerPipelines;
import dev.cairn.server.serving.Deployments;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The web UI: server-rendered pages at {@code /} and under {@code /ui/}, reading the same stores and services the
 * API's handlers call (never the API over HTTP). Its routes are a list of {@link UiRoute}s, like the API's table, so
 * a permission can be declared for each in one place.
 */
public final class WebUi implements ApiRoutes, ErrorPages {

    /** A run's page: READ on its experiment, as the API's run routes. */
    private static final Access RUN_READ = Access.experiment(ResourceLocator.experimentOfRun(path("id")), Permission.READ);
    /** Several runs ({@code ?run=…}): READ on each one's experiment. */
    private static final Access RUNS_READ = Access.experiment(ResourceLocator.experimentOfRun(ResourceLocator.field("run")), Permission.READ);

    /** Where the layout's logout form posts. */
    static final String LOGOUT = "/ui/logout";

    private final List<UiRoute> routes;
    private final Pages pages = new Pages();

    /**
     * @param store       the metadata store (experiments, runs, registry, audit, pipelines)
     * @param artifacts   the artifact root (run artifacts and their previews)
     * @param deployments the server's deployments, or null when it serves none
     * @param monitoring  the server's monitoring, or null
     * @param pipelines   the server's pipelines, or null
     */
    public WebUi(MetadataStore store, ArtifactRepository artifacts, Deployments deployments, Monitoring monitoring,
                 ServerPipelines pipelines) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(artifacts, "artifacts");
        Assets assets = new Assets();
        ExperimentPages experiments = new ExperimentPages(store, pages);
        RunPages runs = new RunPages(store, artifacts, pages);
        ArtifactPages artifactPages = new ArtifactPages(store, artifacts, pages);
        ComparePages compare = new ComparePages(store, pages);
        ModelPages models = new ModelPages(store, pages);
        EvaluationPages evaluations = new EvaluationPages(store, artifacts, pages);
        DataPages data = new DataPages(store, artifacts, pages);
        MonitoringPages monitoringPages = new MonitoringPages(monitoring, pages);
        PipelinePages pipelinePages = new PipelinePages(pipelines, pages);
        LineagePages lineage = new LineagePages(new LineageGraph(store, pipelines, deployments, monitoring), pages);
        OperationsPages operations = new OperationsPages(deployments, pages, monitoringPages, pipelinePages, lineage, data);
        LoginPages login = new LoginPages(pages);
        FeaturePages features = new FeaturePages(store, deployments, pipelines, pages);
        List<UiRoute> all = new ArrayList<>();
        all.add(UiRoute.get(Assets.PREFIX + "{name}", "A script or style of the UI", Access.open(), assets::serve));
        // Open to all: logging in needs no login; logging out ends the session the request holds, if any (CSRF-checked).
        all.add(UiRoute.get(AccessControl.LOGIN_PAGE, "The login form (with login on)", Access.open(), pages.page(login::form)));
        all.add(UiRoute.post(AccessControl.LOGIN_PAGE, "Log in (form: user, password, next, CSRF token)", Access.open(), pages.page(login::login)));
        all.add(UiRoute.post(LOGOUT, "Log out (form: CSRF token)", Access.open(), pages.page(login::logout)));
        all.add(UiRoute.get("/", "Experiments", Access.authenticated(), pages.page(experiments::experiments)));
        all.add(UiRoute.get("/ui/experiments/{id}", "An experiment's runs: filter, sort, columns, pages", Access.experiment(path("id"), Permission.READ),
                pages.page(experiments::runs)));
        all.add(UiRoute.get("/ui/experiments/{id}/column-keys", "Metric keys of a runs page that contain the typed text (a datalist for the column search)",
                Access.experiment(path("id"), Permission.READ), pages.page(experiments::columnKeys)));
        all.add(UiRoute.get("/ui/runs/{id}", "A run: params, metrics and chart, tags, inputs, children, artifacts, versions",
                RUN_READ, pages.page(runs::run)));
        all.add(UiRoute.get("/ui/runs/{id}/metric-series", "A run's metric by step, downsampled (JSON for the chart)",
                RUN_READ, pages.page(runs::metricSeries)));
        all.add(UiRoute.get("/ui/runs/{id}/artifact", "One artifact of a run, previewed", RUN_READ, pages.page(artifactPages::preview)));
        all.add(UiRoute.get("/ui/runs/{id}/artifact/raw", "One artifact of a run as stored, sandboxed", RUN_READ, pages.page(artifactPages::raw)));
        all.add(UiRoute.get("/ui/compare", "Runs side by side: param differences, metrics, overlaid chart", RUNS_READ, pages.page(compare::compare)));
        all.add(UiRoute.get("/ui/compare/metric-series", "One metric of several runs, downsampled (JSON for the chart)",
                RUNS_READ, pages.page(compare::metricSeries)));
        all.add(UiRoute.get("/ui/compare/parallel", "Differing params and a metric of several runs (JSON for parallel coordinates)",
                RUNS_READ, pages.page(compare::parallel)));
        all.add(UiRoute.get("/ui/models", "Registered models", Access.authenticated(), pages.page(models::models)));
        all.add(UiRoute.get("/ui/models/{name}", "A model: versions, aliases, audit log", Access.model(path("name"), Permission.READ), pages.page(models::model)));
        all.add(UiRoute.post("/ui/models/{name}/aliases", "Point an alias at a version (form: confirmation, reason, CSRF token)",
                Access.model(path("name"), Permission.EDIT), pages.page(models::setAlias)));
        all.add(UiRoute.get("/ui/deployments", "Deployments: targets, weights, shadow, traffic", Access.authenticated(), pages.page(operations::deployments)));
        all.add(UiRoute.post("/ui/deployments/{name}/weights", "Change a deployment's weights (form: confirmation, reason, CSRF token)",
                Access.deployment(path("name"), Permission.EDIT), pages.page(operations::setWeights)));
        all.add(UiRoute.get("/ui/monitoring", "Monitored deployments: latest window, firing alerts", Access.authenticated(), pages.page(operations::monitoring)));
        all.add(UiRoute.get("/ui/pipelines", "Pipelines and their runs", Access.authenticated(), pages.page(operations::pipelines)));
        all.add(UiRoute.get("/ui/pipelines/runs/{id}", "A pipeline run's steps, parameters and lineage",
                Access.pipeline(ResourceLocator.pipelineOfRun(path("id")), Permission.READ), pages.page(operations::pipelineRun)));
        all.add(UiRoute.get("/ui/lineage", "The lineage graph from a request id, a scored customer, a model version, a dataset hash or an artifact", Access.authenticated(), pages.page(operations::lineage)));
        all.add(UiRoute.get("/ui/data", "Data (profiles, validation, drift)", Access.authenticated(), pages.page(operations::data)));
        all.add(UiRoute.get("/ui/runs/{id}/evaluation", "An evaluation run's report: verdict, metrics with intervals, curves, slices, fairness, importance",
                RUN_READ, pages.page(evaluations::evaluation)));
        all.add(UiRoute.get("/ui/runs/{id}/evaluation/curve", "An evaluation's ROC or precision-recall curve (JSON for the chart)",
                RUN_READ, pages.page(evaluations::curve)));
        all.add(UiRoute.get("/ui/runs/{id}/data", "A run's data results: profiles with histograms, validation failures, drift by column",
                RUN_READ, pages.page(data::run)));
        all.add(UiRoute.get("/ui/runs/{id}/data/histogram", "One column's histogram of a stored profile (JSON for the chart)",
                RUN_READ, pages.page(data::histogram)));
        all.add(UiRoute.get("/ui/features", "Feature views and services: versions, the deployments reading them",
                Access.authenticated(), pages.page(features::features)));
        all.add(UiRoute.get("/ui/features/{name}", "A feature view or service: each version with the model versions trained on it, "
                + "the pipeline steps that read it, and the deployments reading it", Access.feature(path("name"), Permission.READ),
                pages.page(features::feature)));
        all.add(UiRoute.get("/ui/data/run", "Opens the data results of the run the form names", Access.authenticated(), pages.page(DataPages::open)));
        all.add(UiRoute.get("/ui/monitoring/{name}", "A monitored deployment: drift, performance and volume over windows, latest drift, alerts",
                Access.deployment(path("name"), Permission.READ), pages.page(monitoringPages::deployment)));
        all.add(UiRoute.get("/ui/monitoring/{name}/chart", "A monitored deployment's series over windows (JSON for the chart)",
                Access.deployment(path("name"), Permission.READ), pages.page(monitoringPages::chart)));
        all.add(UiRoute.get("/ui/pipelines/{name}", "A pipeline: its DAG, triggers, parameters, runs, and the run form",
                Access.pipeline(path("name"), Permission.READ), pages.page(pipelinePages::pipeline)));
        all.add(UiRoute.post("/ui/pipelines/{name}/run", "Run a pipeline now (form: confirmation, CSRF token)",
                Access.pipeline(path("name"), Permission.EDIT), pages.page(pipelinePages::runNow)));
        all.add(UiRoute.post("/ui/pipelines/{name}/paused", "Pause or resume a pipeline's triggers (form: paused, confirmation, CSRF token)",
                Access.pipeline(path("name"), Permission.EDIT), pages.page(pipelinePages::setPaused)));
        all.add(UiRoute.post("/ui/pipelines/runs/{id}/cancel", "Cancel a pipeline run (form: confirmation, CSRF token)",
                Access.pipeline(ResourceLocator.pipelineOfRun(path("id")), Permission.EDIT), pages.page(pipelinePages::cancel)));
        this.routes = List.copyOf(all);
    }

    /** Every UI route, in registration order. */
    public List<UiRoute> routes() {
        return routes;
    }

    @Override
    public List<RouteAccess> access() {
        return routes.stream().map(UiRoute::routeAccess).toList();
    }

    @Override
    public void addRoutes(JavalinConfig config) {
        for (UiRoute route : routes) {
            config.routes.addHttpHandler(route.method(), route.path(), route.handler());
        }
    }

    /**
     * A browser's request of a UI path (it accepts HTML): refused before any page handler ran (403 from the access
     * check, 401 once its session ended, 404 of an unknown page), it still gets the UI's error page, and no
     * {@code WWW-Authenticate} header that would make the browser ask for a password.
     */
    @Override
    public boolean rendersErrorOf(Context ctx) {
        String path = ctx.path();
        String accept = ctx.header("Accept");
        return (path.equals("/") || path.startsWith("/ui/")) && accept != null && accept.contains("text/html");
    }

    @Override
    public void renderError(Context ctx, CairnException e) {
        pages.error(ctx, e);
    }
}
