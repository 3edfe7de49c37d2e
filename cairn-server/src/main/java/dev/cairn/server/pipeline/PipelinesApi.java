package dev.cairn.server.pipeline;

import static dev.cairn.server.auth.ResourceLocator.path;
import static dev.cairn.server.auth.ResourceLocator.pipelineOfRun;

import dev.cairn.core.auth.Permission;
import dev.cairn.core.auth.Principal;
import dev.cairn.core.auth.ResourceKind;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.pipeline.LineageEdge;
import dev.cairn.core.pipeline.PipelineDefinition;
import dev.cairn.core.pipeline.PipelineRun;
import dev.cairn.core.pipeline.PipelineRunState;
import dev.cairn.core.pipeline.RunLogLine;
import dev.cairn.core.pipeline.StepRun;
import dev.cairn.core.tracking.Page;
import dev.cairn.pipeline.engine.RunRequest;
import dev.cairn.pipeline.schedule.Trigger;
import dev.cairn.pipeline.spec.Concurrency;
import dev.cairn.pipeline.spec.PipelineSpec;
import dev.cairn.pipeline.spec.Step;
import dev.cairn.server.JsonMappers;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.api.Actors;
import dev.cairn.server.api.ApiRoute;
import dev.cairn.server.api.CairnApi;
import dev.cairn.server.api.DocumentedRoutes;
import dev.cairn.server.api.Paging;
import dev.cairn.server.api.Params;
import dev.cairn.server.auth.Access;
import dev.cairn.server.auth.AccessControl;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines over REST, a thin adapter of {@link ServerPipelines}: the registered pipelines (from the server's
 * pipelines directory) with their DAG, runs started by hand or by CI (with the commit they test), each run's steps
 * with their states (the data of the UI's DAG view), its log and lineage, cancellation, pausing a pipeline's
 * triggers, and which runs produced or read an artifact. Listings and lineage show only what the caller may read
 * (see {@link LineageAccess}). Specs are not uploaded over the API: they are files on the
 * server's host, so what a pipeline may read, write and run is what its operator put there.
 */
public final class PipelinesApi implements DocumentedRoutes {
    public static final String PIPELINES = CairnApi.PREFIX + "/pipelines";
    public static final String PIPELINE = PIPELINES + "/{name}";
    public static final String RUN = PIPELINES + "/runs/{run_id}";
    // Not under /pipelines/: a path there is a pipeline's name. ("runs" and "sync" are refused as names by the spec.)
    private static final String TAG = "pipelines";

    private final ServerPipelines pipelines;
    private final List<ApiRoute> routes;

    /** A run request: parameters overriding the spec's defaults, the commit CI tested, and why. */
    public record RunBody(Map<String, String> parameters, String commit, String cause) {}

    public record PausedBody(Boolean paused) {}

    public record PipelineView(String name, String description, String sha256, String source, boolean paused,
                               List<Trigger> triggers, Concurrency concurrency, Map<String, Object> parameters, List<StepView> steps,
                               PipelineRun lastRun) {}

    /** A step of the DAG: what it is, what it needs, and (in a run) where it is. */
    public record StepView(String id, String type, List<String> needs, String condition, StepRun state, Map<String, Object> outputs) {}

    public record RunView(PipelineRun run, List<StepView> steps) {}

    public record RunsPage(List<PipelineRun> runs, String nextPageToken) {}

    public record LogsView(String runId, List<RunLogLine> lines, long lastSeq, boolean ended) {}

    public PipelinesApi(ServerPipelines pipelines) {
        this.pipelines = pipelines;
        this.routes = List.of(
                ApiRoute.get(PIPELINES, "Every registered pipeline with its triggers and latest run").tag(TAG)
                        .returns(Map.class).access(Access.authenticated()).handle(this::list),
                ApiRoute.post(PIPELINES + "/sync", "Read the server's pipelines directory again: register new and changed specs, report invalid ones")
                        .tag(TAG).returns(Map.class).access(Access.admin()).handle(this::sync),
                ApiRoute.get(PIPELINE, "A pipeline: its spec's parameters, triggers and DAG of steps, and its latest run")
                        .tag(TAG).returns(PipelineView.class).access(Access.pipeline(path("name"), Permission.READ)).handle(this::show),
                ApiRoute.put(PIPELINE + "/paused", "Pause or resume a pipeline's own triggers (schedules, data, alerts): {paused: true|false}")
                        .tag(TAG).body(PausedBody.class).returns(PipelineDefinition.class).access(Access.pipeline(path("name"), Permission.EDIT)).handle(this::pause),
                ApiRoute.post(PIPELINE + "/runs", "Start a run: {parameters?, commit?, cause?}; with a commit the trigger is ci (a CI job after its tests pass); other parameters than the spec's need MANAGE")
                        .tag(TAG).body(RunBody.class).returns(PipelineRun.class).status(201).access(Access.pipeline(path("name"), Permission.EDIT)).handle(this::start),
                ApiRoute.get(PIPELINE + "/runs", "The pipeline's runs, newest first").tag(TAG)
                        .query("state", "string", "Only runs in these states (comma-separated): queued, running, succeeded, failed, cancelled")
                        .paged().returns(RunsPage.class).access(Access.pipeline(path("name"), Permission.READ)).handle(this::runs),
                ApiRoute.get(RUN, "A run with every step's state, outputs and cache use (the DAG with step states)")
                        .tag(TAG).returns(RunView.class).access(Access.pipeline(pipelineOfRun(path("run_id")), Permission.READ)).handle(this::run),
                ApiRoute.get(RUN + "/logs", "A run's log lines after 'after' (follow a running run by asking again with the last seq)")
                        .tag(TAG).query("after", "integer", "The last seq already seen (default 0)")
                        .query("max", "integer", "At most this many lines (default 1000, at most 10000)")
                        .returns(LogsView.class).access(Access.pipeline(pipelineOfRun(path("run_id")), Permission.READ)).handle(this::logs),
                ApiRoute.post(RUN + "/cancel", "Cancel a run: a queued one at once, a running one at its next step or check")
                        .tag(TAG).returns(PipelineRun.class).access(Access.pipeline(pipelineOfRun(path("run_id")), Permission.EDIT)).handle(this::cancel),
                ApiRoute.get(RUN + "/lineage", "What each step of a run read and wrote").tag(TAG)
                        .returns(Map.class).access(Access.pipeline(pipelineOfRun(path("run_id")), Permission.READ)).handle(this::runLineage),
                ApiRoute.get(CairnApi.PREFIX + "/lineage", "Which runs and steps produced or read an artifact (snapshot:<sha>, models:/name/version, a table)")
                        .tag(TAG).requiredQuery("uri", "string", "The artifact's URI")
                        .query("max", "integer", "At most this many edges (default 100)").returns(Map.class).access(Access.authenticated()).handle(this::artifactLineage));
    }

    @Override
    public List<ApiRoute> routes() {
        return routes;
    }

    private void list(Context ctx) {
        List<PipelineView> out = new ArrayList<>();
        for (PipelineDefinition d : AccessControl.readable(ctx, ResourceKind.PIPELINE, pipelines.store().listPipelines(),
                PipelineDefinition::name)) {
            out.add(view(d));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pipelines", out);
        // The server's directory and the spec files it could not register belong to no pipeline a grant could open:
        // with authentication on they are the admins' (who fix them), as the sync that reports them is.
        boolean operator = AccessControl.principal(ctx).map(Principal::actsAsAdmin).orElse(true);
        if (operator) {
            body.put("directory", pipelines.directory().toString());
            body.put("problems", pipelines.problems());
        }
        ctx.json(body);
    }

    private void sync(Context ctx) {
        var result = pipelines.sync(Actors.from(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("registered", result.registered().stream().map(PipelineDefinition::name).toList());
        body.put("removed", result.removed());
        body.put("problems", result.problems().stream().map(p -> Map.of("file", p.file().toString(), "message", p.message())).toList());
        ctx.json(body);
    }

    private void show(Context ctx) {
        ctx.json(view(definition(ctx)));
    }

    private void pause(Context ctx) {
        PausedBody body = RequestBodies.read(ctx, JsonMappers.strict(), PausedBody.class);
        if (body.paused() == null) throw CairnException.invalid("paused", null, "true or false");
        ctx.json(pipelines.store().setPaused(definition(ctx).name(), body.paused(), Actors.from(ctx)));
    }

    private void start(Context ctx) {
        // An empty POST (no body at all) runs with the defaults; a body, if sent, must be the JSON object.
        boolean empty = ctx.req().getContentLengthLong() == 0
                || ctx.req().getContentLengthLong() < 0 && ctx.header("Transfer-Encoding") == null;
        RunBody body = empty ? new RunBody(null, null, null)
                : RequestBodies.read(ctx, JsonMappers.strict(), RunBody.class);
        // Parameters decide what a run reads, trains and deploys (a deploy step's model can be a parameter), and the
        // steps act with the pipeline's authority: EDIT runs the pipeline as its owners defined it, choosing other
        // parameters is its managers'.
        if (body.parameters() != null && !body.parameters().isEmpty()) {
            AccessControl.check(ctx, Access.pipeline(path("name"), Permission.MANAGE));
        }
        PipelineDefinition definition = definition(ctx);
        String actor = Actors.from(ctx);
        String commit = body.commit();
        if (commit != null && !commit.matches("[0-9a-fA-F]{7,64}")) throw CairnException.invalid("commit", commit, "a git commit hash (7 to 64 hex digits)");
        String trigger = commit == null ? "manual" : "ci";
        String cause = body.cause() != null ? body.cause() : commit == null ? "started by " + actor : "CI at commit " + commit;
        RunRequest request = new RunRequest(trigger, cause, body.parameters(), null, commit, actor, null);
        PipelineRun run = pipelines.start(definition, request);
        ctx.status(201).json(run);
    }

    private void runs(Context ctx) {
        PipelineDefinition definition = definition(ctx);
        Paging paging = Paging.from(ctx);
        Page<PipelineRun> page = pipelines.store().listRuns(definition.name(), states(Params.optional(ctx, "state")),
                paging.maxResults(), paging.pageToken());
        ctx.json(new RunsPage(page.items(), page.nextPageToken()));
    }

    private void run(Context ctx) {
        PipelineRun run = pipelines.store().getRun(ctx.pathParam("run_id"));
        ctx.json(new RunView(run, steps(run)));
    }

    private void logs(Context ctx) {
        PipelineRun run = pipelines.store().getRun(ctx.pathParam("run_id"));
        long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
        int max = (int) number(ctx, "max", 1000, 1, 10_000);
        List<RunLogLine> lines = pipelines.store().logs(run.runId(), after, max);
        long last = lines.isEmpty() ? after : lines.getLast().seq();
        ctx.json(new LogsView(run.runId(), lines, last, run.state().terminal()));
    }

    private void cancel(Context ctx) {
        ctx.json(pipelines.store().requestCancel(ctx.pathParam("run_id"), Actors.from(ctx), pipelines.now()));
    }

    private void runLineage(Context ctx) {
        PipelineRun run = pipelines.store().getRun(ctx.pathParam("run_id"));
        ctx.json(Map.of("run_id", run.runId(), "edges", LineageAccess.readable(ctx, pipelines.store().lineageOfRun(run.runId()),
                pipelines.store(), pipelines.lookup())));
    }

    private void artifactLineage(Context ctx) {
        String uri = Params.optional(ctx, "uri");
        if (uri == null) throw CairnException.invalid("uri", null, "the artifact's URI, e.g. models:/credit-risk/3");
        int max = (int) number(ctx, "max", 100, 1, 10_000);
        // The first max edges, less those the caller may not see (left out after the query, as listings are filtered).
        List<LineageEdge> edges = LineageAccess.readable(ctx, pipelines.store().lineageOfArtifact(uri, max), pipelines.store(),
                pipelines.lookup());
        ctx.json(Map.of("uri", uri, "edges", edges));
    }

    // ---- views ----

    private PipelineView view(PipelineDefinition d) {
        PipelineSpec spec = pipelines.spec(d);
        Page<PipelineRun> last = pipelines.store().listRuns(d.name(), Set.of(), 1, null);
        List<StepView> steps = new ArrayList<>();
        for (Step s : spec.order()) steps.add(stepView(s, null));
        return new PipelineView(d.name(), spec.description(), d.sha256(), d.source(), d.paused(), spec.triggers(), spec.concurrency(),
                spec.parameters(), steps, last.items().isEmpty() ? null : last.items().getFirst());
    }

    private List<StepView> steps(PipelineRun run) {
        Map<String, StepRun> states = new LinkedHashMap<>();
        for (StepRun s : pipelines.store().steps(run.runId())) states.put(s.stepId(), s);
        PipelineSpec spec;
        try {
            spec = pipelines.specOf(run);
        } catch (CairnException e) {
            return states.values().stream().map(s -> new StepView(s.stepId(), null, List.of(), null, s, outputs(s))).toList();
        }
        List<StepView> out = new ArrayList<>();
        for (Step s : spec.order()) out.add(stepView(s, states.get(s.id())));
        return out;
    }

    private static StepView stepView(Step s, StepRun state) {
        return new StepView(s.id(), s.type().label(), s.needs(), s.condition() == null ? null : s.condition().text(), state,
                state == null ? null : outputs(state));
    }

    private static Map<String, Object> outputs(StepRun state) {
        if (state.outputsJson() == null) return null;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JsonMappers.strict().readValue(state.outputsJson(), Map.class);
            return parsed;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of("unreadable", state.outputsJson());
        }
    }

    private PipelineDefinition definition(Context ctx) {
        String name = ctx.pathParam("name");
        return pipelines.store().getPipeline(name).orElseThrow(() -> CairnException.notFound("pipeline", name));
    }

    private static Set<PipelineRunState> states(String text) {
        if (text == null || text.isBlank()) return Set.of();
        Set<PipelineRunState> out = EnumSet.noneOf(PipelineRunState.class);
        for (String part : text.split(",")) out.add(Params.enumValue("state", PipelineRunState.class, part.strip().toUpperCase(java.util.Locale.ROOT)));
        return out;
    }

    private static long number(Context ctx, String name, long defaultValue, long min, long max) {
        String text = Params.optional(ctx, name);
        if (text == null) return defaultValue;
        long value = Params.parseLong(name, text);
        if (value < min || value > max) throw CairnException.invalid(name, value, "a number from " + min + " to " + max);
        return value;
    }
}
