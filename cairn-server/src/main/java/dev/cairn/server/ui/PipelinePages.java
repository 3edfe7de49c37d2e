package dev.cairn.server.ui;

import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.tracking.Page;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.schedule.Trigger;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.server.api.Actors;
import dev.cairn.server.auth.AccessControl;
import dev.cairn.server.pipeline.ServerPipelines;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines from the server's own {@link ServerPipelines}: the list of pipelines and runs, a pipeline's page (its DAG,
 * triggers with the next scheduled time, parameters, runs, and a "Run now" form), a run's page (the DAG with each step's
 * state, the steps as {@code GET /api/v1/pipelines/runs/{id}} gives them, parameters, lineage), and the run form's
 * handler, which starts a run through the same {@link ServerPipelines#start} call as {@code POST
 * /api/v1/pipelines/{name}/runs}. A server started without pipelines shows that it has none.
 */
public final class PipelinePages {

    static final int RUNS_PAGE = 50;

    private final ServerPipelines pipelines;
    private final Pages pages;

    PipelinePages(ServerPipelines pipelines, Pages pages) {
        this.pipelines = pipelines;
        this.pages = pages;
    }

    public record PipelineRow(String name, String href, String description, boolean paused, String source, String updated,
                              List<String> steps) {}

    public record PipelineRunRow(String runId, String href, String pipeline, String pipelineHref, String state, String trigger,
                                 String cause, String created, String ended, String actor) {}

    public record PipelinesView(boolean available, List<PipelineRow> pipelines, List<PipelineRunRow> runs, String nextHref) {}

    void pipelines(Context ctx) {
        List<PipelineRow> rows = new ArrayList<>();
        List<PipelineRunRow> runs = new ArrayList<>();
        String next = null;
        if (pipelines != null) {
            // With login on, only the pipelines (and their runs) the user may read, as the API's listing.
            for (PipelineDefinition d : AccessControl.readable(ctx, ResourceKind.PIPELINE, pipelines.store().listPipelines(),
                    PipelineDefinition::name)) {
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
                rows.add(new PipelineRow(d.name(), Links.pipeline(d.name()), ModelPages.nz(description), d.paused(), ModelPages.nz(d.source()),
                        Links.time(d.updatedAt()), steps));
            }
            Page<PipelineRun> page = pipelines.store().listRuns(null, Set.of(), RUNS_PAGE, ExperimentPages.blankToNull(ctx.queryParam("page_token")));
            runs = AccessControl.readable(ctx, ResourceKind.PIPELINE, page.items(), PipelineRun::pipeline).stream().map(PipelinePages::runRow).toList();
            if (page.nextPageToken() != null) next = Links.withQuery("/ui/pipelines", List.of(Map.entry("page_token", page.nextPageToken())));
        }
        pages.render(ctx, "pipelines.jte", "Pipelines", "pipelines", new PipelinesView(pipelines != null, rows, runs, next));
    }

    static PipelineRunRow runRow(PipelineRun r) {
        return new PipelineRunRow(r.runId(), Links.pipelineRun(r.runId()), r.pipeline(), Links.pipeline(r.pipeline()), r.state().name(),
                r.trigger(), ModelPages.nz(r.cause()), Links.time(r.createdAt()), Links.time(r.endedAt()), ModelPages.nz(r.actor()));
    }

    public record TriggerRow(String kind, String description, String next) {}

    public record ParameterRow(String name, String value) {}

    public record PipelineView(String name, String description, boolean paused, String source, String sha256, String updated,
                               GraphLayout.Drawing dag, List<TriggerRow> triggers, List<ParameterRow> parameters, String concurrency,
                               List<PipelineRunRow> runs, String nextHref, String csrf, String runAction, String pausedAction) {}

    /** A pipeline: its DAG, triggers (with when a schedule fires next), parameters, runs, and the run form. */
    void pipeline(Context ctx) {
        PipelineDefinition definition = definition(ctx);
        PipelineSpec spec = pipelines.spec(definition);
        List<GraphLayout.Node> nodes = new ArrayList<>();
        List<GraphLayout.Edge> edges = new ArrayList<>();
        for (Step s : spec.order()) {
            nodes.add(new GraphLayout.Node(s.id(), s.id(), s.type().label() + (s.condition() == null ? "" : " · if …"), "step", null));
            for (String need : s.needs()) edges.add(new GraphLayout.Edge(need, s.id(), need + " → " + s.id()));
        }
        List<TriggerRow> triggers = new ArrayList<>();
        for (Trigger t : spec.triggers()) {
            String next = "";
            if (t instanceof Trigger.Schedule s && !definition.paused()) next = Links.time(s.schedule().next(pipelines.now()));
            triggers.add(new TriggerRow(t.kind(), t.describe(), next));
        }
        List<ParameterRow> parameters = spec.parameters().entrySet().stream()
                .map(e -> new ParameterRow(e.getKey(), String.valueOf(e.getValue()))).toList();
        Page<PipelineRun> page = pipelines.store().listRuns(definition.name(), Set.of(), RUNS_PAGE,
                ExperimentPages.blankToNull(ctx.queryParam("page_token")));
        String next = page.nextPageToken() == null ? null
                : Links.withQuery(Links.pipeline(definition.name()), List.of(Map.entry("page_token", page.nextPageToken()))) + "#runs";
        String concurrency = spec.concurrency() == null ? "" : "at most " + spec.concurrency().maxRuns() + " at a time, "
                + spec.concurrency().onConflict().label() + " on conflict";
        pages.render(ctx, "pipeline.jte", definition.name(), "pipelines", new PipelineView(definition.name(), ModelPages.nz(spec.description()),
                definition.paused(), ModelPages.nz(definition.source()), definition.sha256(), Links.time(definition.updatedAt()),
                GraphLayout.layout(nodes, edges), triggers, parameters, concurrency, page.items().stream().map(PipelinePages::runRow).toList(), next,
                Csrf.token(ctx), Links.pipeline(definition.name()) + "/run", Links.pipeline(definition.name()) + "/paused"));
    }

    /**
     * Pauses or resumes a pipeline's own triggers from its page's form ({@code paused=true|false}, the confirmation box,
     * the form's token): the same {@code setPaused} call as {@code PUT /api/v1/pipelines/{name}/paused}, and EDIT on the
     * pipeline as there. Answers with a redirect to the pipeline.
     */
    void setPaused(Context ctx) {
        Csrf.verify(ctx);
        PipelineDefinition definition = definition(ctx);
        String paused = ctx.formParam("paused");
        if (!"true".equals(paused) && !"false".equals(paused)) throw CairnException.invalid("paused", paused, "true or false");
        requireConfirmation(ctx);
        pipelines.store().setPaused(definition.name(), Boolean.parseBoolean(paused), Actors.from(ctx));
        ctx.redirect(Links.pipeline(definition.name()), HttpStatus.SEE_OTHER);
    }

    /**
     * Cancels a run from its page's form (the confirmation box, the form's token): the same {@code requestCancel} as
     * {@code POST /api/v1/pipelines/runs/{id}/cancel}, with EDIT on its pipeline as there. A queued run ends at once, a
     * running one within about a second (its step sees the flag); one already ended is refused (409). Answers with a redirect to the run.
     */
    void cancel(Context ctx) {
        Csrf.verify(ctx);
        if (pipelines == null) throw CairnException.notFound("pipeline run", ctx.pathParam("id"));
        PipelineRun run = pipelines.store().getRun(ctx.pathParam("id"));
        requireConfirmation(ctx);
        pipelines.store().requestCancel(run.runId(), Actors.from(ctx), pipelines.now());
        ctx.redirect(Links.pipelineRun(run.runId()), HttpStatus.SEE_OTHER);
    }

    private static void requireConfirmation(Context ctx) {
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw CairnException.invalid("confirm", ctx.formParam("confirm"), "the confirmation box ticked");
        }
    }

    /**
     * Starts a run from the pipeline page's form: the same {@link ServerPipelines#start} call as {@code POST
     * /api/v1/pipelines/{name}/runs} with no body (the spec's default parameters, trigger {@code manual}, the acting user),
     * after the form's token and its confirmation are checked. Answers with a redirect to the new run.
     */
    void runNow(Context ctx) {
        Csrf.verify(ctx);
        PipelineDefinition definition = definition(ctx);
        requireConfirmation(ctx);
        String actor = Actors.from(ctx);
        String cause = ctx.formParam("cause");
        cause = cause == null || cause.isBlank() ? "started by " + actor + " from the web UI" : cause.strip();
        PipelineRun run = pipelines.start(definition, new RunRequest("manual", cause, Map.of(), null, null, actor, null));
        ctx.redirect(Links.pipelineRun(run.runId()), HttpStatus.SEE_OTHER);
    }

    public record StepRow(String id, String type, List<String> needs, String state, int attempt, String started, String ended,
                          String message, String outputs, String trackingHref) {}

    /** {@code cancelAction}: where the cancel form posts, null once the run has ended. */
    public record PipelineRunView(PipelineRunRow run, String message, String trackingHref, Map<String, String> parameters, List<StepRow> steps,
                                  GraphLayout.Drawing dag, List<LineageEdge> lineage, String csrf, String cancelAction, boolean cancelRequested) {}

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
        List<GraphLayout.Node> nodes = new ArrayList<>();
        List<GraphLayout.Edge> edges = new ArrayList<>();
        for (StepRow s : steps) {
            nodes.add(new GraphLayout.Node(s.id(), s.id(), s.type() + (s.type().isEmpty() ? "" : " · ") + s.state(), "step state-" + s.state(),
                    s.trackingHref()));
            for (String need : s.needs()) edges.add(new GraphLayout.Edge(need, s.id(), need + " → " + s.id()));
        }
        pages.render(ctx, "pipeline-run.jte", run.pipeline() + " run", "pipelines", new PipelineRunView(runRow(run),
                ModelPages.nz(run.message()), run.trackingRunId() == null ? null : Links.run(run.trackingRunId()), run.parameters(), steps,
                GraphLayout.layout(nodes, edges), pipelines.store().lineageOfRun(run.runId()), Csrf.token(ctx),
                run.state().terminal() ? null : Links.pipelineRun(run.runId()) + "/cancel", run.cancelRequested()));
    }

    private static StepRow step(String id, String type, List<String> needs, StepRun s) {
        if (s == null) return new StepRow(id, type, needs, "PENDING", 0, "", "", "", "", null);
        return new StepRow(id, type, needs, s.state().name(), s.attempt(), Links.time(s.startedAt()), Links.time(s.endedAt()),
                ModelPages.nz(s.message()), ModelPages.nz(s.outputsJson()), s.trackingRunId() == null ? null : Links.run(s.trackingRunId()));
    }

    private PipelineDefinition definition(Context ctx) {
        String name = ctx.pathParam("name");
        if (pipelines == null) throw CairnException.notFound("pipeline", name);
        return pipelines.store().getPipeline(name).orElseThrow(() -> CairnException.notFound("pipeline", name));
    }
}
