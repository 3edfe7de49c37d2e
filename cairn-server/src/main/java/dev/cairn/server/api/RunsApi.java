package dev.cairn.server.api;

import static dev.cairn.server.auth.ResourceLocator.experimentOfRun;
import static dev.cairn.server.auth.ResourceLocator.field;
import static dev.cairn.server.auth.ResourceLocator.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.auth.Permission;
import dev.cairn.core.error.CairnException;
import dev.cairn.core.store.RunStore;
import dev.cairn.core.tracking.Page;
import dev.cairn.core.tracking.Run;
import dev.cairn.core.tracking.RunStatus;
import dev.cairn.core.tracking.SystemTags;
import dev.cairn.core.tracking.Tag;
import dev.cairn.core.tracking.ViewType;
import dev.cairn.server.RequestBodies;
import dev.cairn.server.auth.Access;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Runs: create, read, update (status, end time, name), delete, restore and search. */
public final class RunsApi {

    static final String BASE = CairnApi.PREFIX + "/runs";

    /** {@code user} is MLflow's way of naming who runs it; the {@code X-Cairn-User} header wins. */
    public record CreateRun(String experimentId, String runName, Long startTime, List<Tag> tags, String user) {}

    public record UpdateRun(RunStatus status, Long endTime, String runName) {}

    public record SearchRuns(List<String> experimentIds, String filter, ViewType viewType, List<String> orderBy,
                             Integer maxResults, String pageToken) {}

    public record RunPage(List<Run> runs, String nextPageToken) {}

    private final RunStore runs;
    private final ObjectMapper mapper;
    private final LongSupplier clock;

    public RunsApi(RunStore runs, ObjectMapper mapper, LongSupplier clock) {
        this.runs = runs;
        this.mapper = mapper;
        this.clock = clock;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post(BASE, "Start a run in an experiment; records mlflow.user when the client does not")
                        .tag("runs").header(Actors.HEADER, "Who starts the run").body(CreateRun.class)
                        .returns(Run.class).status(201).access(Access.experiment(field("experiment_id"), Permission.EDIT)).handle(this::create),
                ApiRoute.get(BASE + "/{run_id}", "Get a run with its latest metrics, params, tags and inputs").tag("runs")
                        .returns(Run.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.READ)).handle(this::get),
                ApiRoute.patch(BASE + "/{run_id}", "Update a run's status (ending it), end time or name").tag("runs")
                        .body(UpdateRun.class).returns(Run.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.EDIT)).handle(this::update),
                ApiRoute.delete(BASE + "/{run_id}", "Delete a run (restorable)").tag("runs")
                        .returns(Run.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.MANAGE)).handle(this::delete),
                ApiRoute.post(BASE + "/{run_id}/restore", "Restore a deleted run").tag("runs")
                        .returns(Run.class).access(Access.experiment(experimentOfRun(path("run_id")), Permission.MANAGE)).handle(this::restore),
                ApiRoute.post(BASE + "/search", "Search runs of experiments with a filter, e.g. metrics.auc > 0.8")
                        .tag("runs").body(SearchRuns.class).returns(RunPage.class).access(Access.experiment(field("experiment_ids"), Permission.READ)).handle(this::search));
    }

    private void create(Context ctx) {
        CreateRun body = RequestBodies.read(ctx, mapper, CreateRun.class);
        String experimentId = Params.required("experiment_id", body.experimentId());
        String actor = Actors.from(ctx, body.user());
        List<Tag> tags = new ArrayList<>(Params.tags(body.tags()));
        if (tags.stream().noneMatch(t -> t.key().equals(SystemTags.USER))) {
            tags.add(new Tag(SystemTags.USER, actor));
        }
        long start = body.startTime() == null ? clock.getAsLong() : body.startTime();
        if (start < 0) throw CairnException.invalid("start_time", start, "epoch milliseconds (>= 0)");
        Run run = runs.createRun(experimentId, actor, start, body.runName(), tags);
        ctx.status(201).json(run);
    }

    private void get(Context ctx) {
        ctx.json(runs.getRun(ctx.pathParam("run_id")));
    }

    private void update(Context ctx) {
        UpdateRun body = RequestBodies.read(ctx, mapper, UpdateRun.class);
        String runId = ctx.pathParam("run_id");
        Long endTime = body.endTime();
        if (endTime == null && body.status() != null && body.status().isTerminal()) {
            endTime = clock.getAsLong();
        }
        if (endTime != null && endTime < 0) throw CairnException.invalid("end_time", endTime, "epoch milliseconds (>= 0)");
        RunStatus status = body.status() == null ? runs.getRun(runId).info().status() : body.status();
        runs.updateRun(runId, status, endTime, body.runName());
        ctx.json(runs.getRun(runId));
    }

    private void delete(Context ctx) {
        String runId = ctx.pathParam("run_id");
        runs.deleteRun(runId);
        ctx.json(runs.getRun(runId));
    }

    private void restore(Context ctx) {
        String runId = ctx.pathParam("run_id");
        runs.restoreRun(runId);
        ctx.json(runs.getRun(runId));
    }

    private void search(Context ctx) {
        SearchRuns body = RequestBodies.read(ctx, mapper, SearchRuns.class);
        List<String> experimentIds = Params.orEmpty(body.experimentIds());
        if (experimentIds.isEmpty()) {
            throw CairnException.invalid("experiment_ids", experimentIds, "at least one experiment id");
        }
        Paging paging = Paging.of(body.maxResults(), body.pageToken());
        Page<Run> page = runs.searchRuns(experimentIds, body.filter(),
                body.viewType() == null ? ViewType.ACTIVE_ONLY : body.viewType(),
                Params.orEmpty(body.orderBy()), paging.maxResults(), paging.pageToken());
        ctx.json(new RunPage(page.items(), page.nextPageToken()));
    }
}
