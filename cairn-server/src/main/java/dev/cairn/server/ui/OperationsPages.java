package dev.cairn.server.ui;

import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.tracking.Page;
import dev.cairn.monitor.Monitoring;
import dev.cairn.monitor.alert.ActiveAlert;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.server.pipeline.ServerPipelines;
import dev.cairn.server.serving.Deployment;
import dev.cairn.server.serving.Deployments;
import dev.cairn.server.serving.WindowStats;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs in production, from the server's own services: deployments (targets, weights, shadow, traffic since
 * start), monitoring (each deployment's latest window and firing alerts), pipelines (definitions, runs, a run's
 * steps in the spec's order with their states, as {@code GET /api/v1/pipelines/runs/{id}} shows them) and lineage
 * by artifact URI. A server started without one of these services shows that it has none.
 */
public final class OperationsPages {

    private final Deployments deployments;
    private final Monitoring monitoring;
    private final ServerPipelines pipelines;
    private final Pages pages;

    OperationsPages(Deployments deployments, Monitoring monitoring, ServerPipelines pipelines, Pages pages) {
        this.deployments = deployments;
        this.monitoring = monitoring;
        this.pipelines = pipelines;
        this.pages = pages;
    }

    public record RouteRow(String target, String model, String version, String modelHref, int weight, boolean shadow, long requests,
                           String errorRate, String p95) {}

    public record DeploymentRow(String name, boolean ready, boolean isDefault, String stickyKey, long generation, List<RouteRow> routes) {}

    public record DeploymentsView(boolean available, List<DeploymentRow> deployments, String csrf) {}

    void deployments(Context ctx) {
        List<DeploymentRow> rows = new ArrayList<>();
        if (deployments != null) {
            Deployment fallback = deployments.all().isEmpty() ? null : safeDefault();
            for (Deployment d : deployments.all()) {
                List<RouteRow> routes = new ArrayList<>();
                for (Deployment.Route r : d.routes()) {
                    WindowStats.Totals totals = r.window() == null ? WindowStats.none() : r.window().totals();
                    boolean shadow = d.shadow() != null && d.shadow() == r;
                    routes.add(new RouteRow(r.target(), r.model().name(), r.model().version(), Links.model(r.model().name()) + "#v" + r.model().version(),
                            r.weight(), shadow, totals.requests(), totals.requests() == 0 ? "" : Links.number(totals.errorRate()),
                            totals.requests() == 0 ? "" : Links.number(totals.percentileMillis(0.95)) + " ms"));
                }
                rows.add(new DeploymentRow(d.name(), d.isReady(), d == fallback, d.spec().stickyKey() == null ? "" : d.spec().stickyKey(),
                        d.generation(), routes));
            }
        }
        pages.render(ctx, "deployments.jte", "Deployments", "deployments", new DeploymentsView(deployments != null, rows, Csrf.token(ctx)));
    }

    /**
     * Changes a deployment's weights from the deployments page's form: the same {@link Deployments#setWeights} call as
     * {@code POST /api/v1/deployments/{name}/weights} (audited with the acting user and the reason), after the form's
     * token, a confirmation and a reason are checked. Answers with a redirect to the deployment.
     */
    void setWeights(Context ctx) {
        Csrf.verify(ctx);
        if (deployments == null) throw CairnException.notFound("deployment", ctx.pathParam("name"));
        String name = ctx.pathParam("name");
        List<String> targets = ctx.formParams("target");
        List<String> weights = ctx.formParams("weight");
        if (targets.isEmpty() || targets.size() != weights.size()) {
            throw CairnException.invalid("weight", weights, "one weight for each target of the deployment");
        }
        Map<String, Integer> byTarget = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            try {
                byTarget.put(targets.get(i), Integer.parseInt(weights.get(i).strip()));
            } catch (NumberFormatException e) {
                throw CairnException.invalid("weight", weights.get(i), "a whole number from 0 to 1000000 for " + targets.get(i));
            }
        }
        String reason = ctx.formParam("reason");
        if (reason == null || reason.isBlank()) throw CairnException.invalid("reason", reason, "why the weights change, for the audit log");
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw CairnException.invalid("confirm", ctx.formParam("confirm"), "the confirmation box ticked");
        }
        deployments.setWeights(name, byTarget, dev.cairn.server.api.Actors.from(ctx), reason.strip());
        ctx.redirect("/ui/deployments#deployment-" + Links.encode(name), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private Deployment safeDefault() {
        try {
            return deployments.defaultDeployment();
        } catch (CairnException e) {
            return null;
        }
    }

    public record AlertRow(String rule, String severity, String metric, String value, String threshold, String since, String description) {}

    public record MonitorRow(String deployment, String window, int windows, String latestStart, Map<String, String> latest,
                             List<String> versions, List<AlertRow> firing, List<String> notes, String reportHref) {}

    public record MonitoringView(boolean available, List<MonitorRow> deployments) {}

    void monitoring(Context ctx) {
        List<MonitorRow> rows = new ArrayList<>();
        if (monitoring != null) {
            for (String name : monitoring.deployments()) {
                Monitoring.Status status = monitoring.status(name);
                Map<String, String> latest = new LinkedHashMap<>();
                if (status.latest() != null) status.latest().values().forEach((k, v) -> latest.put(k, v == null ? "" : Links.number(v)));
                List<AlertRow> firing = status.firing().stream().map(OperationsPages::alert).toList();
                rows.add(new MonitorRow(name, status.window(), status.windows(), status.latest() == null ? "" : Links.time(status.latest().start()),
                        latest, status.versions(), firing, status.notes(),
                        "/api/v1/monitoring/deployments/" + Links.encode(name) + "/report"));
            }
        }
        pages.render(ctx, "monitoring.jte", "Monitoring", "monitoring", new MonitoringView(monitoring != null, rows));
    }

    private static AlertRow alert(ActiveAlert a) {
        return new AlertRow(a.rule(), String.valueOf(a.severity()), a.metric(), a.value() == null ? "" : Links.number(a.value()),
                a.comparison() + " " + Links.number(a.threshold()), Links.time(a.since()), ModelPages.nz(a.description()));
    }

    public record PipelineRow(String name, String description, boolean paused, String source, String updated, List<String> steps) {}

    public record PipelineRunRow(String runId, String href, String pipeline, String state, String trigger, String cause, String created,
                                 String ended, String actor) {}

    public record PipelinesView(boolean available, List<PipelineRow> pipelines, List<PipelineRunRow> runs, String nextHref) {}

    void pipelines(Context ctx) {
        List<PipelineRow> rows = new ArrayList<>();
        List<PipelineRunRow> runs = new ArrayList<>();
        String next = null;
        if (pipelines != null) {
            for (PipelineDefinition d : pipelines.store().listPipelines()) {
                List<String> steps;
                String description;
                try {
                    PipelineSpec spec = pipelines.spec(d);
                    steps = spec.order().stream().map(Step::id).toList();
                    description = spec.description();
                } catch (CairnException e) {
                    steps = List.of();
                    description = e.getMessage();
                }
                rows.add(new PipelineRow(d.name(), ModelPages.nz(description), d.paused(), ModelPages.nz(d.source()), Links.time(d.updatedAt()), steps));
            }
            Page<PipelineRun> page = pipelines.store().listRuns(null, Set.of(), 50, ExperimentPages.blankToNull(ctx.queryParam("page_token")));
            runs = page.items().stream().map(OperationsPages::runRow).toList();
            if (page.nextPageToken() != null) next = Links.withQuery("/ui/pipelines", List.of(Map.entry("page_token", page.nextPageToken())));
        }
        pages.render(ctx, "pipelines.jte", "Pipelines", "pipelines", new PipelinesView(pipelines != null, rows, runs, next));
    }

    private static PipelineRunRow runRow(PipelineRun r) {
        return new PipelineRunRow(r.runId(), Links.pipelineRun(r.runId()), r.pipeline(), r.state().name(), r.trigger(), ModelPages.nz(r.cause()),
                Links.time(r.createdAt()), Links.time(r.endedAt()), ModelPages.nz(r.actor()));
    }

    public record StepRow(String id, String type, List<String> needs, String state, int attempt, String started, String ended,
                          String message, String outputs, String trackingHref) {}

    public record PipelineRunView(PipelineRunRow run, String message, String trackingHref, Map<String, String> parameters, List<StepRow> steps,
                                  List<LineageEdge> lineage) {}

    void pipelineRun(Context ctx) {
        if (pipelines == null) throw CairnException.notFound("pipeline run", ctx.pathParam("id"));
        PipelineRun run = pipelines.store().getRun(ctx.pathParam("id"));
        Map<String, StepRun> states = new LinkedHashMap<>();
        for (StepRun s : pipelines.store().steps(run.runId())) states.put(s.stepId(), s);
        List<StepRow> steps = new ArrayList<>();
        try {
            // The spec's order, as the API's run view gives it; steps that never started show as pending.
            for (Step s : pipelines.specOf(run).order()) steps.add(step(s.id(), s.type().label(), s.needs(), states.get(s.id())));
        } catch (CairnException unreadableSpec) {
            for (StepRun s : states.values()) steps.add(step(s.stepId(), "", List.of(), s));
        }
        pages.render(ctx, "pipeline-run.jte", run.pipeline() + " run", "pipelines", new PipelineRunView(runRow(run),
                ModelPages.nz(run.message()), run.trackingRunId() == null ? null : Links.run(run.trackingRunId()), run.parameters(), steps,
                pipelines.store().lineageOfRun(run.runId())));
    }

    private static StepRow step(String id, String type, List<String> needs, StepRun s) {
        if (s == null) return new StepRow(id, type, needs, "PENDING", 0, "", "", "", "", null);
        return new StepRow(id, type, needs, s.state().name(), s.attempt(), Links.time(s.startedAt()), Links.time(s.endedAt()),
                ModelPages.nz(s.message()), ModelPages.nz(s.outputsJson()), s.trackingRunId() == null ? null : Links.run(s.trackingRunId()));
    }

    public record LineageView(boolean available, String uri, List<LineageEdge> edges) {}

    void lineage(Context ctx) {
        String uri = ExperimentPages.blankToNull(ctx.queryParam("uri"));
        List<LineageEdge> edges = pipelines == null || uri == null ? List.of() : pipelines.store().lineageOfArtifact(uri, 200);
        pages.render(ctx, "lineage.jte", "Lineage", "lineage", new LineageView(pipelines != null, uri == null ? "" : uri, edges));
    }

    void data(Context ctx) {
        pages.render(ctx, "data.jte", "Data", "data", "");
    }
}
